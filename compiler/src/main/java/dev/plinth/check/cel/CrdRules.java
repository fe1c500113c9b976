package dev.plinth.check.cel;

import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.cel.common.types.OptionalType;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The {@code x-kubernetes-validations} rules of one CRD version's {@code openAPIV3Schema},
 * compiled once, evaluated on custom resources as the API server does on create: each rule at its
 * schema node with {@code self} bound to the value there (objects with properties as maps of
 * their declared, escaped property names; {@code additionalProperties} as maps; lists; integers,
 * numbers, strings, timestamps and durations by type and format; int-or-string and
 * preserve-unknown-fields as dyn); {@code default}s applied first; null values not validated.
 * Transition rules (those that use {@code oldSelf}) are compiled but skipped, as there is no old
 * object on create (with {@code optionalOldSelf} they are evaluated, {@code oldSelf} being none),
 * and so are rules that use what Plinth does not provide (see {@link CelEnvironment.Expression}).
 * No cost budget is enforced. Immutable once built: thread-safe.
 */
public final class CrdRules {
    /** A rule that failed, at a dotted field path of the object. */
    public record Violation(String path, String message) {
    }

    /**
     * A rule of the schema: its text, where it sits, and whether it compiled or is skipped (a
     * transition rule, or one that uses a function Plinth does not provide, named by
     * {@code unsupported}).
     */
    public record Status(String path, String rule, String error, boolean transition, String unsupported) {
    }

    private record Rule(String text, CelEnvironment.Expression expression, CelEnvironment.Expression messageExpression,
                        String message, List<String> fieldPath, String reason, boolean transition) {
    }

    private static final class Node {
        final Map<String, Object> schema;
        final boolean embedded;
        final List<Rule> rules = new ArrayList<>();
        final Map<String, Node> properties = new LinkedHashMap<>();
        Node items;
        Node additional;

        Node(Map<String, Object> schema, boolean embedded) {
            this.schema = schema;
            this.embedded = embedded;
        }

        boolean empty() {
            return rules.isEmpty() && properties.isEmpty() && items == null && additional == null;
        }
    }

    private static final Pattern OLD_SELF = Pattern.compile("\\boldSelf\\b");
    private static final Set<String> RESERVED = Set.of("true", "false", "null", "in", "as", "break", "const", "continue", "else",
            "for", "function", "if", "import", "let", "loop", "package", "namespace", "return", "var", "void", "while");
    private static final Pattern ESCAPABLE = Pattern.compile("[a-zA-Z_.\\-/][a-zA-Z0-9_.\\-/]*");
    private static final Map<String, Object> OBJECT_META = Map.of("type", "object", "properties",
            Map.of("name", Map.of("type", "string"), "generateName", Map.of("type", "string")));

    private final Node root;
    private final List<Status> statuses = new ArrayList<>();

    private CrdRules(Map<String, Object> schema) {
        Node n = build(schema, true, "");
        this.root = n == null || n.empty() ? null : n;
    }

    /** The rules of a CRD version's {@code openAPIV3Schema}, each compiled once. */
    public static CrdRules of(Map<String, Object> openApiV3Schema) {
        return new CrdRules(openApiV3Schema);
    }

    /** True when the schema has no rules: then {@link #validate} finds nothing. */
    public boolean isEmpty() {
        return root == null;
    }

    /** Every rule of the schema, with its compile error (null when it compiled) and whether it is skipped on create. */
    public List<Status> rules() {
        return List.copyOf(statuses);
    }

    /** The rules the object fails, in schema order. */
    public List<Violation> validate(Map<String, Object> object) {
        if (root == null) return List.of();
        List<Violation> out = new ArrayList<>();
        walk(root, object, "", out);
        return out;
    }

