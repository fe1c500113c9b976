package dev.plinth.check.api;

import dev.plinth.values.FieldPath;

import java.util.List;
import java.util.Map;
import java.util.Set;
import dev.plinth.values.Quantity;

import static dev.plinth.check.api.Fields.integer;
import static dev.plinth.check.api.Fields.list;
import static dev.plinth.check.api.Fields.map;
import static dev.plinth.check.api.Fields.str;
import static dev.plinth.check.api.Fields.text;

/** autoscaling/v2 HorizontalPodAutoscaler (autoscaling validation); v1's min, max and target too. */
final class Autoscaling {
    private static final FieldPath SPEC = FieldPath.ROOT.field("spec");
    /** Metric source type: the field that carries it. */
    private static final Map<String, String> SOURCES = Map.of("Object", "object", "Pods", "pods", "Resource", "resource",
            "External", "external", "ContainerResource", "containerResource");
    private static final Set<String> TARGET_TYPES = Set.of("Utilization", "Value", "AverageValue");
    private static final List<String> VALUE_FIELDS = List.of("value", "averageValue");
    private static final Set<String> SELECT_POLICIES = Set.of("Max", "Min", "Disabled");
    private static final int MAX_PERIOD_SECONDS = 1800;
    private static final int MAX_STABILIZATION_WINDOW_SECONDS = 3600;

    private Autoscaling() {
    }

    static void validate(String apiVersion, String kind, Map<String, Object> body, Problems p) {
        if (!kind.equals("HorizontalPodAutoscaler")) return;
        Map<String, Object> spec = map(body, "spec");
        Long min = integer(spec, "minReplicas");
        Long max = integer(spec, "maxReplicas");
        if (min != null && min < 1) p.invalid(SPEC.field("minReplicas"), min, "must be greater than or equal to 1");
        if (max == null) p.required(SPEC.field("maxReplicas"), "");
        else if (max < 1) p.invalid(SPEC.field("maxReplicas"), max, "must be greater than 0");
        else if (min != null && max < min) p.invalid(SPEC.field("maxReplicas"), max, "must be greater than or equal to `minReplicas`");
        Map<String, Object> ref = map(spec, "scaleTargetRef");
        FieldPath rp = SPEC.field("scaleTargetRef");
        String refKind = text(ref, "kind");
        String refName = text(ref, "name");
        if (refKind.isEmpty()) p.required(rp.field("kind"), "");
        else p.check(rp.field("kind"), refKind, Names.pathSegmentName(refKind));
        if (refName.isEmpty()) p.required(rp.field("name"), "");
        else p.check(rp.field("name"), refName, Names.pathSegmentName(refName));
        if (apiVersion.equals("autoscaling/v1")) {
            Long target = integer(spec, "targetCPUUtilizationPercentage");
            if (target != null && target < 1) p.invalid(SPEC.field("targetCPUUtilizationPercentage"), target, "must be greater than 0");
            return;
        }
        List<Object> metrics = list(spec, "metrics");
        for (int i = 0; i < metrics.size(); i++) metric(map(metrics.get(i)), SPEC.field("metrics").index(i), p);
        Map<String, Object> behavior = map(spec, "behavior");
        for (String dir : new String[] {"scaleUp", "scaleDown"}) {
            if (Fields.isMap(behavior.get(dir))) rules(map(behavior, dir), SPEC.field("behavior").field(dir), p);
        }
    }

