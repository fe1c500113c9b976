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
        ParamSchema items) {

    public static final Set<String> TYPES = Set.of(
            "string", "integer", "number", "boolean", "quantity", "int-or-string", "object", "map", "array", "file",
            "yaml-file", "any");
    private static final Set<String> KEYS = Set.of(
            "type", "required", "default", "enum", "description", "pattern", "minimum", "maximum",
            "properties", "values", "items");

    /** Thrown for a malformed schema; the caller names the definition file. */
    public static final class InvalidSchema extends RuntimeException {
        public InvalidSchema(String message) {
            super(message);
        }
    }

    /** An object schema whose properties are the given map (the top level of {@code parameters}). */
    public static ParamSchema objectOf(Map<?, ?> properties, String path) {
        return new ParamSchema("object", false, false, null, null, null, null, null, null,
                parseProperties(properties, path), null, null);
    }

    public static ParamSchema parse(Object raw, String path) {
        if (!(raw instanceof Map<?, ?> m)) throw new InvalidSchema(path + ": a schema must be an object");
        for (Object k : m.keySet()) {
            if (!KEYS.contains(String.valueOf(k))) {
                throw new InvalidSchema(path + ": unknown schema keyword '" + k + "'");
            }
        }
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
                props, values, items);
    }

    private static Map<String, ParamSchema> parseProperties(Map<?, ?> pm, String path) {
        Map<String, ParamSchema> props = new LinkedHashMap<>();
        pm.forEach((k, v) -> props.put(String.valueOf(k), parse(v, path + "." + k)));
        return props;
    }
}
