package dev.plinth.jsonschema;

import dev.plinth.definitions.JsonnetEngine;
import dev.plinth.definitions.Library;
import dev.plinth.diag.Diagnostics;
import dev.plinth.diag.Loc;
import dev.plinth.render.Definition;
import dev.plinth.render.Definitions;
import dev.plinth.schema.ParamSchema;
import dev.plinth.spec.SpecLoader;
import dev.plinth.spec.Specs;
import dev.plinth.values.JsonValues;
import dev.plinth.yaml.PNode;
import dev.plinth.yaml.YamlReader;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * JSON Schema (draft-07, the draft YAML editors support best) for every spec kind, generated
 * from the schemas Plinth checks with: the spec kinds' own schemas and, inside Application, each
 * component type's and trait's {@code parameters}, chosen by the entry's {@code type}. Each
 * file is self-contained (no references between files), so an editor needs only the one it is
 * pointed at.
 */
public final class JsonSchemas {
    public static final String DRAFT = "http://json-schema.org/draft-07/schema#";

    /** The file that picks the schema by {@code kind}, for files holding several kinds. */
    public static final String ANY_KIND_FILE = "plinth.schema.json";

    /**
     * A Kubernetes quantity as Plinth takes it in a spec (the API server's syntax, without a minus
     * sign and with at least one digit), as a full-match pattern.
     */
    static final String QUANTITY = "^\\+?(?=.*[0-9])[0-9]*(\\.[0-9]*)?([numkMGTPE]|[KMGTPE]i|[eE][-+]?[0-9]+)?$";

    private static final Map<String, String> KINDS = Map.of(
            "platform", "Platform", "environment", "Environment", "tenant", "Tenant", "application", "Application");

    private JsonSchemas() {
    }

    /** The built-in set: the spec kinds with the built-in library's types. */
    public static SortedMap<String, String> builtin() {
        return generate(new Library(Path.of("."), List.of()));
    }

    /**
     * The set for a platform root: its platform.yaml's library roots before the built-ins, as a
     * render sees them. Throws {@link dev.plinth.diag.PlinthException} for a broken platform.yaml
     * or definition.
     */
    public static SortedMap<String, String> forPlatform(Path root) {
        return generate(new Library(root, SpecLoader.loadPlatform(root).libraryRoots(root)));
    }

    /** File name to JSON text, one file per spec kind and {@link #ANY_KIND_FILE}. */
    static SortedMap<String, String> generate(Library library) {
        Definitions defs = new Definitions(new JsonnetEngine(library));
        Diagnostics diags = new Diagnostics();
        Map<String, Object> types = new LinkedHashMap<>();
        Map<String, List<String>> names = new LinkedHashMap<>();
        for (String kind : List.of("components", "traits")) {
            List<String> found = new ArrayList<>();
            for (String type : library.typeNames(kind)) {
                try {
                    Definition d = defs.find(kind, type).orElseThrow();
                    types.put(defName(kind, type), typeSchema(d));
                    found.add(type);
                } catch (Definitions.BrokenDefinition e) {
                    diags.error(Loc.file(kind + "/" + type + ".libsonnet"),
                            (kind.equals("components") ? "component type '" : "trait '") + type + "' is broken: " + e.getMessage());
                }
            }
            names.put(kind, found);
        }
        diags.throwIfErrors();

        SortedMap<String, String> files = new TreeMap<>();
        Map<String, Object> anyKindDefs = new LinkedHashMap<>();
        List<Object> byKind = new ArrayList<>();
        for (String kind : SpecLoader.SCHEMA_KINDS) {
            String name = KINDS.get(kind);
            Map<String, Object> schema = kindSchema(name, SpecLoader.kindSchema(kind), names);
            Map<String, Object> file = new LinkedHashMap<>();
            file.put("$schema", DRAFT);
            file.put("title", "Plinth " + name);
            file.putAll(schema);
            if (kind.equals("application")) file.put("definitions", types);
            files.put(kind + ".schema.json", JsonValues.writePretty(file));
            anyKindDefs.put(name, schema);
            byKind.add(when("kind", name, "#/definitions/" + name));
        }
        anyKindDefs.putAll(types);
        Map<String, Object> any = new LinkedHashMap<>();
        any.put("$schema", DRAFT);
        any.put("title", "Plinth spec");
        any.put("description", "A Plinth spec document of any kind (Platform, Environment, Tenant, Application), checked by its kind.");
        any.put("type", "object");
        any.put("required", List.of("apiVersion", "kind"));
        any.put("properties", Map.of(
                "kind", Map.of("enum", List.of("Platform", "Environment", "Tenant", "Application"))));
        any.put("allOf", byKind);
        any.put("definitions", anyKindDefs);
        files.put(ANY_KIND_FILE, JsonValues.writePretty(any));
        return files;
    }