    /** A metric names one source type and fills exactly that source, whose target fits it. */
    private static void metric(Map<String, Object> m, FieldPath path, Problems p) {
        String type = text(m, "type");
        int populated = 0;
        for (String field : SOURCES.values()) if (Fields.isMap(m.get(field))) populated++;
        String field = SOURCES.get(type);
        if (type.isEmpty()) {
            p.required(path.field("type"), "");
            return;
        }
        if (field == null) {
            p.unsupported(path.field("type"), type, "\"ContainerResource\", \"External\", \"Object\", \"Pods\", \"Resource\"");
            return;
        }
        if (!Fields.isMap(m.get(field))) {
            p.required(path.field(field), "must populate information for the given metric source");
            return;
        }
        if (populated > 1) p.forbidden(path, "must populate the given metric source only");
        Map<String, Object> source = map(m, field);
        FieldPath sp = path.field(field);
        switch (type) {
            case "Resource", "ContainerResource" -> {
                String name = text(source, "name");
                if (name.isEmpty()) p.required(sp.field("name"), "");
                if (type.equals("ContainerResource") && text(source, "container").isEmpty()) p.required(sp.field("container"), "");
                Map<String, Object> t = target(map(source, "target"), sp.field("target"), p);
                boolean utilization = t.get("averageUtilization") != null;
                boolean average = t.get("averageValue") != null;
                if (!utilization && !average) p.required(sp.field("target").field("averageUtilization"), "must set either a target raw value or a target utilization");
                else if (utilization && average) p.forbidden(sp.field("target").field("averageValue"), "may not set both a target raw value and a target utilization");
            }
            case "Pods" -> {
                metricIdentifier(map(source, "metric"), sp.field("metric"), p);
                Map<String, Object> t = target(map(source, "target"), sp.field("target"), p);
                if (t.get("averageValue") == null) p.required(sp.field("target").field("averageValue"), "must specify a positive target averageValue");
            }
            default -> { // Object and External
                if (type.equals("Object")) {
                    Map<String, Object> described = map(source, "describedObject");
                    if (text(described, "kind").isEmpty()) p.required(sp.field("describedObject").field("kind"), "");
                    if (text(described, "name").isEmpty()) p.required(sp.field("describedObject").field("name"), "");
                }
                metricIdentifier(map(source, "metric"), sp.field("metric"), p);
                Map<String, Object> t = target(map(source, "target"), sp.field("target"), p);
                if (t.get("value") == null && t.get("averageValue") == null) {
                    p.required(sp.field("target").field("value"), "must set either a target value or averageValue");
                }
            }
        }
    }

    private static void metricIdentifier(Map<String, Object> id, FieldPath path, Problems p) {
        String name = text(id, "name");
        if (name.isEmpty()) p.required(path.field("name"), "must specify a metric name");
        else p.check(path.field("name"), name, Names.pathSegmentName(name));
        if (Fields.isMap(id.get("selector"))) Meta.labelSelector(map(id, "selector"), path.field("selector"), p);
    }

    /** validateMetricTarget: a type of the three, values positive, utilization above 0; returns the target. */
    private static Map<String, Object> target(Map<String, Object> t, FieldPath path, Problems p) {
        String type = text(t, "type");
        if (type.isEmpty()) {
            p.required(path.field("type"), "must specify a metric target type");
        } else if (!TARGET_TYPES.contains(type)) {
            p.invalid(path.field("type"), type, "must be either Utilization, Value, or AverageValue");
        }
        Long utilization = integer(t, "averageUtilization");
        if (utilization != null && utilization < 1) p.invalid(path.field("averageUtilization"), utilization, "must be greater than 0");
        for (String f : VALUE_FIELDS) {
            if (Quantity.fromValue(t.get(f)).filter(q -> q.signum() <= 0).isPresent()) p.invalid(path.field(f), t.get(f), "must be positive");
        }
        return t;
    }

    /** HPAScalingRules: policies of type Pods or Percent with positive values and periods up to 1800 s. */
    private static void rules(Map<String, Object> rules, FieldPath path, Problems p) {
        Long window = integer(rules, "stabilizationWindowSeconds");
        if (window != null && (window < 0 || window > MAX_STABILIZATION_WINDOW_SECONDS)) {
            p.invalid(path.field("stabilizationWindowSeconds"), window, "must be between 0 and " + MAX_STABILIZATION_WINDOW_SECONDS);
        }
        String select = str(rules, "selectPolicy");
        if (select != null && !SELECT_POLICIES.contains(select)) {
            p.unsupported(path.field("selectPolicy"), select, "\"Disabled\", \"Max\", \"Min\"");
        }
        List<Object> policies = list(rules, "policies");
        if (rules.containsKey("policies") && policies.isEmpty()) p.required(path.field("policies"), "must specify at least one Policy");
        for (int i = 0; i < policies.size(); i++) {
            Map<String, Object> policy = map(policies.get(i));
            FieldPath pp = path.field("policies").index(i);
            String type = text(policy, "type");
            if (!type.equals("Pods") && !type.equals("Percent")) p.unsupported(pp.field("type"), type, "\"Percent\", \"Pods\"");
            Long value = integer(policy, "value");
            if (value == null || value <= 0) p.invalid(pp.field("value"), value, "must be greater than zero");
            Long period = integer(policy, "periodSeconds");
            if (period == null || period <= 0) p.invalid(pp.field("periodSeconds"), period, "must be greater than zero");
            else if (period > MAX_PERIOD_SECONDS) p.invalid(pp.field("periodSeconds"), period, "must be less than or equal to " + MAX_PERIOD_SECONDS);
        }
    }
}
