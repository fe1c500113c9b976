package dev.plinth.check.api;

import java.util.List;
import java.util.Map;

/** Reading a plain YAML body (maps, lists, strings, numbers) without casts at every step. */
public final class Fields {
    private Fields() {
    }

    /** The map, or an empty one when the value is not a map. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** The list, or an empty one when the value is not a list. */
    @SuppressWarnings("unchecked")
    public static List<Object> list(Object o) {
        return o instanceof List<?> l ? (List<Object>) l : List.of();
    }

    static Map<String, Object> map(Map<String, Object> m, String key) {
        return map(m.get(key));
    }

    static List<Object> list(Map<String, Object> m, String key) {
        return list(m.get(key));
    }

    /** The string at key, or null when absent or not a string. */
    static String str(Map<String, Object> m, String key) {
        return m.get(key) instanceof String s ? s : null;
    }

    /** The string at key, or "" when absent. */
    static String text(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v instanceof String s ? s : "";
    }

    /** The integer at key, or null when absent or not a whole number. */
    static Long integer(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v instanceof Integer || v instanceof Long || v instanceof Short) return ((Number) v).longValue();
        return null;
    }

    static boolean isTrue(Map<String, Object> m, String key) {
        return Boolean.TRUE.equals(m.get(key));
    }

    static boolean isMap(Object o) {
        return o instanceof Map<?, ?>;
    }
}
