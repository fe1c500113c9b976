package dev.plinth.check.api;

import dev.plinth.values.FieldPath;

import java.util.Map;

import static dev.plinth.check.api.Fields.map;
import static dev.plinth.check.api.Fields.str;

/** policy/v1: PodDisruptionBudget (policy validation). */
final class Policy {
    private static final FieldPath SPEC = FieldPath.ROOT.field("spec");

    private Policy() {
    }

    static void validate(String kind, Map<String, Object> body, Problems p) {
        if (!kind.equals("PodDisruptionBudget")) return;
        Map<String, Object> spec = map(body, "spec");
        Object min = spec.get("minAvailable");
        Object max = spec.get("maxUnavailable");
        if (min != null && max != null) p.invalid(SPEC, "", "minAvailable and maxUnavailable cannot be both set");
        Apps.intOrPercent(min, SPEC.field("minAvailable"), true, p);
        Apps.intOrPercent(max, SPEC.field("maxUnavailable"), true, p);
        if (Fields.isMap(spec.get("selector"))) Meta.labelSelector(map(spec, "selector"), SPEC.field("selector"), p);
        String policy = str(spec, "unhealthyPodEvictionPolicy");
        if (policy != null && !policy.equals("IfHealthyBudget") && !policy.equals("AlwaysAllow")) {
            p.unsupported(SPEC.field("unhealthyPodEvictionPolicy"), policy, "\"AlwaysAllow\", \"IfHealthyBudget\"");
        }
    }
}
