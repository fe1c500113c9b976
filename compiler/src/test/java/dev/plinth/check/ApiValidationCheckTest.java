package dev.plinth.check;

import dev.plinth.check.k8s.CoreModel;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.plinth.check.CheckFixture.error;
import static dev.plinth.check.CheckFixture.warning;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * api-validation as a check: severities, the value a finding is placed by, the cluster's
 * Kubernetes version, no finding the schema check already makes, and the retired object-shape
 * waiver. (The rules themselves are tested in dev.plinth.check.api.)
 */
class ApiValidationCheckTest {
    private static final String CHECK = "api-validation";

    private static String cronJob(String schedule, String extra) {
        return """
                apiVersion: batch/v1
                kind: CronJob
                metadata: {name: nightly}
                spec:
                  schedule: '%s'
                %s  jobTemplate:
                    spec:
                      template:
                        spec: {restartPolicy: OnFailure, containers: [{name: c, image: "c:1"}]}
                """.formatted(schedule, extra);
    }

    @Test
    void aValidObjectPasses() {
        CheckFixture.app(cronJob("0 3 * * *", "  timeZone: Etc/UTC\n")).run(CHECK).none();
    }

    @Test
    void errorsArePlacedAtTheOffendingValueOrKey() {
        CheckFixture.Finding f = CheckFixture.app("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {'a key': x}\n").run(CHECK)
                .only(error("ConfigMap/team/cm", "data.a key", "a valid config key must consist of alphanumeric characters"));
        assertEquals("environments/live/apps/web.yaml:4:8", f.loc(), "the key's line and column");
    }

    @Test
    void fieldsTheSchemaCheckReportsAreNotReportedAgain() {
        // the port as a string and no selector are the schema check's findings; the port's name stays ours
        CheckFixture.app("apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{name: Web, port: '80'}]}\n").run(CHECK)
                .only(error("Service/team/s", "spec.ports[0].name", "a lowercase RFC 1123 label must consist of"));
    }

    @Test
    void probesOfUndeclaredPortsAreErrors() {
        CheckFixture.app("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
                + "spec: {containers: [{name: a, image: 'i:1', readinessProbe: {httpGet: {path: /, port: http}}}]}\n").run(CHECK)
                .only(error("Pod/team/p", "spec.containers[0].readinessProbe.httpGet.port", "no port named 'http'"));
    }

    @Test
    void theRulesFollowTheClustersKubernetesVersion() {
        // TZ in a schedule: a warning before 1.29, rejected from 1.29 on
        CheckFixture.app(cronJob("TZ=UTC 0 3 * * *", "")).kubeVersion("1.28").run(CHECK)
                .only(warning("CronJob/team/nightly", "spec.schedule", "TZ or CRON_TZ in schedule is not supported"));
        CheckFixture.app(cronJob("TZ=UTC 0 3 * * *", "")).kubeVersion("1.29").run(CHECK)
                .only(error("CronJob/team/nightly", "spec.schedule", "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"));
    }

    @Test
    void theRetiredObjectShapeWaiverWaivesNamesAndLabelsOnly() {
        String yaml = "apiVersion: v1\nkind: Pod\nmetadata: {name: Bad_Name, labels: {'-x': y}}\n"
                + "spec: {containers: [{name: a, image: 'i:1', readinessProbe: {httpGet: {path: /, port: http}}}]}\n";
        CheckFixture.app(yaml).run(CHECK).exactly(
                error("Pod/team/Bad_Name", "metadata.name", "RFC 1123"),
                error("Pod/team/Bad_Name", "metadata.labels", "Invalid value '-x': name part must consist of alphanumeric characters"),
                error("Pod/team/Bad_Name", "spec.containers[0].readinessProbe.httpGet.port", "no port named 'http'"));
        CheckFixture.Result waived = CheckFixture.app(yaml).waiver("web", "object-shape").run(CHECK)
                .exactly(error("Pod/team/Bad_Name", "spec.containers[0].readinessProbe.httpGet.port", "no port named 'http'"));
        assertEquals(List.of("environments/live/apps/web.yaml:1000:7: waiver names check 'object-shape', now part of 'api-validation':"
                + " it waives that check's findings about metadata.name and metadata.labels only"), waived.specFindings());
        CheckFixture.app(yaml).waiver("web", CHECK).run(CHECK).none();
    }

    /**
     * The schema check reads a quantity as the API server decodes one (dev.plinth.values.Quantity):
     * a negative one is a quantity, which api-validation then refuses; spaces at the ends are
     * trimmed; what is not a quantity is the schema check's finding alone.
     */
    @Test
    void quantitiesAreReadAsTheApiServerDecodesThem() {
        String pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
                + "spec: {containers: [{name: a, image: i, resources: {requests: {cpu: '%s'}}}]}\n";
        CheckFixture.app(pod.formatted("-1")).run(CHECK).only(error("Pod/team/p", "spec.containers[0].resources.requests.cpu",
                "Invalid value '-1': must be greater than or equal to 0"));
        CheckFixture.app(pod.formatted(" 1 ")).run(CHECK).none();
        CheckFixture.app(pod.formatted("lots")).run(CHECK).none();
        assertEquals(List.of("spec.containers[0].resources.requests.cpu: expected a quantity such as 500m or 1Gi, got string 'lots'"),
                schema(pod.formatted("lots")));
        assertEquals(List.of(), schema(pod.formatted(" 1 ")));
        assertEquals(List.of(), schema(pod.formatted("-1")));
    }

    @SuppressWarnings("unchecked")
    private static List<String> schema(String yaml) {
        Map<String, Object> body = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(yaml);
        List<CoreModel.Problem> problems = new ArrayList<>();
        CoreModel core = CoreModel.get();
        core.validate(body, core.typeFor("v1", "Pod"), problems);
        return problems.stream().map(p -> p.path() + ": " + p.message()).toList();
    }
}
