package dev.plinth.secrets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plinth.values.FieldPath;

import java.util.List;
import java.util.Map;

/**
 * Walks one object and reports every string that {@link Detectors} takes for a secret, with the
 * name it is stored under as context: a map's key, an env var's {@code name} (any list item with
 * {@code name} and {@code value}), the key id next to an AWS secret key. Map keys are scanned as
 * well as values, and an annotation holding JSON (such as {@code
 * kubectl.kubernetes.io/last-applied-configuration}) is scanned as the object it holds.
 */
public final class SecretScanner {
    /** Where a secret was found. */
    @FunctionalInterface
    public interface Sink {
        /**
         * @param path  the field (for a key: the entry the key names)
         * @param value the offending string (the key itself when {@code key})
         * @param what  the detector, "a GitHub token"
         * @param key   whether the map key, not the value, is the secret
         */
        void found(FieldPath path, String value, String what, boolean key);
    }

    /** Reported for each value of a Secret's {@code data} or {@code stringData}, when asked for. */
    public static final String SECRET_VALUE = "a Secret's value";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_DEPTH = 200;

    private SecretScanner() {
    }

    /**
     * Scans {@code body}, an object of {@code group}/{@code kind}. With {@code secretValues}, each
     * value of a Secret's {@code data} and {@code stringData} is reported as {@link #SECRET_VALUE}
     * (the check reports those once per field; the redaction masks every one).
     */
    public static void scan(String group, String kind, Map<?, ?> body, boolean secretValues, Sink sink) {
        boolean secret = "Secret".equals(kind) && (group == null || group.isEmpty());
        for (Map.Entry<?, ?> e : body.entrySet()) {
            FieldPath at = FieldPath.ROOT.field(e.getKey());
            if (secret && ("data".equals(e.getKey()) || "stringData".equals(e.getKey())) && e.getValue() instanceof Map<?, ?> data) {
                if (secretValues) {
                    for (Map.Entry<?, ?> d : data.entrySet()) {
                        if (d.getValue() != null) sink.found(at.field(d.getKey()), String.valueOf(d.getValue()), SECRET_VALUE, false);
                    }
                }
                continue;
            }
            if ("SealedSecret".equals(kind) && "bitnami.com".equals(group) && "spec".equals(e.getKey()) && e.getValue() instanceof Map<?, ?> spec) {
                walkSealedSpec(spec, at, sink);
                continue;
            }
            walk(e.getValue(), String.valueOf(e.getKey()), at, "metadata".equals(e.getKey()), sink, 0);
        }
    }

    /**
     * A SealedSecret's spec: its encryptedData values are ciphertext when they have the shape
     * kubeseal writes, and only their keys are scanned; a value of another shape is scanned as
     * any string is (plaintext pasted where ciphertext belongs).
     */
    private static void walkSealedSpec(Map<?, ?> spec, FieldPath at, Sink sink) {
        for (Map.Entry<?, ?> e : spec.entrySet()) {
            FieldPath field = at.field(e.getKey());
            if ("encryptedData".equals(e.getKey()) && e.getValue() instanceof Map<?, ?> data) {
                for (Map.Entry<?, ?> d : data.entrySet()) {
                    String k = String.valueOf(d.getKey());
                    String what = Detectors.inKey(k);
                    if (what != null) sink.found(field.field(d.getKey()), k, what, true);
                    if (!(d.getValue() instanceof String v && sealed(v))) walk(d.getValue(), k, field.field(d.getKey()), false, sink, 1);
                }
            } else {
                walk(e.getValue(), String.valueOf(e.getKey()), field, false, sink, 1);
            }
        }
    }

