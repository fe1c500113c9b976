package dev.plinth.check.api;

import org.junit.jupiter.api.Test;

import static dev.plinth.check.api.ApiValidationTestSupport.accepted;
import static dev.plinth.check.api.ApiValidationTestSupport.rejected;

/** apps and batch, with cases from kubernetes pkg/apis/apps/validation and pkg/apis/batch/validation tests. */
class ApiValidationWorkloadsTest {
    private static String deployment(String spec) {
        return "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: abc, namespace: default}\nspec:\n" + spec.indent(2);
    }

    private static final String TEMPLATE = "template:\n  metadata: {labels: {a: b}}\n  spec: {containers: [{name: c, image: i}]}\n";

    @Test
    void deploymentSelector() { // TestValidateDeployment: "missing selector", "empty selector", "selector does not match template labels"
        accepted(deployment("selector: {matchLabels: {a: b}}\n" + TEMPLATE));
        accepted(deployment("selector: {matchExpressions: [{key: a, operator: In, values: [b, c]}]}\n" + TEMPLATE));
        rejected(deployment(TEMPLATE), "spec.selector", "Required value");
        rejected(deployment("selector: {}\n" + TEMPLATE), "spec.selector", "empty selector is invalid for deployment");
        rejected(deployment("selector: {matchLabels: {a: c}}\n" + TEMPLATE), "spec.template.metadata.labels", "`selector` does not match template `labels`");
        rejected(deployment("selector: {matchExpressions: [{key: a, operator: NotIn, values: [b]}]}\n" + TEMPLATE),
                "spec.template.metadata.labels", "`selector` does not match template `labels`");
        // TestValidateLabelSelector: In without values
        rejected(deployment("selector: {matchLabels: {a: b}, matchExpressions: [{key: a, operator: In}]}\n" + TEMPLATE),
                "spec.selector.matchExpressions[0].values", "must be specified when `operator` is 'In' or 'NotIn'");
    }

    @Test
    void deploymentRestartPolicyAndStrategy() { // TestValidateDeployment: "restartPolicy OnFailure", "maxSurge and maxUnavailable both 0", "maxUnavailable > 100%"
        String sel = "selector: {matchLabels: {a: b}}\n";
        rejected(deployment(sel + "template:\n  metadata: {labels: {a: b}}\n  spec: {restartPolicy: OnFailure, containers: [{name: c, image: i}]}\n"),
                "spec.template.spec.restartPolicy", "Unsupported value 'OnFailure'");
        rejected(deployment(sel + "strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 0, maxUnavailable: 0}}\n" + TEMPLATE),
                "spec.strategy.rollingUpdate.maxUnavailable", "may not be 0 when `maxSurge` is 0");
        rejected(deployment(sel + "strategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 110%}}\n" + TEMPLATE),
                "spec.strategy.rollingUpdate.maxUnavailable", "must not be greater than 100%");
        rejected(deployment(sel + "strategy: {type: Recreate, rollingUpdate: {maxUnavailable: 1}}\n" + TEMPLATE),
                "spec.strategy.rollingUpdate", "may not be specified when strategy `type` is 'Recreate'");
        rejected(deployment(sel + "progressDeadlineSeconds: 10\nminReadySeconds: 10\n" + TEMPLATE),
                "spec.progressDeadlineSeconds", "must be greater than minReadySeconds");
        rejected(deployment(sel + "replicas: -1\n" + TEMPLATE), "spec.replicas", "must be greater than or equal to 0");
    }