    /** A spec kind: its schema with {@code apiVersion} and {@code kind} fixed, and Application's types wired in. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> kindSchema(String kind, ParamSchema schema, Map<String, List<String>> names) {
        Map<String, Object> s = convert(schema, false);
        Map<String, Object> props = (Map<String, Object>) s.get("properties");
        ((Map<String, Object>) props.get("apiVersion")).put("const", Specs.API_VERSION);
        ((Map<String, Object>) props.get("kind")).put("const", kind);
        if (kind.equals("Application")) {
            Map<String, Object> component = path(s, "properties", "spec", "properties", "components", "items");
            byType(component, "components", names.get("components"));
            byType(path(component, "properties", "traits", "items"), "traits", names.get("traits"));
        }
        return s;
    }

    /**
     * An entry with a {@code type} and {@code properties} (a component or a trait): {@code type}
     * one of the known types, and {@code properties} checked by the type's parameters.
     */
    @SuppressWarnings("unchecked")
    private static void byType(Map<String, Object> entry, String kind, List<String> types) {
        Map<String, Object> props = (Map<String, Object>) entry.get("properties");
        Map<String, Object> type = (Map<String, Object>) props.get("type");
        type.put("enum", List.copyOf(types));
        List<Object> cases = new ArrayList<>();
        for (String t : types) {
            cases.add(when("type", t, "#/definitions/" + defName(kind, t)));
        }
        entry.put("allOf", cases);
    }

    /** {@code if: {properties: {field: {const: value}}, required: [field]}, then: {$ref: ref}}. */
    private static Map<String, Object> when(String field, String value, String ref) {
        Map<String, Object> test = new LinkedHashMap<>();
        test.put("properties", Map.of(field, Map.of("const", value)));
        test.put("required", List.of(field));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("if", test);
        out.put("then", Map.of("$ref", ref));
        return out;
    }

    private static String defName(String kind, String type) {
        return (kind.equals("components") ? "component-" : "trait-") + type;
    }

    /**
     * What a type asks of the entry that names it: {@code properties} by its parameters
     * (described by the definition, with the properties of its example), and present when a
     * parameter is required.
     */
    private static Map<String, Object> typeSchema(Definition d) {
        Map<String, Object> params = convert(d.parameters(), false);
        Map<String, Object> properties = new LinkedHashMap<>();
        if (d.description() != null && !d.description().isEmpty()) properties.put("description", d.description());
        List<Object> examples = examples(d);
        if (!examples.isEmpty()) properties.put("examples", examples);
        properties.putAll(params);
        Map<String, Object> out = new LinkedHashMap<>();
        if (params.containsKey("required")) out.put("required", List.of("properties"));
        out.put("properties", Map.of("properties", properties));
        return out;
    }

    /** The {@code properties} of every entry of the definition's type in its example snippet. */
    private static List<Object> examples(Definition d) {
        List<Object> out = new ArrayList<>();
        if (d.example() == null) return out;
        Diagnostics ignored = new Diagnostics();
        List<PNode> docs;
        try {
            docs = YamlReader.readAll("example", d.example(), ignored);
        } catch (RuntimeException e) {
            return out; // an example that does not parse is the reference docs' concern, not the schema's
        }
        for (PNode doc : docs) collect(doc.toPlain(), d.kind(), d.type(), out);
        return out;
    }

