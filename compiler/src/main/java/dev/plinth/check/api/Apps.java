package dev.plinth.check.api;

import dev.plinth.values.FieldPath;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static dev.plinth.check.api.Fields.integer;
import static dev.plinth.check.api.Fields.list;
import static dev.plinth.check.api.Fields.map;
import static dev.plinth.check.api.Fields.str;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/** apps/v1: Deployment, ReplicaSet, StatefulSet and DaemonSet (apps validation). */
final class Apps {
    static final Set<String> ALWAYS = Set.of("Always");
    private static final FieldPath SPEC = FieldPath.ROOT.field("spec");

    private Apps() {
    }

    static void validate(String kind, Map<String, Object> body, Problems p) {
        Map<String, Object> spec = map(body, "spec");
        switch (kind) {
            case "Deployment" -> {
                workload(spec, kind, p);
                PodSpecs.nonNegative(spec, "revisionHistoryLimit", SPEC, p);
                deploymentStrategy(map(spec, "strategy"), SPEC.field("strategy"), p);
                Long progress = integer(spec, "progressDeadlineSeconds");
                if (progress == null) progress = 600L; // the default
                Long minReady = integer(spec, "minReadySeconds");
                if (progress < 0) {
                    p.invalid(SPEC.field("progressDeadlineSeconds"), progress, "must be greater than or equal to 0");
                } else if (minReady != null && progress <= minReady) {
                    p.invalid(SPEC.field("progressDeadlineSeconds"), progress, "must be greater than minReadySeconds");
                }
            }
            case "ReplicaSet" -> workload(spec, kind, p);
            case "DaemonSet" -> {
                workload(spec, kind, p);
                PodSpecs.nonNegative(spec, "revisionHistoryLimit", SPEC, p);
                Map<String, Object> strategy = map(spec, "updateStrategy");
                String type = str(strategy, "type");
                if (type != null && !type.equals("RollingUpdate") && !type.equals("OnDelete")) {
                    p.unsupported(SPEC.field("updateStrategy").field("type"), type, "\"OnDelete\", \"RollingUpdate\"");
                }
                if (!"OnDelete".equals(type)) {
                    Map<String, Object> ru = map(strategy, "rollingUpdate");
                    FieldPath rp = SPEC.field("updateStrategy").field("rollingUpdate");
                    // defaults: maxUnavailable 1, maxSurge 0; exactly one of them is not zero
                    Object unavailable = ru.get("maxUnavailable") == null ? Long.valueOf(1) : ru.get("maxUnavailable");
                    Object surge = ru.get("maxSurge") == null ? Long.valueOf(0) : ru.get("maxSurge");
                    intOrPercent(ru.get("maxUnavailable"), rp.field("maxUnavailable"), true, p);
                    intOrPercent(ru.get("maxSurge"), rp.field("maxSurge"), true, p);
                    if (!isZero(unavailable) && !isZero(surge)) {
                        p.invalid(rp.field("maxSurge"), surge, "may not be set when maxUnavailable is non-zero"
                                + (ru.get("maxUnavailable") == null ? " (it defaults to 1: set maxUnavailable: 0)" : ""));
                    } else if (isZero(unavailable) && isZero(surge)) {
                        p.required(rp.field("maxUnavailable"), "cannot be 0 when maxSurge is 0");
                    }
                }
            }
            case "StatefulSet" -> {
                workload(spec, kind, p);
                String pmp = str(spec, "podManagementPolicy");
                if (pmp != null && !pmp.equals("OrderedReady") && !pmp.equals("Parallel")) {
                    p.invalid(SPEC.field("podManagementPolicy"), pmp, "must be 'OrderedReady' or 'Parallel'");
                }
                Map<String, Object> strategy = map(spec, "updateStrategy");
                String type = str(strategy, "type");
                if (type != null && !type.equals("RollingUpdate") && !type.equals("OnDelete")) {
                    p.invalid(SPEC.field("updateStrategy"), type, "must be 'RollingUpdate' or 'OnDelete'");
                } else if ("OnDelete".equals(type) && Fields.isMap(strategy.get("rollingUpdate"))) {
                    p.invalid(SPEC.field("updateStrategy").field("rollingUpdate"), "", "only allowed for updateStrategy 'RollingUpdate'");
                }
                Map<String, Object> ru = map(strategy, "rollingUpdate");
                FieldPath rp = SPEC.field("updateStrategy").field("rollingUpdate");
                PodSpecs.nonNegative(ru, "partition", rp, p);
                Object maxUnavailable = ru.get("maxUnavailable");
                intOrPercent(maxUnavailable, rp.field("maxUnavailable"), true, p);
                if (maxUnavailable != null && isZero(maxUnavailable)) p.invalid(rp.field("maxUnavailable"), maxUnavailable, "cannot be 0");
                for (String when : new String[] {"whenDeleted", "whenScaled"}) {
                    String policy = str(map(spec, "persistentVolumeClaimRetentionPolicy"), when);
                    if (policy != null && !policy.equals("Retain") && !policy.equals("Delete")) {
                        p.unsupported(SPEC.field("persistentVolumeClaimRetentionPolicy").field(when), policy, "\"Delete\", \"Retain\"");
                    }
                }
            }
            default -> {
            }
        }
    }

