package dev.plinth.schema;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parameter schema: the small, JSON-Schema-like language that definitions use for their
 * {@code parameters} and that Plinth uses for its own spec kinds. Parsed from plain values
 * (a Jsonnet object or a YAML resource).
 *
 * <pre>
 * { type: 'string'|'integer'|'number'|'boolean'|'quantity'|'int-or-string'|'object'|'map'|'array'
 *         |'file'|'any',
 *   required: bool, default: value, enum: [..], description: '..', pattern: 'regex',
 *   minimum: n, maximum: n,
 *   properties: {name: schema}   // object: exactly these keys
 *   values: schema               // map: any keys, values of this schema
 *   items: schema }              // array
 * { oneOf: [schema, ..] }        // alternatives of different shapes (a scalar, an object or map, a list)
 * </pre>
 */
public record ParamSchema(
        String type,
        boolean required,
        boolean hasDefault,
        Object defaultValue,
        List<Object> enumValues,
        String description,
        String pattern,
        Number minimum,
        Number maximum,
        Map<String, ParamSchema> properties,
        ParamSchema values,
        ParamSchema items,
        List<ParamSchema> oneOf) {

    public static final Set<String> TYPES = Set.of(
            "string", "integer", "number", "boolean", "quantity", "int-or-string", "object", "map", "array", "file",
            "yaml-file", "any");
    private static final Set<String> KEYS = Set.of(
            "type", "required", "default", "enum", "description", "pattern", "minimum", "maximum",
            "properties", "values", "items", "oneOf");

    /** The type of a schema written with {@code oneOf}: its value takes one of the alternatives. */
    public static final String ONE_OF = "oneOf";

    /** Thrown for a malformed schema; the caller names the definition file. */
    public static final class InvalidSchema extends RuntimeException {
        public InvalidSchema(String message) {
            super(message);
        }
    }

    /** An object schema whose properties are the given map (the top level of {@code parameters}). */
    public static ParamSchema objectOf(Map<?, ?> properties, String path) {
        return new ParamSchema("object", false, false, null, null, null, null, null, null,
                parseProperties(properties, path), null, null, null);
    }

    public static ParamSchema parse(Object raw, String path) {
        if (!(raw instanceof Map<?, ?> m)) throw new InvalidSchema(path + ": a schema must be an object");
        for (Object k : m.keySet()) {
            if (!KEYS.contains(String.valueOf(k))) {
                throw new InvalidSchema(path + ": unknown schema keyword '" + k + "'");
            }
        }
        if (m.containsKey("oneOf")) return parseOneOf(m, path);
        Object t = m.get("type");
        String type = t == null ? (m.containsKey("properties") ? "object" : "any") : String.valueOf(t);
        if (!TYPES.contains(type)) {
            throw new InvalidSchema(path + ": unknown type '" + type + "' (one of " + String.join(", ",
                    TYPES.stream().sorted().toList()) + ")");
        }
        Map<String, ParamSchema> props = null;
        if (m.get("properties") instanceof Map<?, ?> pm) props = parseProperties(pm, path);
        else if (m.containsKey("properties")) throw new InvalidSchema(path + ".properties: must be an object");
        if (props != null && !type.equals("object")) {
            throw new InvalidSchema(path + ": 'properties' only applies to type object");
        }
        ParamSchema values = m.containsKey("values") ? parse(m.get("values"), path + ".values") : null;
        ParamSchema items = m.containsKey("items") ? parse(m.get("items"), path + ".items") : null;
        List<Object> en = null;
        if (m.get("enum") instanceof List<?> l) en = List.copyOf(l);
        else if (m.containsKey("enum")) throw new InvalidSchema(path + ".enum: must be a list");
        return new ParamSchema(type,
                Boolean.TRUE.equals(m.get("required")),
                m.containsKey("default"),
                m.get("default"),
                en,
                m.get("description") instanceof String s ? s : null,
                m.get("pattern") instanceof String s ? s : null,
                m.get("minimum") instanceof Number n ? n : null,
                m.get("maximum") instanceof Number n ? n : null,
                props, values, items, null);
    }

    /**
     * A schema of alternatives, told apart by the value's shape: a scalar takes the first
     * alternative of a scalar type, a map the first object or map, a list the first array. Two
     * alternatives of one shape could not be told apart and are refused.
     */
    private static ParamSchema parseOneOf(Map<?, ?> m, String path) {
        for (Object k : m.keySet()) {
            if (!Set.of("oneOf", "required", "default", "description").contains(String.valueOf(k))) {
                throw new InvalidSchema(path + ": '" + k + "' does not apply to a oneOf schema (give it to the alternatives)");
            }
        }
        if (!(m.get("oneOf") instanceof List<?> l) || l.size() < 2) throw new InvalidSchema(path + ".oneOf: must be a list of at least two schemas");
        List<ParamSchema> alternatives = new java.util.ArrayList<>();
        Set<String> shapes = new java.util.HashSet<>();
        for (int i = 0; i < l.size(); i++) {
            ParamSchema a = parse(l.get(i), path + ".oneOf[" + i + "]");
            if (a.type().equals(ONE_OF) || a.type().equals("any")) throw new InvalidSchema(path + ".oneOf[" + i + "]: an alternative must have a type other than any");
            if (!shapes.add(shape(a.type()))) throw new InvalidSchema(path + ".oneOf[" + i + "]: a second alternative of the same shape (" + shape(a.type()) + ")");
            alternatives.add(a);
        }
        return new ParamSchema(ONE_OF, Boolean.TRUE.equals(m.get("required")), m.containsKey("default"), m.get("default"), null,
                m.get("description") instanceof String s ? s : null, null, null, null, null, null, null, List.copyOf(alternatives));
    }

    /** The shape of a value of this type: scalar, map (object and map) or list. */
    public static String shape(String type) {
        return switch (type) {
            case "object", "map" -> "map";
            case "array" -> "list";
            default -> "scalar";
        };
    }

    /** The type as the docs name it: {@code string or object} for alternatives. */
    public String typeName() {
        if (oneOf == null) return type;
        return String.join(" or ", oneOf.stream().map(ParamSchema::typeName).toList());
    }

    private static Map<String, ParamSchema> parseProperties(Map<?, ?> pm, String path) {
        Map<String, ParamSchema> props = new LinkedHashMap<>();
        pm.forEach((k, v) -> props.put(String.valueOf(k), parse(v, path + "." + k)));
        return props;
    }
}
