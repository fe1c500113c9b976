package dev.plinth.render;

import dev.plinth.definitions.JsonnetEngine;
import dev.plinth.definitions.Library;
import dev.plinth.schema.ParamSchema;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Finds component and trait definitions in the library and reads their metadata, once each. */
public final class Definitions {

    /** A definition that exists but cannot be used; the message names the definition file. */
    public static final class BrokenDefinition extends Exception {
        public BrokenDefinition(String message) {
            super(message, null, false, false);
        }
    }

    private final JsonnetEngine engine;
    private final Map<String, Object> cache = new ConcurrentHashMap<>();
    private final UnitMemo evaluations;

    /** What a type may be called (it names a file); compiled once, the render asks per unit and trait. */
    private static final Pattern TYPE_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    public Definitions(JsonnetEngine engine) {
        this(engine, UnitMemo.NONE);
    }

    /** @param evaluations where a definition's metadata from the previous render is kept */
    public Definitions(JsonnetEngine engine, UnitMemo evaluations) {
        this.engine = engine;
        this.evaluations = evaluations;
    }

    public Library library() {
        return engine.library();
    }

    /** Empty when no root has the type; throws when the file is there but broken. */
    public Optional<Definition> find(String kind, String type) throws BrokenDefinition {
        if (!TYPE_NAME.matcher(type).matches()) return Optional.empty();
        Object cached = cache.computeIfAbsent(kind + "/" + type, k -> load(kind, type));
        if (cached instanceof BrokenDefinition b) throw b;
        @SuppressWarnings("unchecked")
        Optional<Definition> d = (Optional<Definition>) cached;
        return d;
    }

    private Object load(String kind, String type) {
        Optional<String> path = library().find(kind, type);
        if (path.isEmpty()) return Optional.empty();
        String display = library().display(path.get());
        String program = "local d = import " + jsonString(path.get()) + ";\n"
                + "assert std.isObject(d) : 'a definition must be an object';\n"
                + "{\n"
                + "  description: if std.objectHasAll(d, 'description') then d.description else '',\n"
                + "  example: if std.objectHasAll(d, 'example') then d.example else null,\n"
                + "  host: if std.objectHasAll(d, 'host') then d.host else null,\n"
                + "  operator: if std.objectHasAll(d, 'operator') then d.operator else null,\n"
                + "  listens: if std.objectHasAll(d, 'listens') then d.listens else [],\n"
                + "  refers: if std.objectHasAll(d, 'refers') then d.refers else [],\n"
                + "  parameters: if std.objectHasAll(d, 'parameters') then d.parameters else {},\n"
                + "  appliesTo: if std.objectHasAll(d, 'appliesTo') then d.appliesTo else ['*'],\n"
                + "  conflictsWith: if std.objectHasAll(d, 'conflictsWith') then d.conflictsWith else [],\n"
                + "  hasRender: std.objectHasAll(d, 'render') && std.isFunction(d.render),\n"
                + "  hasTraitFunction: (std.objectHasAll(d, 'patch') && std.isFunction(d.patch))"
                + " || (std.objectHasAll(d, 'objects') && std.isFunction(d.objects)),\n"
                + "}";
        try {
            // reading a definition's metadata parses its files: reuse the last render's while
            // the file and everything it imports are unchanged
            Object v = evaluations.lookupDefinition(path.get(), library()::hash);
            if (v == null) {
                JsonnetEngine.Tracked t = engine.evaluateTracked(program, null);
                SortedMap<String, String> imports = new TreeMap<>();
                for (String imported : t.imports()) imports.put(imported, library().hash(imported));
                evaluations.storeDefinition(path.get(), imports, t.value());
                v = t.value();
            }
            if (!(v instanceof Map<?, ?> m)) return new BrokenDefinition(display + ": not an object");
            if (kind.equals("components") && !Boolean.TRUE.equals(m.get("hasRender"))) {
                return new BrokenDefinition(display + ": a component definition needs a render(ctx, props) function");
            }
            if (kind.equals("traits") && !Boolean.TRUE.equals(m.get("hasTraitFunction"))) {
                return new BrokenDefinition(display + ": a trait definition needs patch(obj, props, ctx) or objects(props, ctx)");
            }
            if (!(m.get("parameters") instanceof Map<?, ?> params)) {
                return new BrokenDefinition(display + ": parameters must be an object");
            }
            ParamSchema schema;
            try {
                schema = ParamSchema.objectOf(params, "parameters");
            } catch (ParamSchema.InvalidSchema e) {
                return new BrokenDefinition(display + ": " + e.getMessage());
            }
            return Optional.of(new Definition(kind, type, path.get(), display, String.valueOf(m.get("description")),
                    m.get("example") instanceof String ex ? ex : null,
                    schema, strings(m.get("appliesTo")), strings(m.get("conflictsWith")),
                    m.get("host") instanceof String h ? h : null,
                    m.get("operator") instanceof Map<?, ?> op ? castMap(op) : null, listens(m.get("listens")),
                    strings(m.get("refers"))));
        } catch (JsonnetEngine.EvaluationError e) {
            // an error without a library position (a limit hit while the file was parsed) names the file
            return new BrokenDefinition(e.file() == null ? display + ": " + e.getMessage() : e.describe());
        }
    }

    /** A definition's {@code listens}: ports by number or name, TCP unless it says otherwise. */
    private static List<Map<String, Object>> listens(Object o) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (o instanceof List<?> l) {
            for (Object p : l) {
                Map<String, Object> port = new LinkedHashMap<>();
                Object number = p instanceof Map<?, ?> m ? m.get("port") : p;
                port.put("port", number instanceof Number n ? (Object) n.longValue() : String.valueOf(number));
                port.put("protocol", p instanceof Map<?, ?> m && m.get("protocol") != null ? String.valueOf(m.get("protocol")) : "TCP");
                out.add(port);
            }
        }
        return List.copyOf(out);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    private static List<String> strings(Object o) {
        List<String> out = new ArrayList<>();
        if (o instanceof List<?> l) for (Object x : l) out.add(String.valueOf(x));
        return out;
    }

    static String jsonString(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') sb.append('\\');
            sb.append(c);
        }
        return sb.append('"').toString();
    }
}
