package dev.plinth.schema;

import dev.plinth.diag.Diagnostics;
import dev.plinth.diag.Loc;
import dev.plinth.values.Quantity;
import dev.plinth.yaml.PNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks a spec value against a {@link ParamSchema}, reporting every problem at the line of the
 * offending value, and returns the value as plain Java with defaults filled in.
 */
public final class SchemaChecker {
    /** Definitions' patterns, compiled once (an invalid one is not kept and is reported each time). */
    private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

    /** Reads a file named by a {@code file} property; returns null after reporting an error. */
    public interface FileReader {
        String read(Loc at, String path, Diagnostics diags);

        /**
         * The documents of a YAML file named by a {@code yaml-file} property (each a map), read
         * as specs are; null after reporting an error.
         */
        default List<Object> readYaml(Loc at, String path, Diagnostics diags) {
            diags.error(at, "yaml-file properties are not read here");
            return null;
        }
    }

    private final Diagnostics diags;
    private final FileReader files;

    public SchemaChecker(Diagnostics diags, FileReader files) {
        this.diags = diags;
        this.files = files;
    }

    /**
     * A spec's quantity: one the API server reads, with a digit (it reads a bare {@code m} or
     * {@code Ki} as zero, which in a spec is a slip) and without a minus sign (an amount of
     * resources).
     */
    private static boolean isSpecQuantity(String s) {
        if (s.startsWith("-") || Quantity.parse(s).isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) >= '0' && s.charAt(i) <= '9') return true;
        return false;
    }

    /** Checks a present value. {@code path} is the dotted name used in messages. */
    public Object check(PNode node, ParamSchema schema, String path) {
        // the plain value only where it is the answer: converting a whole subtree at every level
        // of an object, array or map cost as much as the rest of the check
        Object v = switch (schema.type()) {
            case "array", "map", "object", ParamSchema.ONE_OF -> null;
            default -> node.toPlain();
        };
        switch (schema.type()) {
            case "any":
                return v;
            case "string":
                if (!(v instanceof String s)) return typeError(node, "string", path);
                checkString(node, schema, s, path);
                return s;
            case "file":
                if (!(v instanceof String s)) return typeError(node, "file path (string)", path);
                return files.read(node.loc(), s, diags);
            case "yaml-file":
                if (!(v instanceof String s)) return typeError(node, "file path (string)", path);
                return files.readYaml(node.loc(), s, diags);
            case "integer":
                if (!(v instanceof Long)) return typeError(node, "integer", path);
                if ((Long) v > Integer.MAX_VALUE || (Long) v < Integer.MIN_VALUE) {
                    // Kubernetes' integer fields are int32
                    diags.error(node.loc(), path + ": " + v + " is out of range (at most " + Integer.MAX_VALUE + ")");
                    return null;
                }
                checkNumber(node, schema, (Long) v, path);
                return v;
            case "number":
                if (!(v instanceof Number n)) return typeError(node, "number", path);
                checkNumber(node, schema, n, path);
                return v;
            case "boolean":
                if (!(v instanceof Boolean)) return typeError(node, "boolean", path);
                return v;
            case "quantity":
                if (v instanceof Long || v instanceof Double) return v;
                if (!(v instanceof String s)) return typeError(node, "quantity", path);
                if (!isSpecQuantity(s)) {
                    diags.error(node.loc(), path + ": '" + s + "' is not a Kubernetes quantity (e.g. 500m, 2, 1Gi)");
                    return null;
                }
                return s;
            case "int-or-string":
                if (v instanceof Long) {
                    checkNumber(node, schema, (Long) v, path);
                    return v;
                }
                if (!(v instanceof String s)) return typeError(node, "integer or string", path);
                checkString(node, schema, s, path);
                return s;
            case "array":
                return checkArray(node, schema, path);
            case "map":
                return checkMap(node, schema, path);
            case "object":
                return checkObject(node, schema, path);
            case ParamSchema.ONE_OF:
                return checkOneOf(node, schema, path);
            default:
                throw new IllegalStateException("unknown type " + schema.type());
        }
    }

    /** Checks the properties of an object schema against a map node (the top level of a spec). */
    public Map<String, Object> checkObject(PNode node, ParamSchema schema, String path) {
        if (!(node instanceof PNode.PMap map)) {
            typeError(node, "object", path);
            return null;
        }
        if (schema.properties() == null) {
            return checkMap(node, new ParamSchema("map", false, false, null, null, null, null, null, null,
                    null, null, null, null), path);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, PNode> e : map.entries().entrySet()) {
            ParamSchema ps = schema.properties().get(e.getKey());
            if (ps == null) {
                diags.error(map.keyLoc(e.getKey()), "unknown field '" + join(path, e.getKey()) + "'"
                        + expected(schema.properties().keySet()));
            }
        }
        for (Map.Entry<String, ParamSchema> p : schema.properties().entrySet()) {
            String name = p.getKey();
            ParamSchema ps = p.getValue();
            PNode child = map.get(name);
            if (child == null || (child instanceof PNode.PScalar s && s.value() == null && !ps.required())) {
                Object def = defaultFor(ps);
                if (def != null) out.put(name, def);
                else if (ps.required()) {
                    diags.error(map.loc(), "missing required field '" + join(path, name) + "'");
                }
                continue;
            }
            Object v = check(child, ps, join(path, name));
            if (v != null) out.put(name, v);
        }
        return out;
    }

    /** A value of alternatives: checked against the alternative of its shape. */
    private Object checkOneOf(PNode node, ParamSchema schema, String path) {
        String shape = node instanceof PNode.PMap ? "map" : node instanceof PNode.PList ? "list" : "scalar";
        for (ParamSchema a : schema.oneOf()) {
            if (ParamSchema.shape(a.type()).equals(shape)) return check(node, a, path);
        }
        return typeError(node, schema.typeName(), path);
    }

    /** The default a schema gives to an absent value, or null. */
    public static Object defaultFor(ParamSchema ps) {
        if (ps.hasDefault()) return deepCopy(ps.defaultValue());
        if ("object".equals(ps.type()) && ps.properties() != null) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<String, ParamSchema> p : ps.properties().entrySet()) {
                if (p.getValue().required()) return null;
                Object d = defaultFor(p.getValue());
                if (d != null) out.put(p.getKey(), d);
            }
            return out.isEmpty() ? null : out;
        }
        return null;
    }

    private Map<String, Object> checkMap(PNode node, ParamSchema schema, String path) {
        if (!(node instanceof PNode.PMap map)) {
            typeError(node, "object", path);
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, PNode> e : map.entries().entrySet()) {
            Object v = schema.values() == null ? e.getValue().toPlain()
                    : check(e.getValue(), schema.values(), join(path, e.getKey()));
            out.put(e.getKey(), v);
        }
        return out;
    }

    private List<Object> checkArray(PNode node, ParamSchema schema, String path) {
        if (!(node instanceof PNode.PList list)) {
            typeError(node, "list", path);
            return null;
        }
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < list.items().size(); i++) {
            PNode item = list.items().get(i);
            out.add(schema.items() == null ? item.toPlain() : check(item, schema.items(), path + "[" + i + "]"));
        }
        return out;
    }

    private void checkString(PNode node, ParamSchema schema, String s, String path) {
        if (schema.enumValues() != null && !schema.enumValues().contains(s)) {
            diags.error(node.loc(), path + ": '" + s + "' is not one of " + enumText(schema.enumValues()));
        }
        if (schema.pattern() != null) {
            try {
                if (!PATTERNS.computeIfAbsent(schema.pattern(), Pattern::compile).matcher(s).matches()) {
                    diags.error(node.loc(), path + ": '" + s + "' does not match /" + schema.pattern() + "/");
                }
            } catch (PatternSyntaxException e) {
                diags.error(node.loc(), path + ": the definition's pattern is not a valid regex: " + e.getDescription());
            }
        }
    }

    private void checkNumber(PNode node, ParamSchema schema, Number n, String path) {
        if (schema.enumValues() != null && schema.enumValues().stream().noneMatch(e ->
                e instanceof Number en && en.doubleValue() == n.doubleValue())) {
            diags.error(node.loc(), path + ": " + n + " is not one of " + enumText(schema.enumValues()));
        }
        if (schema.minimum() != null && n.doubleValue() < schema.minimum().doubleValue()) {
            diags.error(node.loc(), path + ": " + n + " is less than the minimum " + fmt(schema.minimum()));
        }
        if (schema.maximum() != null && n.doubleValue() > schema.maximum().doubleValue()) {
            diags.error(node.loc(), path + ": " + n + " is greater than the maximum " + fmt(schema.maximum()));
        }
    }

    private Object typeError(PNode node, String expected, String path) {
        Object v = node.toPlain();
        String got = node.typeName();
        String shown = v instanceof String s ? " '" + s + "'" : (v instanceof Map || v instanceof List || v == null) ? "" : " " + v;
        // a version such as 1.10 written without quotes reaches us as the number 1.1
        String hint = v instanceof Double && expected.equals("string")
                ? " (quote it: YAML reads an unquoted 1.10 as the number 1.1)" : "";
        diags.error(node.loc(), path + ": expected " + expected + ", got " + got + shown + hint);
        return null;
    }

    /** A number as a schema's bound is written: 1 rather than 1.0. */
    public static String fmt(Number n) {
        return n.doubleValue() == Math.rint(n.doubleValue()) ? String.valueOf(n.longValue()) : n.toString();
    }

    private static String enumText(List<Object> values) {
        List<String> s = new ArrayList<>();
        for (Object o : values) s.add(o instanceof Number n ? fmt(n) : String.valueOf(o));
        return "[" + String.join(", ", s) + "]";
    }

    private static String expected(Collection<String> names) {
        return names.isEmpty() ? " (no fields allowed)" : " (expected one of: " + String.join(", ", new TreeSet<>(names)) + ")";
    }

    private static String join(String path, String name) {
        return path == null || path.isEmpty() ? name : path + "." + name;
    }

    @SuppressWarnings("unchecked")
    private static Object deepCopy(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, val) -> out.put(String.valueOf(k), deepCopy(val)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object o : l) out.add(deepCopy(o));
            return out;
        }
        if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) return d.longValue();
        if (v instanceof Integer i) return i.longValue();
        return v;
    }
}
