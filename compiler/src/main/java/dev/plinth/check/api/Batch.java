package dev.plinth.check.api;

import dev.plinth.values.FieldPath;

import java.time.ZoneId;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static dev.plinth.check.api.Fields.map;
import static dev.plinth.check.api.Fields.str;
import java.util.List;

/** batch/v1: Job and CronJob (batch validation). */
final class Batch {
    static final Set<String> JOB_RESTART = Set.of("OnFailure", "Never");
    /** The CronJob controller appends an 11-character suffix; a Job name is at most 63. */
    static final int CRONJOB_NAME_MAX = 52;
    /** validTimeZoneCharacters: a component of an IANA name. */
    private static final Pattern TIME_ZONE_PART = Pattern.compile("[A-Za-z.\\-_0-9+]{1,14}");
    /** The IANA names the JDK's time zone database knows (region ids only: no offsets such as +01:00). */
    private static final Set<String> ZONES = ZoneId.getAvailableZoneIds();
    private static final FieldPath SPEC = FieldPath.ROOT.field("spec");
    private static final List<String> INDEXED_ONLY = List.of("backoffLimitPerIndex", "maxFailedIndexes", "successPolicy");
    /** Creating a CronJob with TZ or CRON_TZ in its schedule fails from 1.29 (kubernetes#116252); before, a warning. */
    static final int TZ_IN_SCHEDULE_REJECTED = 29;
    /** CronJobTimeZone: beta and on by default from 1.25 (GA in 1.27); before, the field is dropped. */
    static final int TIME_ZONE_FIELD = 25;

    private Batch() {
    }

    static void validate(String kind, Map<String, Object> body, Problems p) {
        Map<String, Object> spec = map(body, "spec");
        if (kind.equals("Job")) {
            job(spec, SPEC, false, p);
            String name = str(map(body, "metadata"), "name");
            Long completions = Fields.integer(spec, "completions");
            if (name != null && "Indexed".equals(str(spec, "completionMode")) && completions != null && completions > 0
                    && Names.dns1123Label(name + "-" + (completions - 1)) != null) {
                // the job controller names the pods' hosts <name>-<index>
                p.invalid(FieldPath.ROOT.field("metadata").field("name"), name, "will not able to create pod with invalid DNS label: "
                        + name + "-" + (completions - 1));
            } else if (name != null && name.length() > 63 && !Fields.isTrue(spec, "manualSelector")) {
                // the API server labels the pod template with batch.kubernetes.io/job-name: <name>
                p.invalid(FieldPath.ROOT.field("metadata").field("name"), name,
                        "must be no more than 63 characters (it becomes the value of the job-name label of the pods)");
            }
        } else if (kind.equals("CronJob")) {
            cronJob(body, spec, p);
        }
    }

    private static void job(Map<String, Object> spec, FieldPath path, boolean inCronJob, Problems p) {
        for (String f : new String[] {"parallelism", "completions", "activeDeadlineSeconds", "backoffLimit", "ttlSecondsAfterFinished"}) {
            PodSpecs.nonNegative(spec, f, path, p);
        }
        String mode = str(spec, "completionMode");
        if (mode != null && !mode.equals("NonIndexed") && !mode.equals("Indexed")) {
            p.unsupported(path.field("completionMode"), mode, "\"Indexed\", \"NonIndexed\"");
        }
        if ("Indexed".equals(mode) && spec.get("completions") == null) {
            p.required(path.field("completions"), "when completion mode is Indexed");
        }
        if (!"Indexed".equals(mode)) {
            for (String f : INDEXED_ONLY) {
                if (spec.get(f) != null) p.invalid(path.field(f), spec.get(f), "requires indexed completion mode");
            }
        }
        if (spec.get("maxFailedIndexes") != null && spec.get("backoffLimitPerIndex") == null) {
            p.required(path.field("backoffLimitPerIndex"), "when maxFailedIndexes is specified");
        }
        String restart = str(map(map(spec, "template"), "spec"), "restartPolicy");
        if (Fields.isMap(spec.get("podFailurePolicy")) && "OnFailure".equals(restart)) {
            p.invalid(path.field("template").field("spec").field("restartPolicy"), restart, "only \"Never\" is supported when podFailurePolicy is specified");
        }
        if (inCronJob) {
            if (spec.get("selector") != null) p.invalid(path.field("selector"), "", "`selector` will be auto-generated");
            if (Fields.isTrue(spec, "manualSelector")) p.unsupported(path.field("manualSelector"), true, "\"nil\", \"false\"");
        } else if (Fields.isTrue(spec, "manualSelector")) {
            Meta.selectorMatchesTemplate(spec, path, "Job", p);
        }
        PodSpecs.template(map(spec, "template"), path.field("template"), JOB_RESTART, p);
    }

