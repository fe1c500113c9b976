package dev.plinth.check.k8s;

import dev.plinth.values.FieldPath;
import dev.plinth.values.Quantity;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import dev.plinth.yaml.PNode;
import java.util.Collections;
import java.util.Locale;
import java.util.TreeMap;

/**
 * The built-in Kubernetes kinds as fabric8's kubernetes-model knows them, used to check a
 * rendered object strictly: every field must exist in the model (fabric8 itself would silently
 * keep unknown fields in {@code additionalProperties}), have the model's type, and the fields the
 * API requires must be present. fabric8 has no notion of "required"; that comes from the
 * Kubernetes Java client's generated models ({@code openapiRequiredFields}), plus a few fields
 * that the API server's validation requires beyond the OpenAPI schema.
 *
 * <p>The model is read from a table the build writes ({@value #TABLE}, see ModelIntrospection,
 * a test class the build runs): working it out from the model classes by reflection took a
 * render 25 ms to list the kinds and 50 ms to introspect the types of a few changed objects, and
 * needs the Kubernetes Java client, which is not on the runtime classpath.
 */
public final class CoreModel {
    static final String TABLE = "dev/plinth/check/k8s/core-model.tsv";
    static final String TABLE_HEADER = "# The Kubernetes model Plinth checks objects against, written by the build (ModelIntrospection)";

    /** A type of the model, by the name of fabric8's class for it. */
    public record Type(String className) {
        public String simpleName() {
            return className.substring(Math.max(className.lastIndexOf('.'), className.lastIndexOf('$')) + 1);
        }
    }

    /** A field's shape, as far as checking is concerned. */
    public sealed interface FieldType permits Scalar, ListOf, MapOf, ObjectOf {
    }

    public enum Kind { STRING, INTEGER, NUMBER, BOOLEAN, INT_OR_STRING, QUANTITY, ANY }

    public record Scalar(Kind kind) implements FieldType {
    }

    public record ListOf(FieldType item) implements FieldType {
    }

    public record MapOf(FieldType value) implements FieldType {
    }

    public record ObjectOf(Type type) implements FieldType {
    }

    /** One problem found while walking an object. */
    public record Problem(String path, String message, Object value) {
    }

    /** Where the fields and required fields of a type come from: the build's table or reflection. */
    interface Source {
        Map<String, FieldType> fields(Type type);

        Set<String> required(Type type);
    }

    /** Read on first use, not when the class loads: the build's ModelIntrospection makes models before the table exists. */
    private static final class Instance {
        static final CoreModel MODEL = load();
    }

    private final Map<String, Type> kinds;   // "apps/v1 Deployment"
    private final Set<String> groups;
    private final Source source;
    private final Map<Type, Map<String, FieldType>> fields = new ConcurrentHashMap<>();
    private final Map<Type, Set<String>> required = new ConcurrentHashMap<>();

    CoreModel(Map<String, Type> kinds, Set<String> groups, Source source) {
        this.kinds = Map.copyOf(kinds);
        this.groups = Set.copyOf(groups);
        this.source = source;
    }

    public static CoreModel get() {
        return Instance.MODEL;
    }

