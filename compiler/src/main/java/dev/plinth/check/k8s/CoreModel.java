package dev.plinth.check.k8s;

import dev.plinth.check.FieldPath;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built-in Kubernetes kinds as fabric8's kubernetes-model knows them, used to check a
 * rendered object strictly: every field must exist in the model (fabric8 itself would silently
 * keep unknown fields in {@code additionalProperties}), have the model's type, and the fields the
 * API requires must be present. fabric8 has no notion of "required"; that comes from the
 * Kubernetes Java client's generated models ({@code openapiRequiredFields}), plus a few fields
 * that the API server's validation requires beyond the OpenAPI schema.
 */
public final class CoreModel {
    private static final Pattern VERSION_SEGMENT = Pattern.compile("v[0-9]+(?:(?:alpha|beta)[0-9]+)?");
    private static final String CLIENT_MODELS = "io.kubernetes.client.openapi.models.";
    /** Required by API server validation although the OpenAPI schema leaves them optional. */
    private static final Map<String, Set<String>> EXTRA_REQUIRED = Map.of(
            "Container", Set.of("image"));

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

    public record ObjectOf(Class<?> type) implements FieldType {
    }

    /** One problem found while walking an object. */
    public record Problem(String path, String message, Object value) {
    }

    private static final CoreModel INSTANCE = new CoreModel();

    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<String, Class<?>> kinds = new HashMap<>();   // "apps/v1 Deployment"
    private final Set<String> groups = new TreeSet<>();
    private final Map<Class<?>, Map<String, FieldType>> fields = new ConcurrentHashMap<>();
    private final Map<Class<?>, Set<String>> required = new ConcurrentHashMap<>();

    public static CoreModel get() {
        return INSTANCE;
    }