    /**
     * Whether a value is kubeseal's ciphertext: base64 of a two-byte big-endian length of the
     * RSA-encrypted session key (256, 384 or 512 bytes for 2048- to 4096-bit keys), that key,
     * and the AES-GCM sealed value (at least its 16-byte tag).
     */
    static boolean sealed(String value) {
        byte[] bytes;
        try {
            bytes = java.util.Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (bytes.length < 2) return false;
        int keyLength = (bytes[0] & 0xff) << 8 | bytes[1] & 0xff;
        return (keyLength == 256 || keyLength == 384 || keyLength == 512) && bytes.length >= 2 + keyLength + 16;
    }

    private static void walk(Object value, String name, FieldPath where, boolean metadata, Sink sink, int depth) {
        if (depth > MAX_DEPTH) return;
        if (value instanceof String s) {
            String what = detect(name, s);
            if (what == null && metadata && s.length() > 2 && s.charAt(0) == '{' && where.parent() != null
                    && "annotations".equals(where.parent().key())) {
                what = inJson(s);
            }
            if (what != null) sink.found(where, s, what, false);
        } else if (value instanceof Map<?, ?> m) {
            boolean hasKeyId = false;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String k = String.valueOf(e.getKey());
                FieldPath at = where.field(e.getKey());
                String what = Detectors.inKey(k);
                if (what != null) sink.found(at, k, what, true);
                if (e.getValue() instanceof String s && isKeyId(s)) hasKeyId = true;
                walk(e.getValue(), k, at, metadata, sink, depth + 1);
            }
            if (hasKeyId) { // an AWS secret key next to its key id, under whatever name
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (e.getValue() instanceof String s && Detectors.awsSecretShape(s) && detect(String.valueOf(e.getKey()), s) == null) {
                        sink.found(where.field(e.getKey()), s, "an AWS secret access key", false);
                    }
                }
            }
        } else if (value instanceof List<?> l) {
            boolean hasKeyId = false;
            for (int i = 0; i < l.size(); i++) {
                Object item = l.get(i);
                FieldPath at = where.index(i);
                if (item instanceof Map<?, ?> m && m.get("name") instanceof String n && m.get("value") instanceof String v) {
                    // an env var (or any name/value pair): the value is known by the item's name
                    String what = detect(n, v);
                    String keyWhat = Detectors.inKey(n);
                    if (keyWhat != null) sink.found(at.field("name"), n, keyWhat, true);
                    if (what != null) sink.found(at.field("value"), v, what, false);
                    if (isKeyId(v)) hasKeyId = true;
                    for (Map.Entry<?, ?> e : m.entrySet()) {
                        if (!"name".equals(e.getKey()) && !"value".equals(e.getKey())) {
                            walk(e.getValue(), String.valueOf(e.getKey()), at.field(e.getKey()), metadata, sink, depth + 1);
                        }
                    }
                } else {
                    walk(item, name, at, metadata, sink, depth + 1);
                }
            }
            if (hasKeyId) {
                for (int i = 0; i < l.size(); i++) {
                    if (l.get(i) instanceof Map<?, ?> m && m.get("name") instanceof String n && m.get("value") instanceof String v
                            && Detectors.awsSecretShape(v) && detect(n, v) == null) {
                        sink.found(where.index(i).field("value"), v, "an AWS secret access key", false);
                    }
                }
            }
        }
    }

    private static boolean isKeyId(String s) {
        return s.length() == 20 && (s.startsWith("AKIA") || s.startsWith("ASIA")) && s.chars().allMatch(c -> c >= 'A' && c <= 'Z' || c >= '0' && c <= '9');
    }

    /** The detector that takes {@code value}, stored under {@code name}, for a secret; or null. */
    public static String detect(String name, String value) {
        if (value.length() < 4) return null;
        String what = Detectors.inText(value);
        if (what == null) what = Detectors.named(name, value);
        if (what == null) what = Detectors.inBase64(value);
        if (what == null) what = Detectors.inLines(value);
        return what;
    }

    /** An annotation that holds an object as JSON: a Secret's data in it, or any secret the object holds. */
    private static String inJson(String s) {
        if (s.length() > 1 << 20) return null;
        Object parsed;
        try {
            parsed = JSON.readValue(s, Object.class);
        } catch (JsonProcessingException e) {
            return null;
        }
        if (!(parsed instanceof Map<?, ?> m)) return null;
        String[] first = new String[1];
        Object apiVersion = m.get("apiVersion");
        String group = apiVersion instanceof String a && a.contains("/") ? a.substring(0, a.indexOf('/')) : "";
        scan(group, String.valueOf(m.get("kind")), m, true, (path, value, what, key) -> {
            if (first[0] == null) first[0] = what.equals(SECRET_VALUE) ? "a Secret's data" : what;
        });
        return first[0];
    }
}
