package dev.plinth.check.k8s;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import dev.plinth.check.k8s.CoreModel.FieldType;
import dev.plinth.check.k8s.CoreModel.Kind;
import dev.plinth.check.k8s.CoreModel.ListOf;
import dev.plinth.check.k8s.CoreModel.MapOf;
import dev.plinth.check.k8s.CoreModel.ObjectOf;
import dev.plinth.check.k8s.CoreModel.Scalar;
import dev.plinth.check.k8s.CoreModel.Type;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Works the {@link CoreModel} out from the model classes: the kinds fabric8's kubernetes-model
 * lists as services, their fields by Jackson's bean introspection, and their required fields from
 * the Kubernetes Java client's models of the same name. The build runs {@link #main} to write the
 * table the compiler reads instead (exec-maven-plugin at process-test-classes, from the test
 * classes: this class and the client, a test dependency, stay out of the runtime jar).
 */
public final class ModelIntrospection implements CoreModel.Source {
    private static final Pattern VERSION_SEGMENT = Pattern.compile("v[0-9]+(?:(?:alpha|beta)[0-9]+)?");
    private static final String CLIENT_MODELS = "io.kubernetes.client.openapi.models.";
    /** Required by API server validation although the OpenAPI schema leaves them optional. */
    private static final Map<String, Set<String>> EXTRA_REQUIRED = Map.of(
            "Container", Set.of("image"));

    private final ObjectMapper mapper = new ObjectMapper();

    private ModelIntrospection() {
    }

    /** The model, worked out from the classes. */
    static CoreModel model() {
        ClassLoader cl = ModelIntrospection.class.getClassLoader();
        Map<String, Type> kinds = new HashMap<>();
        Set<String> groups = new TreeSet<>();
        try {
            Enumeration<URL> lists = cl.getResources("META-INF/services/io.fabric8.kubernetes.api.model.KubernetesResource");
            while (lists.hasMoreElements()) {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(lists.nextElement().openStream(), StandardCharsets.UTF_8))) {
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        String name = line.trim();
                        if (name.isEmpty() || name.startsWith("#")) continue;
                        Class<?> c;
                        try {
                            c = Class.forName(name, false, cl);
                        } catch (ClassNotFoundException | LinkageError e) {
                            continue;
                        }
                        Group g = c.getAnnotation(Group.class);
                        Version v = c.getAnnotation(Version.class);
                        if (g == null || v == null) continue;
                        String apiVersion = g.value().isEmpty() ? v.value() : g.value() + "/" + v.value();
                        groups.add(g.value());
                        kinds.putIfAbsent(apiVersion + " " + c.getSimpleName(), new Type(c.getName()));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new CoreModel(kinds, groups, new ModelIntrospection());
    }

    private static Class<?> classOf(Type type) {
        try {
            return Class.forName(type.className(), false, ModelIntrospection.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the Kubernetes model has no class " + type.className(), e);
        }
    }

    @Override
    public Map<String, FieldType> fields(Type type) {
        JavaType jt = mapper.constructType(classOf(type));
        BeanDescription bd = mapper.getDeserializationConfig().introspect(jt);
        Map<String, FieldType> out = new LinkedHashMap<>();
        for (BeanPropertyDefinition p : bd.findProperties()) {
            if (p.getPrimaryType() == null) continue;
            out.put(p.getName(), classify(p.getPrimaryType()));
        }
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
        return new ObjectOf(new Type(c.getName()));
    }

    private static boolean hasCustomDeserializer(Class<?> c) {
        JsonDeserialize d = c.getAnnotation(JsonDeserialize.class);
        return d != null && d.using() != com.fasterxml.jackson.databind.JsonDeserializer.None.class;
    }

    /** Required fields from the Kubernetes Java client's model of the same type and version. */
    @Override
    public Set<String> required(Type type) {
        Set<String> out = new TreeSet<>(EXTRA_REQUIRED.getOrDefault(type.simpleName(), Set.of()));
        String pkg = type.className().substring(0, type.className().lastIndexOf('.'));
        String last = pkg.substring(pkg.lastIndexOf('.') + 1);
        Matcher m = VERSION_SEGMENT.matcher(last);
        String prefix = m.matches() ? "V" + last.substring(1) : "V1";
        try {
            Class<?> c = Class.forName(CLIENT_MODELS + prefix + type.simpleName(), true, ModelIntrospection.class.getClassLoader());
            Object f = c.getField("openapiRequiredFields").get(null);
            if (f instanceof Collection<?> col) col.forEach(x -> out.add(String.valueOf(x)));
        } catch (ReflectiveOperationException | LinkageError e) {
            // no client model of that name: only the extra table applies
        }
        out.remove("apiVersion");
        out.remove("kind");
        return java.util.Collections.unmodifiableSet(out); // sorted: problems come in the same order every time
    }

    /**
     * The table of a model (see {@link CoreModel#fromTable}): its kinds and groups, and every
     * type a kind reaches through its fields, sorted, so that the same model gives the same bytes.
     */
    static String table(CoreModel model) {
        StringBuilder sb = new StringBuilder(CoreModel.TABLE_HEADER).append('\n');
        model.kinds().forEach((kind, type) -> sb.append("K\t").append(kind).append('\t').append(type.className()).append('\n'));
        model.groups().forEach(g -> sb.append("G\t").append(g).append('\n'));
        Map<String, Type> reached = new TreeMap<>();
        Deque<Type> todo = new ArrayDeque<>(model.kinds().values());
        while (!todo.isEmpty()) {
            Type t = todo.pop();
            if (reached.putIfAbsent(t.className(), t) != null) continue;
            for (FieldType f : model.fieldsOf(t).values()) {
                while (f instanceof ListOf || f instanceof MapOf) f = f instanceof ListOf l ? l.item() : ((MapOf) f).value();
                if (f instanceof ObjectOf o) todo.push(o.type());
            }
        }
        for (Type t : reached.values()) {
            StringBuilder fields = new StringBuilder();
            model.fieldsOf(t).forEach((name, shape) -> {
                if (!name.matches("[A-Za-z0-9_$.\\-]+")) throw new IllegalStateException("field name the table cannot hold: " + name);
                if (fields.length() > 0) fields.append(';');
                fields.append(name).append('=').append(CoreModel.encode(shape));
            });
            sb.append("T\t").append(t.className()).append('\t').append(fields).append('\t')
                    .append(String.join(",", new TreeSet<>(model.requiredOf(t)))).append('\n');
        }
        return sb.toString();
    }

    /** Writes the table of the model worked out from the classes to the file given. */
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        Files.createDirectories(out.getParent());
        Files.writeString(out, table(model()), StandardCharsets.UTF_8);
    }
}
