package dev.plinth.check.api;

import dev.plinth.values.LabelSelectors;

import dev.plinth.values.FieldPath;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static dev.plinth.check.api.Fields.list;
import static dev.plinth.check.api.Fields.map;
import java.util.Locale;

/**
 * ObjectMeta (apimachinery's ValidateObjectMeta: name, namespace, labels, annotations) and label
 * selectors (metav1 validation's ValidateLabelSelector, and whether one selects a set of labels).
 */
final class Meta {
    /** TotalAnnotationSizeLimitB: the keys and values of all annotations together. */
    static final int ANNOTATIONS_MAX_BYTES = 256 * 1024;

    private Meta() {
    }

    /** The name rule of a kind, as each API group's validation picks it. */
    static Function<String, String> nameRule(String group, String kind) {
        if (group.isEmpty()) {
            if (kind.equals("Namespace")) return Names::dns1123Label;
            if (kind.equals("Service")) return Names::dns1035Label;
        }
        if (group.equals("apps") && kind.equals("StatefulSet")) return Names::dns1123Label; // its pods' hostnames
        if (group.equals("rbac.authorization.k8s.io")) return Names::pathSegmentName;
        return Names::dns1123Subdomain;
    }

    static void objectMeta(Map<String, Object> body, Function<String, String> nameRule, Problems p) {
        Map<String, Object> meta = map(body, "metadata");
        FieldPath path = FieldPath.ROOT.field("metadata");
        String name = Fields.str(meta, "name");
        if (name == null || name.isEmpty()) {
            p.required(path.field("name"), "name or generateName is required");
        } else {
            p.check(path.field("name"), name, nameRule.apply(name));
        }
        String namespace = Fields.str(meta, "namespace");
        if (namespace != null && !namespace.isEmpty()) p.check(path.field("namespace"), namespace, Names.dns1123Label(namespace));
        labels(map(meta, "labels"), path.field("labels"), p);
        annotations(map(meta, "annotations"), path.field("annotations"), p);
    }

    /** Label keys are qualified names, values label values (ValidateLabels). */
    static void labels(Map<String, Object> labels, FieldPath path, Problems p) {
        for (Map.Entry<String, Object> e : labels.entrySet()) {
            String key = e.getKey();
            String keyProblem = Names.qualifiedName(key);
            if (keyProblem != null) p.invalid(path, key, keyProblem);
            Object v = e.getValue();
            String value = v == null ? "" : String.valueOf(v);
            String valueProblem = Names.labelValue(value);
            if (valueProblem != null) p.invalid(path.field(key), value, valueProblem);
        }
    }

    /** Annotation keys are qualified names (checked lowercased); all together at most 256 KiB. */
    static void annotations(Map<String, Object> annotations, FieldPath path, Problems p) {
        long size = 0;
        for (Map.Entry<String, Object> e : annotations.entrySet()) {
            String key = e.getKey();
            // checked lowercased, as ValidateAnnotations does (lowercasing only when it matters)
            String keyProblem = Names.qualifiedName(key);
            if (keyProblem != null) keyProblem = Names.qualifiedName(key.toLowerCase(Locale.ROOT));
            if (keyProblem != null) p.invalid(path, key, keyProblem);
            size += utf8Length(key) + (e.getValue() == null ? 0 : utf8Length(String.valueOf(e.getValue())));
        }
        if (size > ANNOTATIONS_MAX_BYTES) {
            p.list().add(new Problems.Problem(path.toString(), "Too long: may not be more than " + ANNOTATIONS_MAX_BYTES
                    + " bytes (annotations take " + size + ")", null, false));
        }
    }

    /** The UTF-8 length of a string: its length when it is ASCII (the usual case, found without encoding). */
    static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) n++;
            else if (c < 0x800) n += 2;
            else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else n += 3;
        }
        return n;
    }

    /** ValidateLabelSelector: matchLabels are labels; each expression's key, operator and values fit together. */
    static void labelSelector(Map<String, Object> selector, FieldPath path, Problems p) {
        labels(map(selector, "matchLabels"), path.field("matchLabels"), p);
        List<Object> exprs = list(selector, "matchExpressions");
        for (int i = 0; i < exprs.size(); i++) {
            Map<String, Object> e = map(exprs.get(i));
            FieldPath ep = path.field("matchExpressions").index(i);
            String op = Fields.text(e, "operator");
            List<Object> values = list(e, "values");
            switch (op) {
                case "In", "NotIn" -> {
                    if (values.isEmpty()) p.required(ep.field("values"), "must be specified when `operator` is 'In' or 'NotIn'");
                }
                case "Exists", "DoesNotExist" -> {
                    if (!values.isEmpty()) p.forbidden(ep.field("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
                }
                default -> p.unsupported(ep.field("operator"), op, "\"DoesNotExist\", \"Exists\", \"In\", \"NotIn\"");
            }
            String key = Fields.text(e, "key");
            p.check(ep.field("key"), key, Names.qualifiedName(key));
            for (int j = 0; j < values.size(); j++) {
                String v = String.valueOf(values.get(j));
                p.check(ep.field("values").index(j), v, Names.labelValue(v));
            }
        }
    }

    /** A workload's selector against its pod template's labels: required, not empty, selecting the template. */
    static void selectorMatchesTemplate(Map<String, Object> spec, FieldPath specPath, String kind, Problems p) {
        Object sel = spec.get("selector");
        FieldPath selPath = specPath.field("selector");
        if (!(sel instanceof Map<?, ?>)) {
            p.required(selPath, "");
            return;
        }
        Map<String, Object> selector = map(sel);
        int before = p.list().size();
        labelSelector(selector, selPath, p);
        if (p.list().size() > before) return; // LabelSelectorAsSelector fails: nothing to match
        if (LabelSelectors.isEmpty(selector)) {
            p.invalid(selPath, "{}", "empty selector is invalid for " + kind.toLowerCase(Locale.ROOT));
            return;
        }
        Map<String, Object> labels = map(map(map(spec, "template"), "metadata"), "labels");
        if (!LabelSelectors.matches(selector, labels)) {
            p.invalid(specPath.field("template").field("metadata").field("labels"), labels, "`selector` does not match template `labels`");
        }
    }
}