    private static void cronJob(Map<String, Object> body, Map<String, Object> spec, Problems p) {
        String name = str(map(body, "metadata"), "name");
        if (name != null && name.length() > CRONJOB_NAME_MAX) {
            p.invalid(FieldPath.ROOT.field("metadata").field("name"), name, "must be no more than " + CRONJOB_NAME_MAX + " characters");
        }
        Object schedule = spec.get("schedule");
        if (!(schedule instanceof String s) || s.isEmpty()) {
            p.required(SPEC.field("schedule"), "");
        } else {
            String problem = Cron.problem(s);
            if (problem != null) p.invalid(SPEC.field("schedule"), s, problem);
            if (s.contains("TZ")) {
                if (p.minor >= TZ_IN_SCHEDULE_REJECTED) {
                    p.invalid(SPEC.field("schedule"), s, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead");
                } else if (spec.get("timeZone") != null) {
                    p.invalid(SPEC.field("schedule"), s, "cannot use both timeZone field and TZ or CRON_TZ in schedule");
                } else {
                    p.warning(SPEC.field("schedule"), s, "TZ or CRON_TZ in schedule is not supported (rejected on create from Kubernetes 1."
                            + TZ_IN_SCHEDULE_REJECTED + "): use the timeZone field");
                }
            }
        }
        PodSpecs.nonNegative(spec, "startingDeadlineSeconds", SPEC, p);
        PodSpecs.nonNegative(spec, "successfulJobsHistoryLimit", SPEC, p);
        PodSpecs.nonNegative(spec, "failedJobsHistoryLimit", SPEC, p);
        if (spec.containsKey("timeZone")) {
            timeZone(spec.get("timeZone"), SPEC.field("timeZone"), p);
            if (p.minor < TIME_ZONE_FIELD) {
                p.warning(SPEC.field("timeZone"), spec.get("timeZone"), "Kubernetes 1." + p.minor + " drops timeZone (CronJobTimeZone is on by default from 1."
                        + TIME_ZONE_FIELD + "): the schedule runs in the controller's time zone");
            }
        }
        String policy = str(spec, "concurrencyPolicy");
        if (policy != null && !Set.of("Allow", "Forbid", "Replace").contains(policy)) {
            p.unsupported(SPEC.field("concurrencyPolicy"), policy, "\"Allow\", \"Forbid\", \"Replace\"");
        }
        Map<String, Object> jobTemplate = map(spec, "jobTemplate");
        FieldPath jt = SPEC.field("jobTemplate");
        Meta.labels(map(map(jobTemplate, "metadata"), "labels"), jt.field("metadata").field("labels"), p);
        job(map(jobTemplate, "spec"), jt.field("spec"), true, p);
    }

    /**
     * validateTimeZone: not empty, each component of valid characters, not Local, and a zone Go's
     * time.LoadLocation finds; here the JDK's time zone database stands in for the cluster's.
     */
    static void timeZone(Object value, FieldPath path, Problems p) {
        String tz = value instanceof String s ? s : "";
        if (tz.isEmpty()) {
            p.invalid(path, tz, "timeZone must be nil or non-empty string");
            return;
        }
        for (String part : tz.split("/", -1)) {
            if (part.equals(".") || part.equals("..") || part.startsWith("-") || !TIME_ZONE_PART.matcher(part).matches()) {
                p.invalid(path, tz, "unknown time zone " + tz);
                return;
            }
        }
        if (tz.equalsIgnoreCase("Local")) {
            p.invalid(path, tz, "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones");
        } else if (!ZONES.contains(tz)) {
            p.invalid(path, tz, "unknown time zone " + tz);
        }
    }
}