    @Test
    void statefulSets() { // TestValidateStatefulSet: "invalid podManagementPolicy", "selector does not match"; names are DNS labels
        String sts = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: %s, namespace: default}\nspec:\n  serviceName: x\n"
                + "  selector: {matchLabels: {a: b}}\n  podManagementPolicy: %s\n"
                + "  template:\n    metadata: {labels: {a: b}}\n    spec: {containers: [{name: c, image: i, volumeMounts: [{name: data, mountPath: /d}]}]}\n"
                + "  volumeClaimTemplates: [{metadata: {name: data}, spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}}]\n";
        accepted(String.format(sts, "abc", "Parallel"));
        rejected(String.format(sts, "abc", "foo"), "spec.podManagementPolicy", "must be 'OrderedReady' or 'Parallel'");
        rejected(String.format(sts, "abc.def", "Parallel"), "metadata.name", "RFC 1123 label");
        // validateRollingUpdateStatefulSet: maxUnavailable cannot be 0
        rejected(String.format(sts, "abc", "Parallel").replace("  podManagementPolicy: Parallel\n", "  podManagementPolicy: Parallel\n  updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 0}}\n"),
                "spec.updateStrategy.rollingUpdate.maxUnavailable", "cannot be 0");
    }

    @Test
    void daemonSets() { // TestValidateDaemonSet: "invalid template restartPolicy", "invalid updateStrategy"
        String ds = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: abc, namespace: default}\nspec:\n"
                + "  selector: {matchLabels: {a: b}}\n  updateStrategy: {type: %s}\n"
                + "  template:\n    metadata: {labels: {a: %s}}\n    spec: {containers: [{name: c, image: i}]}\n";
        accepted(String.format(ds, "RollingUpdate", "b"));
        rejected(String.format(ds, "Foo", "b"), "spec.updateStrategy.type", "Unsupported value");
        rejected(String.format(ds, "OnDelete", "c"), "spec.template.metadata.labels", "`selector` does not match template `labels`");
        // ValidateRollingUpdateDaemonSet: exactly one of maxSurge and maxUnavailable (default 1) is not zero
        String rolling = String.format(ds, "RollingUpdate", "b");
        accepted(rolling.replace("{type: RollingUpdate}", "{type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}"));
        rejected(rolling.replace("{type: RollingUpdate}", "{type: RollingUpdate, rollingUpdate: {maxSurge: 1}}"),
                "spec.updateStrategy.rollingUpdate.maxSurge", "may not be set when maxUnavailable is non-zero");
        rejected(rolling.replace("{type: RollingUpdate}", "{type: RollingUpdate, rollingUpdate: {maxUnavailable: 0%}}"),
                "spec.updateStrategy.rollingUpdate.maxUnavailable", "cannot be 0 when maxSurge is 0");
    }

    private static String job(String extraSpec, String podSpec) {
        return "apiVersion: batch/v1\nkind: Job\nmetadata: {name: myjob, namespace: default}\nspec:\n" + extraSpec.indent(2)
                + "  template:\n    metadata: {labels: {a: b}}\n    spec:\n" + podSpec.indent(6);
    }

    @Test
    void jobs() { // TestValidateJob: "spec.template.spec.restartPolicy: Required value", "spec.parallelism: must be >= 0", manualSelector
        accepted(job("", "restartPolicy: OnFailure\ncontainers: [{name: c, image: i}]"));
        accepted(job("", "restartPolicy: Never\ncontainers: [{name: c, image: i}]"));
        rejected(job("", "containers: [{name: c, image: i}]"), "spec.template.spec.restartPolicy", "Required value");
        rejected(job("", "restartPolicy: Always\ncontainers: [{name: c, image: i}]"), "spec.template.spec.restartPolicy", "Required value: valid values");
        rejected(job("", "restartPolicy: Sometimes\ncontainers: [{name: c, image: i}]"), "spec.template.spec.restartPolicy", "Unsupported value");
        // "podFailurePolicy with restartPolicy OnFailure", "backoffLimitPerIndex without Indexed", indexed pod hostnames
        rejected(job("podFailurePolicy: {rules: [{action: FailJob, onExitCodes: {operator: In, values: [42]}}]}", "restartPolicy: OnFailure\ncontainers: [{name: c, image: i}]"),
                "spec.template.spec.restartPolicy", "only \"Never\" is supported when podFailurePolicy is specified");
        rejected(job("backoffLimitPerIndex: 1", "restartPolicy: Never\ncontainers: [{name: c, image: i}]"), "spec.backoffLimitPerIndex", "requires indexed completion mode");
        rejected(job("completionMode: Indexed\ncompletions: 10", "restartPolicy: Never\ncontainers: [{name: c, image: i}]").replace("name: myjob", "name: " + "j".repeat(62)),
                "metadata.name", "invalid DNS label");
        rejected(job("parallelism: -1", "restartPolicy: Never\ncontainers: [{name: c, image: i}]"), "spec.parallelism", "greater than or equal to 0");
        rejected(job("manualSelector: true\nselector: {matchLabels: {a: c}}", "restartPolicy: Never\ncontainers: [{name: c, image: i}]"),
                "spec.template.metadata.labels", "`selector` does not match template `labels`");
        rejected(job("completionMode: Indexed", "restartPolicy: Never\ncontainers: [{name: c, image: i}]"), "spec.completions", "Indexed");
    }

    private static String cronJob(String name, String schedule, String extra) {
        return "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: '" + name + "', namespace: default}\nspec:\n  schedule: '" + schedule + "'\n"
                + extra.indent(2) + "  jobTemplate:\n    spec:\n      template:\n        spec: {restartPolicy: OnFailure, containers: [{name: c, image: i}]}\n";
    }

    @Test
    void cronJobSchedules() { // TestValidateCronJob: "spec.schedule: Invalid value" ("error"), "cannot use TZ or CRON_TZ", valid "* * * * ?"
        for (String ok : new String[] {"* * * * ?", "0 2 * * *", "*/15 * * * *", "0 0 1,15 * MON-FRI", "@hourly", "@daily",
                "@every 1h30m", "30 2 * JAN-DEC sun", "0 */2 1-31/3 * *", "5/15 * * * *"}) {
            accepted(cronJob("mycronjob", ok, ""));
        }
        rejected(cronJob("mycronjob", "error", ""), "spec.schedule", "expected exactly 5 fields, found 1");
        rejected(cronJob("mycronjob", "61 * * * *", ""), "spec.schedule", "end of range (61) above maximum (59)");
        rejected(cronJob("mycronjob", "* * * * * *", ""), "spec.schedule", "expected exactly 5 fields, found 6");
        rejected(cronJob("mycronjob", "* * * * 7", ""), "spec.schedule", "above maximum (6)");
        rejected(cronJob("mycronjob", "*/0 * * * *", ""), "spec.schedule", "step of range should be a positive number");
        rejected(cronJob("mycronjob", "@weekdays", ""), "spec.schedule", "unrecognized descriptor");
        rejected(cronJob("mycronjob", "5-1 * * * *", ""), "spec.schedule", "beyond end of range");
        rejected(cronJob("mycronjob", "TZ=UTC 0 * * * *", ""), "spec.schedule", "cannot use TZ or CRON_TZ in schedule");
        // TestValidateCronJobScheduleTZ: before 1.29 creation with TZ was allowed (with a warning), never together with timeZone
        accepted(cronJob("mycronjob", "TZ=UTC 0 * * * *", ""), "1.28");
        rejected(cronJob("mycronjob", "TZ=UTC 0 * * * *", "timeZone: Etc/UTC"), "1.28", "spec.schedule", "cannot use both timeZone field and TZ");
    }

    @Test
    void longJobNames() { // the job-name label of the pods is the Job's name: at most 63 characters unless manualSelector
        rejected(job("", "restartPolicy: Never\ncontainers: [{name: c, image: i}]").replace("name: myjob", "name: " + "j".repeat(64)),
                "metadata.name", "no more than 63 characters");
    }

    @Test
    void cronJobNamesAndTimeZones() { // TestValidateCronJob: "metadata.name: must be no more than 52 characters", "spec.timeZone" cases
        accepted(cronJob("a".repeat(52), "0 * * * *", ""));
        rejected(cronJob("10000000002000000000300000000040000000005000000000123", "0 * * * *", ""), "metadata.name", "no more than 52 characters");
        for (String tz : new String[] {"America/New_York", "Europe/Paris", "Etc/UTC", "UTC", "Etc/GMT+1", "America/Argentina/Buenos_Aires"}) {
            accepted(cronJob("mycronjob", "0 * * * *", "timeZone: " + tz));
        }
        rejected(cronJob("mycronjob", "0 * * * *", "timeZone: Local"), "spec.timeZone", "explicit time zone");
        rejected(cronJob("mycronjob", "0 * * * *", "timeZone: ''"), "spec.timeZone", "non-empty");
        rejected(cronJob("mycronjob", "0 * * * *", "timeZone: ' Continent/Zone'"), "spec.timeZone", "unknown time zone");
        rejected(cronJob("mycronjob", "0 * * * *", "timeZone: Continent/Zone"), "spec.timeZone", "unknown time zone");
        rejected(cronJob("mycronjob", "0 * * * *", "timeZone: '+01:00'"), "spec.timeZone", "unknown time zone");
        rejected(cronJob("mycronjob", "0 * * * *", "timeZone: America/New_York/Kingston"), "spec.timeZone", "unknown time zone");
        rejected(cronJob("mycronjob", "0 * * * *", "startingDeadlineSeconds: -1"), "spec.startingDeadlineSeconds", "greater than or equal to 0");
        rejected(cronJob("mycronjob", "0 * * * *", "concurrencyPolicy: Sometimes"), "spec.concurrencyPolicy", "Unsupported value");
    }

    @Test
    void cronJobTemplates() { // TestValidateCronJob: "spec.jobTemplate.spec.template.spec.restartPolicy", "spec.jobTemplate.spec.manualSelector"
        String always = cronJob("mycronjob", "0 * * * *", "").replace("restartPolicy: OnFailure", "restartPolicy: Always");
        rejected(always, "spec.jobTemplate.spec.template.spec.restartPolicy", "Required value: valid values");
        String manual = cronJob("mycronjob", "0 * * * *", "").replace("    spec:\n      template", "    spec:\n      manualSelector: true\n      template");
        rejected(manual, "spec.jobTemplate.spec.manualSelector", "Unsupported value");
    }
}