    private CoreModel() {
        ClassLoader cl = CoreModel.class.getClassLoader();
        try {
            Enumeration<URL> lists = cl.getResources("META-INF/services/io.fabric8.kubernetes.api.model.KubernetesResource");
            while (lists.hasMoreElements()) {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(lists.nextElement().openStream(), StandardCharsets.UTF_8))) {
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        String name = line.trim();
                        if (name.isEmpty() || name.startsWith("#")) continue;
                        register(cl, name);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void register(ClassLoader cl, String className) {
        Class<?> c;
        try {
            c = Class.forName(className, false, cl);
        } catch (ClassNotFoundException | LinkageError e) {
            return;
        }
        Group g = c.getAnnotation(Group.class);
        Version v = c.getAnnotation(Version.class);
        if (g == null || v == null) return;
        String apiVersion = g.value().isEmpty() ? v.value() : g.value() + "/" + v.value();
        groups.add(g.value());
        kinds.putIfAbsent(apiVersion + " " + c.getSimpleName(), c);
    }

    /** True for the API groups Kubernetes itself serves ("" is the core group). */
    public boolean isBuiltInGroup(String group) {
        return groups.contains(group);
    }

    /** The model class of a built-in kind, or null. */
    public Class<?> classFor(String apiVersion, String kind) {
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
    public void validate(Map<?, ?> object, Class<?> type, List<Problem> problems) {
        walkObject(object, type, FieldPath.ROOT, problems);
    }

    private void walkObject(Map<?, ?> value, Class<?> type, FieldPath path, List<Problem> problems) {
        Map<String, FieldType> known = fieldsOf(type);
        for (Map.Entry<?, ?> e : value.entrySet()) {
            String key = String.valueOf(e.getKey());
            FieldType ft = known.get(key);
            if (ft == null) {
                problems.add(new Problem(path.field(key).toString(), "unknown field '" + key + "' in " + type.getSimpleName(), null));
                continue;
            }
            walk(e.getValue(), ft, path.field(key), problems);
        }
        for (String r : requiredOf(type)) {
            Object v = value.get(r);
            if (v == null || (v instanceof String s && s.isEmpty())) {
                problems.add(new Problem(path.field(r).toString(), "missing required field '" + r + "' of " + type.getSimpleName(), null));
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
                problems.add(new Problem(path.toString(), "expected an object (" + o.type().getSimpleName() + "), got " + describe(value), value));
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
            case QUANTITY -> (v instanceof String s && dev.plinth.schema.SchemaChecker.isQuantity(s)) || v instanceof Number;
        };
        if (!ok) {
            String expected = switch (kind) {
                case INT_OR_STRING -> "an integer or a string";
                case QUANTITY -> "a quantity such as 500m or 1Gi";
                case INTEGER -> "an integer";
                default -> "a " + kind.name().toLowerCase(java.util.Locale.ROOT);
            };
            problems.add(new Problem(path.toString(), "expected " + expected + ", got " + describe(v), v));
        }
    }

    private static String describe(Object v) {
        if (v instanceof String s) return "string '" + s + "'";
        if (v instanceof Map) return "an object";
        if (v instanceof List) return "a list";
        return dev.plinth.yaml.PNode.typeNameOf(v) + " " + v;
    }

    Map<String, FieldType> fieldsOf(Class<?> type) {
        Map<String, FieldType> cached = fields.get(type);
        if (cached != null) return cached;
        JavaType jt = mapper.constructType(type);
        BeanDescription bd = mapper.getDeserializationConfig().introspect(jt);
        Map<String, FieldType> out = new LinkedHashMap<>();
        for (BeanPropertyDefinition p : bd.findProperties()) {
            if (p.getPrimaryType() == null) continue;
            out.put(p.getName(), classify(p.getPrimaryType()));
        }
        fields.put(type, out);
        return out;
    }

    private FieldType classify(JavaType t) {
        if (t.isCollectionLikeType() || t.isArrayType()) return new ListOf(classify(t.getContentType()));
        if (t.isMapLikeType()) return new MapOf(classify(t.getContentType()));
        Class<?> c = t.getRawClass();
        if (c == String.class || c.isEnum()) return new Scalar(Kind.STRING);
        if (c == Integer.class || c == int.class || c == Long.class || c == long.class || c == Short.class) {
            return new Scalar(Kind.INTEGER);
        }
        if (c == Double.class || c == double.class || c == Float.class || c == float.class
                || c == java.math.BigDecimal.class) {
            return new Scalar(Kind.NUMBER);
        }
        if (c == Boolean.class || c == boolean.class) return new Scalar(Kind.BOOLEAN);
        if (c == IntOrString.class) return new Scalar(Kind.INT_OR_STRING);
        if (c == Quantity.class) return new Scalar(Kind.QUANTITY);
        if (c == Object.class || JsonNode.class.isAssignableFrom(c) || c.isInterface()
                || Modifier.isAbstract(c.getModifiers()) || !c.getName().startsWith("io.fabric8.")
                || hasCustomDeserializer(c)) {
            return new Scalar(Kind.ANY);
        }
        return new ObjectOf(c);
    }

    private static boolean hasCustomDeserializer(Class<?> c) {
        JsonDeserialize d = c.getAnnotation(JsonDeserialize.class);
        return d != null && d.using() != com.fasterxml.jackson.databind.JsonDeserializer.None.class;
    }

    Set<String> requiredOf(Class<?> type) {
        return required.computeIfAbsent(type, CoreModel::loadRequired);
    }

    /** Required fields from the Kubernetes Java client's model of the same type and version. */
    private static Set<String> loadRequired(Class<?> type) {
        Set<String> out = new TreeSet<>(EXTRA_REQUIRED.getOrDefault(type.getSimpleName(), Set.of()));
        String pkg = type.getPackageName();
        String last = pkg.substring(pkg.lastIndexOf('.') + 1);
        Matcher m = VERSION_SEGMENT.matcher(last);
        String prefix = m.matches() ? "V" + last.substring(1) : "V1";
        try {
            Class<?> c = Class.forName(CLIENT_MODELS + prefix + type.getSimpleName(), true, CoreModel.class.getClassLoader());
            Object f = c.getField("openapiRequiredFields").get(null);
            if (f instanceof Collection<?> col) col.forEach(x -> out.add(String.valueOf(x)));
        } catch (ReflectiveOperationException | LinkageError e) {
            // no client model of that name: only the extra table applies
        }
        out.remove("apiVersion");
        out.remove("kind");
        return Set.copyOf(out);
    }
}