    /** Replicas and minReadySeconds non-negative, the selector selects the template, which restarts Always and has no deadline. */
    private static void workload(Map<String, Object> spec, String kind, Problems p) {
        PodSpecs.nonNegative(spec, "replicas", SPEC, p);
        PodSpecs.nonNegative(spec, "minReadySeconds", SPEC, p);
        Meta.selectorMatchesTemplate(spec, SPEC, kind, p);
        Map<String, Object> template = map(spec, "template");
        FieldPath tp = SPEC.field("template");
        if (kind.equals("StatefulSet")) {
            // the API server validates only the template's labels here; the pods the controller
            // creates from it are validated with the claim templates as volumes
            Map<String, Object> withClaims = withClaimVolumes(template, list(spec, "volumeClaimTemplates"));
            PodSpecs.template(withClaims, tp, ALWAYS, p);
        } else {
            PodSpecs.template(template, tp, ALWAYS, p);
        }
        if (map(template, "spec").get("activeDeadlineSeconds") != null) {
            p.forbidden(tp.field("spec").field("activeDeadlineSeconds"), "activeDeadlineSeconds in " + kind + " is not Supported");
        }
    }

    /** A StatefulSet's template whose volumes include one per volume claim template (as in its pods). */
    private static Map<String, Object> withClaimVolumes(Map<String, Object> template, List<Object> claims) {
        if (claims.isEmpty()) return template;
        Map<String, Object> spec = new LinkedHashMap<>(map(template, "spec"));
        List<Object> volumes = new ArrayList<>(list(spec, "volumes"));
        Set<String> names = new HashSet<>();
        for (Object v : volumes) names.add(String.valueOf(map(v).get("name")));
        for (Object c : claims) {
            String name = str(map(map(c), "metadata"), "name");
            if (name != null && names.add(name)) volumes.add(Map.of("name", name, "persistentVolumeClaim", Map.of("claimName", name)));
        }
        spec.put("volumes", volumes);
        Map<String, Object> t = new LinkedHashMap<>(template);
        t.put("spec", spec);
        return t;
    }

    private static void deploymentStrategy(Map<String, Object> strategy, FieldPath path, Problems p) {
        String type = str(strategy, "type");
        if (type == null || type.equals("RollingUpdate")) {
            Map<String, Object> ru = map(strategy, "rollingUpdate");
            FieldPath rp = path.field("rollingUpdate");
            Object unavailable = ru.get("maxUnavailable");
            Object surge = ru.get("maxSurge");
            intOrPercent(unavailable, rp.field("maxUnavailable"), true, p);
            intOrPercent(surge, rp.field("maxSurge"), false, p);
            if (isZero(unavailable) && isZero(surge)) {
                p.invalid(rp.field("maxUnavailable"), unavailable, "may not be 0 when `maxSurge` is 0");
            }
        } else if (type.equals("Recreate")) {
            if (Fields.isMap(strategy.get("rollingUpdate"))) {
                p.forbidden(path.field("rollingUpdate"), "may not be specified when strategy `type` is 'Recreate'");
            }
        } else {
            p.unsupported(path.field("type"), type, "\"Recreate\", \"RollingUpdate\"");
        }
    }

    /** getIntOrPercentValue(v) == 0: the integer 0 or a zero percentage. */
    private static boolean isZero(Object v) {
        if (v instanceof Number n) return n.longValue() == 0;
        return v instanceof String s && Names.isPercent(s) && s.chars().limit(s.length() - 1).allMatch(c -> c == '0');
    }

    /**
     * ValidateNonnegativeIntOrPercent, and IsNotMoreThan100Percent where {@code atMost100}: an
     * integer at least 0 or a string 'N%'.
     */
    static void intOrPercent(Object v, FieldPath path, boolean atMost100, Problems p) {
        if (v == null) return;
        if (v instanceof String s) {
            if (!Names.isPercent(s)) {
                p.invalid(path, s, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%')");
            } else if (atMost100 && new BigInteger(s.substring(0, s.length() - 1)).compareTo(BigInteger.valueOf(100)) > 0) {
                p.invalid(path, s, "must not be greater than 100%");
            }
        } else if (v instanceof Number n && n.longValue() < 0) {
            p.invalid(path, n, "must be greater than or equal to 0");
        }
    }
}