    // ---- building --------------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private Node build(Map<String, Object> schema, boolean embedded, String path) {
        if (schema == null) return null;
        Node n = new Node(schema, embedded);
        CelType type = null;
        List<Object> validations = new ArrayList<>();
        if (schema.get("x-kubernetes-validations") instanceof List<?> l) validations.addAll(l);
        if (schema.get("allOf") instanceof List<?> all) {
            for (Object a : all) {
                if (a instanceof Map<?, ?> am && am.get("x-kubernetes-validations") instanceof List<?> l) validations.addAll(l);
            }
        }
        for (Object v : validations) {
            if (!(v instanceof Map<?, ?> r) || !(r.get("rule") instanceof String text)) continue;
            if (type == null) type = celType(schema, embedded);
            // a transition rule is skipped on create, unless it takes oldSelf as an optional (optionalOldSelf)
            boolean optionalOldSelf = Boolean.TRUE.equals(r.get("optionalOldSelf"));
            boolean transition = OLD_SELF.matcher(text).find() && !optionalOldSelf;
            Map<String, CelType> vars = optionalOldSelf ? Map.of("self", type, "oldSelf", OptionalType.create(type))
                    : transition ? Map.of("self", type, "oldSelf", type) : Map.of("self", type);
            CelEnvironment.Expression e = CelEnvironment.compile(text, vars);
            CelEnvironment.Expression me = r.get("messageExpression") instanceof String m && !m.isBlank()
                    ? CelEnvironment.compile(m, vars) : null;
            String unsupported = e.unsupported() != null ? e.unsupported() : me != null ? me.unsupported() : null;
            String error = unsupported != null ? null
                    : e.error() != null ? e.error() : me != null && me.error() != null ? "messageExpression: " + me.error() : null;
            statuses.add(new Status(path, text, error, transition, unsupported));
            n.rules.add(new Rule(text, e, me, r.get("message") instanceof String m ? m.trim() : "",
                    r.get("fieldPath") instanceof String f ? fieldPath(f) : List.of(),
                    r.get("reason") instanceof String reason ? reason : null, transition));
        }
        if (schema.get("properties") instanceof Map<?, ?> props) {
            for (Map.Entry<?, ?> e : props.entrySet()) {
                if (!(e.getValue() instanceof Map<?, ?> ps)) continue;
                Map<String, Object> p = (Map<String, Object>) ps;
                Node c = build(p, Boolean.TRUE.equals(p.get("x-kubernetes-embedded-resource")), join(path, String.valueOf(e.getKey())));
                if (c != null && !c.empty()) n.properties.put(String.valueOf(e.getKey()), c);
            }
        }
        if (schema.get("items") instanceof Map<?, ?> items) {
            Map<String, Object> i = (Map<String, Object>) items;
            Node c = build(i, Boolean.TRUE.equals(i.get("x-kubernetes-embedded-resource")), path + "[*]");
            if (c != null && !c.empty()) n.items = c;
        }
        if (schema.get("additionalProperties") instanceof Map<?, ?> ap) {
            Map<String, Object> a = (Map<String, Object>) ap;
            Node c = build(a, Boolean.TRUE.equals(a.get("x-kubernetes-embedded-resource")), join(path, "*"));
            if (c != null && !c.empty()) n.additional = c;
        }
        return n;
    }

    /** The CEL type the API server declares {@code self} with at a schema node. */
    static CelType celType(Map<String, Object> schema, boolean embedded) {
        if (Boolean.TRUE.equals(schema.get("x-kubernetes-int-or-string"))) return SimpleType.DYN;
        Object t = schema.get("type");
        if (t == null && (schema.containsKey("properties") || embedded)) t = "object";
        if (!(t instanceof String type)) return SimpleType.DYN;
        switch (type) {
            case "object": {
                if (!schema.containsKey("properties") && !embedded && schema.get("additionalProperties") instanceof Map<?, ?> ap) {
                    @SuppressWarnings("unchecked") Map<String, Object> a = (Map<String, Object>) ap;
                    return MapType.create(SimpleType.STRING, celType(a, Boolean.TRUE.equals(a.get("x-kubernetes-embedded-resource"))));
                }
                return MapType.create(SimpleType.STRING, SimpleType.DYN);
            }
            case "array": {
                if (schema.get("items") instanceof Map<?, ?> im) {
                    @SuppressWarnings("unchecked") Map<String, Object> i = (Map<String, Object>) im;
                    return ListType.create(celType(i, Boolean.TRUE.equals(i.get("x-kubernetes-embedded-resource"))));
                }
                return ListType.create(SimpleType.DYN);
            }
            case "string":
                return switch (String.valueOf(schema.get("format"))) {
                    case "duration" -> SimpleType.DURATION;
                    case "date", "date-time" -> SimpleType.TIMESTAMP;
                    default -> SimpleType.STRING;
                };
            case "integer":
                return SimpleType.INT;
            case "number":
                return SimpleType.DOUBLE;
            case "boolean":
                return SimpleType.BOOL;
            default:
                return SimpleType.DYN;
        }
    }

    // ---- evaluating ------------------------------------------------------------------------------

    private void walk(Node n, Object value, String path, List<Violation> out) {
        if (value == null) return; // the API server validates only non-null values
        if (!n.rules.isEmpty()) evaluate(n, value, path, out);
        if (value instanceof Map<?, ?> m) {
            for (Map.Entry<String, Node> e : n.properties.entrySet()) {
                Object v = m.containsKey(e.getKey()) ? m.get(e.getKey()) : e.getValue().schema.get("default");
                if (v != null) walk(e.getValue(), v, join(path, e.getKey()), out);
            }
            if (n.additional != null) {
                for (Map.Entry<?, ?> e : m.entrySet()) walk(n.additional, e.getValue(), join(path, String.valueOf(e.getKey())), out);
            }
        } else if (value instanceof List<?> l && n.items != null) {
            for (int i = 0; i < l.size(); i++) walk(n.items, l.get(i), path + "[" + i + "]", out);
        }
    }

    private static void evaluate(Node n, Object value, String path, List<Violation> out) {
        // oldSelf is bound (as none) for the rules with optionalOldSelf; the others do not name it
        Map<String, Object> vars = Map.of("self", toCel(value, n.schema, n.embedded), "oldSelf", Optional.empty());
        for (Rule r : n.rules) {
            if (r.transition()) continue; // no oldSelf on create
            if (r.expression().unsupported() != null) continue; // uses what Plinth cannot evaluate (see Status)
            String ruleError = r.message().isEmpty() ? r.text().trim() : r.message();
            if (!r.expression().compiled()) {
                out.add(new Violation(path, "rule compile error: " + r.expression().error() + " (rule: " + r.text().trim() + ")"));
                continue;
            }
            Object result;
            try {
                result = r.expression().eval(vars);
            } catch (CelEnvironment.EvaluationError e) {
                out.add(new Violation(path, e.getMessage() + " evaluating rule: " + ruleError));
                continue;
            }
            if (Boolean.TRUE.equals(result)) continue;
            String at = path;
            for (String f : r.fieldPath()) at = join(at, f);
            String detail = null;
            if (r.messageExpression() != null && r.messageExpression().compiled()) {
                try {
                    if (r.messageExpression().eval(vars) instanceof String s && !s.isBlank() && s.trim().indexOf('\n') < 0) detail = s.trim();
                } catch (CelEnvironment.EvaluationError ignored) {
                    // the API server falls back to the message, as here
                }
            }
            if (detail == null) detail = r.message().isEmpty() ? "failed rule: " + r.text().trim() : r.message();
            out.add(new Violation(at, reasonPrefix(r.reason()) + detail));
        }
    }

    private static String reasonPrefix(String reason) {
        if (reason == null) return "";
        return switch (reason) {
            case "FieldValueForbidden" -> "Forbidden: ";
            case "FieldValueRequired" -> "Required value: ";
            case "FieldValueDuplicate" -> "Duplicate value: ";
            default -> "";
        };
    }

    /** A value as the API server binds it for a schema node (see the class comment). */
    @SuppressWarnings("unchecked")
    static Object toCel(Object value, Map<String, Object> schema, boolean embedded) {
        if (value == null) return NullValue.NULL_VALUE;
        if (schema == null || Boolean.TRUE.equals(schema.get("x-kubernetes-int-or-string"))) return CelValues.dyn(value);
        Object type = schema.get("type");
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> props = schema.get("properties") instanceof Map<?, ?> p ? (Map<String, Object>) p : null;
            if (props != null || embedded) {
                Map<String, Object> out = new LinkedHashMap<>();
                if (embedded) {
                    putField(out, "apiVersion", m.get("apiVersion"), Map.of("type", "string"), false);
                    putField(out, "kind", m.get("kind"), Map.of("type", "string"), false);
                    putField(out, "metadata", m.get("metadata"), OBJECT_META, false);
                }
                if (props != null) {
                    for (Map.Entry<String, Object> e : props.entrySet()) {
                        String k = e.getKey();
                        if (embedded && (k.equals("apiVersion") || k.equals("kind") || k.equals("metadata"))) continue;
                        Map<String, Object> ps = e.getValue() instanceof Map<?, ?> x ? (Map<String, Object>) x : null;
                        Object v = m.containsKey(k) ? m.get(k) : ps == null ? null : ps.get("default");
                        if (v == null && !m.containsKey(k)) continue;
                        putField(out, k, v, ps, ps != null && Boolean.TRUE.equals(ps.get("x-kubernetes-embedded-resource")));
                    }
                }
                return out;
            }
            if (schema.get("additionalProperties") instanceof Map<?, ?> ap) {
                Map<String, Object> a = (Map<String, Object>) ap;
                boolean emb = Boolean.TRUE.equals(a.get("x-kubernetes-embedded-resource"));
                Map<String, Object> out = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : m.entrySet()) out.put(String.valueOf(e.getKey()), toCel(e.getValue(), a, emb));
                return out;
            }
            return CelValues.dyn(value);
        }
        if (value instanceof List<?> l) {
            Map<String, Object> items = schema.get("items") instanceof Map<?, ?> i ? (Map<String, Object>) i : null;
            boolean emb = items != null && Boolean.TRUE.equals(items.get("x-kubernetes-embedded-resource"));
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) out.add(toCel(o, items, emb));
            return out;
        }
        if (value instanceof String s && "string".equals(type) && schema.get("format") instanceof String format) {
            Object parsed = switch (format) {
                case "duration" -> duration(s);
                case "date" -> date(s);
                case "date-time" -> dateTime(s);
                default -> null;
            };
            return parsed != null ? parsed : s;
        }
        if (value instanceof Number) return CelValues.number(value, "number".equals(type));
        return CelValues.dyn(value);
    }

    private static void putField(Map<String, Object> out, String key, Object v, Map<String, Object> schema, boolean embedded) {
        if (v == null) return;
        String k = escape(key);
        if (k != null) out.put(k, toCel(v, schema, embedded));
    }

    /** A property name as CEL sees it ({@code x-foo} is {@code x__dash__foo}), or null when CEL cannot name it. */
    static String escape(String name) {
        if (RESERVED.contains(name)) return "__" + name + "__";
        if (!ESCAPABLE.matcher(name).matches()) return null;
        if (name.matches("[a-zA-Z_][a-zA-Z0-9_]*") && !name.contains("__")) return name;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '_' && i + 1 < name.length() && name.charAt(i + 1) == '_') {
                b.append("__underscores__");
                i++;
            } else if (c == '.') {
                b.append("__dot__");
            } else if (c == '-') {
                b.append("__dash__");
            } else if (c == '/') {
                b.append("__slash__");
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static final Pattern GO_DURATION = Pattern.compile("([0-9]*(?:\\.[0-9]*)?)(ns|us|µs|ms|s|m|h)");

    /** A Go duration ("1h30m", "250ms"), or null. */
    static Duration duration(String s) {
        String t = s.startsWith("-") || s.startsWith("+") ? s.substring(1) : s;
        if (t.isEmpty()) return null;
        if (t.equals("0")) return Duration.ZERO;
        Matcher m = GO_DURATION.matcher(t);
        int at = 0;
        double nanos = 0;
        while (m.find() && m.start() == at) {
            if (m.group(1).isEmpty() || m.group(1).equals(".")) return null;
            double n = Double.parseDouble(m.group(1));
            nanos += n * switch (m.group(2)) {
                case "ns" -> 1d;
                case "us", "µs" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                default -> 3600e9;
            };
            at = m.end();
        }
        if (at != t.length()) return null;
        Duration d = Duration.ofNanos((long) nanos);
        return s.startsWith("-") ? d.negated() : d;
    }

    private static Instant date(String s) {
        try {
            return LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Instant dateTime(String s) {
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    // ---- paths -----------------------------------------------------------------------------------

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static final Pattern PATH_TOKEN = Pattern.compile("\\.([^.\\[\\]]+)|\\['((?:[^'\\\\]|\\\\.)*)'\\]");

    /** A rule's fieldPath ({@code .spec.x} or {@code ['a.b']}) as keys, or none when it cannot be read. */
    static List<String> fieldPath(String f) {
        List<String> keys = new ArrayList<>();
        Matcher m = PATH_TOKEN.matcher(f.trim());
        int at = 0;
        while (m.find() && m.start() == at) {
            keys.add(m.group(1) != null ? m.group(1) : m.group(2).replaceAll("\\\\(.)", "$1"));
            at = m.end();
        }
        return at == f.trim().length() ? keys : List.of();
    }
}
