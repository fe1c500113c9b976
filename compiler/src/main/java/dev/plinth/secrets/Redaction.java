package dev.plinth.secrets;

import dev.plinth.values.FieldPath;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every report writer does before it prints: findings (text and JSON), the diff report
 * (Markdown and JSON) and command-line messages. A value the secret detectors flag is masked as
 * {@value #MASK}: as a whole when its name or its encoding made it a secret, only the secret
 * inside it when it is a token in longer text; a URL keeps its user and host
 * ({@code https://ci:***@git.example.com}). Any value of a Secret's {@code data} or
 * {@code stringData} is masked.
 */
public final class Redaction {
    public static final String MASK = "***";

    private Redaction() {
    }

    /** Free text (a message, a path, a URL) with every self-identifying secret and URL password masked. */
    public static String text(String s) {
        return s == null ? null : Detectors.mask(s);
    }

    /**
     * A copy of an object's body in which every value the detectors flag (and every value of a
     * Secret's data) is masked; the same map when there is none. Keys are kept, so paths into
     * the copy are paths into the body (print them through {@link #text}).
     */
    public static Map<String, Object> body(String group, String kind, Map<String, Object> body) {
        Map<FieldPath, String> masked = new HashMap<>();
        SecretScanner.scan(group, kind, body, true, (path, value, what, key) -> {
            if (key) return; // paths are masked as text
            String partial = Detectors.mask(value);
            masked.put(path, what.equals(SecretScanner.SECRET_VALUE) || partial.equals(value) ? MASK : partial);
        });
        if (masked.isEmpty()) return body;
        @SuppressWarnings("unchecked")
        Map<String, Object> copy = (Map<String, Object>) copy(body, FieldPath.ROOT, masked);
        return copy;
    }

    private static Object copy(Object v, FieldPath at, Map<FieldPath, String> masked) {
        String m = masked.get(at);
        if (m != null) return m;
        if (v instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, x) -> out.put(k, copy(x, at.field(k), masked)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (int i = 0; i < l.size(); i++) out.add(copy(l.get(i), at.index(i), masked));
            return out;
        }
        return v;
    }
}