    private static void collect(Object v, String kind, String type, List<Object> out) {
        if (v instanceof Map<?, ?> m) {
            if (m.get(kind) instanceof List<?> entries) {
                for (Object e : entries) {
                    if (e instanceof Map<?, ?> em && type.equals(em.get("type")) && em.get("properties") instanceof Map<?, ?> p) out.add(p);
                }
            }
            for (Object child : m.values()) collect(child, kind, type, out);
        } else if (v instanceof List<?> l) {
            for (Object item : l) collect(item, kind, type, out);
        }
    }

    /**
     * One Plinth schema as JSON Schema. {@code nullable}: an optional field of an object, which
     * Plinth takes as absent when it is written empty ({@code key:} or {@code key: null}).
     */
    static Map<String, Object> convert(ParamSchema p, boolean nullable) {
        Map<String, Object> s = new LinkedHashMap<>();
        if (p.description() != null) s.put("description", p.description());
        switch (p.type()) {
            case "any" -> {
            }
            case "string", "file", "yaml-file" -> s.put("type", "string");
            case "integer", "number", "boolean" -> s.put("type", p.type());
            case "quantity" -> s.put("type", List.of("number", "string"));
            case "int-or-string" -> s.put("type", List.of("integer", "string"));
            case "object", "map", "array" -> s.put("type", p.type().equals("array") ? "array" : "object");
            case ParamSchema.ONE_OF -> {
                List<Object> alternatives = new ArrayList<>();
                for (ParamSchema a : p.oneOf()) alternatives.add(convert(a, false));
                if (nullable) alternatives.add(Map.of("type", "null"));
                s.put("oneOf", alternatives);
            }
            default -> throw new IllegalStateException("unknown type " + p.type());
        }
        if ((p.type().equals("file") || p.type().equals("yaml-file")) && p.description() == null) {
            s.put("description", p.type().equals("file") ? "A file, relative to the spec file."
                    : "A YAML file, relative to the spec file.");
        }
        if (p.type().equals("quantity")) s.put("pattern", QUANTITY);
        if (p.enumValues() != null) {
            List<Object> values = new ArrayList<>(p.enumValues());
            if (nullable) values.add(null);
            s.put("enum", values);
        }
        if (p.pattern() != null) s.put("pattern", "^(?:" + ecmaPattern(p.pattern()) + ")$");
        if (p.minimum() != null) s.put("minimum", p.minimum());
        if (p.maximum() != null) s.put("maximum", p.maximum());
        if (p.properties() != null) {
            Map<String, Object> props = new LinkedHashMap<>();
            List<String> required = new ArrayList<>();
            p.properties().forEach((name, child) -> {
                props.put(name, convert(child, !child.required()));
                if (child.required()) required.add(name);
            });
            if (!required.isEmpty()) s.put("required", required);
            s.put("properties", props);
            s.put("additionalProperties", false);
        }
        if (p.type().equals("map") && p.values() != null) s.put("additionalProperties", convert(p.values(), false));
        if (p.items() != null) s.put("items", convert(p.items(), false));
        if (p.hasDefault()) s.put("default", p.defaultValue());
        if (nullable && s.get("type") != null) {
            List<Object> t = new ArrayList<>(s.get("type") instanceof List<?> l ? l : List.of(s.get("type")));
            t.add("null");
            s.put("type", t);
        }
        return s;
    }

    /**
     * A Java pattern as ECMAScript reads it (JSON Schema's regular expressions): Plinth's
     * patterns use one Java-only construct, a leading {@code (?s)} (dot matches newlines), which
     * becomes {@code [\s\S]} for every dot outside a character class.
     */
    static String ecmaPattern(String java) {
        if (!java.startsWith("(?s)")) return java;
        String p = java.substring(4);
        StringBuilder out = new StringBuilder();
        boolean inClass = false;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '\\' && i + 1 < p.length()) {
                out.append(c).append(p.charAt(++i));
                continue;
            }
            if (c == '[') inClass = true;
            else if (c == ']') inClass = false;
            out.append(c == '.' && !inClass ? "[\\s\\S]" : String.valueOf(c));
        }
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> path(Map<String, Object> s, String... keys) {
        Map<String, Object> m = s;
        for (String k : keys) m = (Map<String, Object>) m.get(k);
        return m;
    }
}