    private static CoreModel load() {
        try (InputStream in = CoreModel.class.getClassLoader().getResourceAsStream(TABLE)) {
            if (in == null) throw new IllegalStateException("the build did not write " + TABLE + " (mvn process-test-classes writes it)");
            return fromTable(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The model a table describes: lines {@code K TAB apiVersion kind TAB class}, {@code G TAB
     * group} and {@code T TAB class TAB fields TAB required}, fields as {@code name=shape}
     * joined by {@code ;} (see {@link #encode}) and required fields joined by {@code ,}.
     */
    static CoreModel fromTable(String text) {
        Map<String, Type> kinds = new HashMap<>();
        Set<String> groups = new TreeSet<>();
        Map<Type, String[]> types = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] f = line.split("\t", -1);
            switch (f[0]) {
                case "K" -> kinds.put(f[1], new Type(f[2]));
                case "G" -> groups.add(f[1]);
                case "T" -> types.put(new Type(f[1]), new String[]{f[2], f[3]});
                default -> throw new IllegalStateException("damaged model table line: " + line);
            }
        }
        return new CoreModel(kinds, groups, new Source() {
            @Override
            public Map<String, FieldType> fields(Type type) {
                String[] t = types.get(type);
                Map<String, FieldType> out = new LinkedHashMap<>();
                if (t == null || t[0].isEmpty()) return out;
                for (String field : t[0].split(";")) {
                    int eq = field.indexOf('=');
                    out.put(field.substring(0, eq), decode(field, eq + 1));
                }
                return out;
            }

            @Override
            public Set<String> required(Type type) {
                String[] t = types.get(type);
                return t == null || t[1].isEmpty() ? Set.of()
                        : Collections.unmodifiableSet(new TreeSet<>(List.of(t[1].split(","))));
            }
        });
    }

    /** A shape as one word: a letter per scalar kind, L or M before the item's shape, O before a class name. */
    static String encode(FieldType t) {
        if (t instanceof ListOf l) return "L" + encode(l.item());
        if (t instanceof MapOf m) return "M" + encode(m.value());
        if (t instanceof ObjectOf o) return "O" + o.type().className();
        return switch (((Scalar) t).kind()) {
            case STRING -> "S";
            case INTEGER -> "I";
            case NUMBER -> "N";
            case BOOLEAN -> "B";
            case INT_OR_STRING -> "X";
            case QUANTITY -> "Q";
            case ANY -> "A";
        };
    }

    private static FieldType decode(String s, int at) {
        return switch (s.charAt(at)) {
            case 'L' -> new ListOf(decode(s, at + 1));
            case 'M' -> new MapOf(decode(s, at + 1));
            case 'O' -> new ObjectOf(new Type(s.substring(at + 1)));
            case 'S' -> new Scalar(Kind.STRING);
            case 'I' -> new Scalar(Kind.INTEGER);
            case 'N' -> new Scalar(Kind.NUMBER);
            case 'B' -> new Scalar(Kind.BOOLEAN);
            case 'X' -> new Scalar(Kind.INT_OR_STRING);
            case 'Q' -> new Scalar(Kind.QUANTITY);
            case 'A' -> new Scalar(Kind.ANY);
            default -> throw new IllegalStateException("damaged model table shape: " + s);
        };
    }

    /** The kinds ("apiVersion Kind") with their types, sorted (for the table). */
    Map<String, Type> kinds() {
        return new TreeMap<>(kinds);
    }

    Set<String> groups() {
        return new TreeSet<>(groups);
    }

    /** True for the API groups Kubernetes itself serves ("" is the core group). */
    public boolean isBuiltInGroup(String group) {
        return groups.contains(group);
    }

    /** The model type of a built-in kind, or null. */
    public Type typeFor(String apiVersion, String kind) {
        return kinds.get(apiVersion + " " + kind);
    }

    /** The built-in kinds served under an apiVersion, for messages. */
    public List<String> kindsOf(String apiVersion) {
        TreeSet<String> out = new TreeSet<>();
        kinds.keySet().forEach(k -> {
            if (k.startsWith(apiVersion + " ")) out.add(k.substring(apiVersion.length() + 1));
        });
        return List.copyOf(out);
    }

    /** Checks a whole object against its model class; problems in document order. */
    public void validate(Map<?, ?> object, Type type, List<Problem> problems) {
        walkObject(object, type, FieldPath.ROOT, problems);
    }

    private void walkObject(Map<?, ?> value, Type type, FieldPath path, List<Problem> problems) {
        Map<String, FieldType> known = fieldsOf(type);
        for (Map.Entry<?, ?> e : value.entrySet()) {
            String key = String.valueOf(e.getKey());
            FieldType ft = known.get(key);
            if (ft == null) {
                problems.add(new Problem(path.field(key).toString(), "unknown field '" + key + "' in " + type.simpleName(), null));
                continue;
            }
            walk(e.getValue(), ft, path.field(key), problems);
        }
        for (String r : requiredOf(type)) {
            Object v = value.get(r);
            if (v == null || (v instanceof String s && s.isEmpty())) {
                problems.add(new Problem(path.field(r).toString(), "missing required field '" + r + "' of " + type.simpleName(), null));
            }
        }
    }

    private void walk(Object value, FieldType type, FieldPath path, List<Problem> problems) {
        if (value == null) return; // null is "unset" to the API server
        if (type instanceof Scalar s) {
            checkScalar(value, s.kind(), path, problems);
        } else if (type instanceof ListOf l) {
            if (!(value instanceof List<?> list)) {
                problems.add(new Problem(path.toString(), "expected a list, got " + describe(value), value));
                return;
            }
            for (int i = 0; i < list.size(); i++) walk(list.get(i), l.item(), path.index(i), problems);
        } else if (type instanceof MapOf m) {
            if (!(value instanceof Map<?, ?> map)) {
                problems.add(new Problem(path.toString(), "expected a map, got " + describe(value), value));
                return;
            }
            map.forEach((k, v) -> walk(v, m.value(), path.field(k), problems));
        } else if (type instanceof ObjectOf o) {
            if (!(value instanceof Map<?, ?> map)) {
                problems.add(new Problem(path.toString(), "expected an object (" + o.type().simpleName() + "), got " + describe(value), value));
                return;
            }
            walkObject(map, o.type(), path, problems);
        }
    }

    private static void checkScalar(Object v, Kind kind, FieldPath path, List<Problem> problems) {
        boolean ok = switch (kind) {
            case ANY -> true;
            case STRING -> v instanceof String;
            case INTEGER -> v instanceof Long || v instanceof Integer;
            case NUMBER -> v instanceof Number;
            case BOOLEAN -> v instanceof Boolean;
            case INT_OR_STRING -> v instanceof Long || v instanceof Integer || v instanceof String;
            case QUANTITY -> Quantity.fromValue(v).isPresent();
        };
        if (!ok) {
            String expected = switch (kind) {
                case INT_OR_STRING -> "an integer or a string";
                case QUANTITY -> "a quantity such as 500m or 1Gi";
                case INTEGER -> "an integer";
                default -> "a " + kind.name().toLowerCase(Locale.ROOT);
            };
            problems.add(new Problem(path.toString(), "expected " + expected + ", got " + describe(v), v));
        }
    }

    private static String describe(Object v) {
        if (v instanceof String s) return "string '" + s + "'";
        if (v instanceof Map) return "an object";
        if (v instanceof List) return "a list";
        return PNode.typeNameOf(v) + " " + v;
    }

    Map<String, FieldType> fieldsOf(Type type) {
        return fields.computeIfAbsent(type, source::fields);
    }

    Set<String> requiredOf(Type type) {
        return required.computeIfAbsent(type, source::required);
    }
}
