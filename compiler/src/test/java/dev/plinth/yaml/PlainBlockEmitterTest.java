package dev.plinth.yaml;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The direct writer either writes exactly what SnakeYAML writes or declines: checked on random
 * strings from an alphabet of YAML's troublemakers, as keys, values and list items, in nested
 * mappings and sequences. (The golden tests check it on every rendered object.)
 */
class PlainBlockEmitterTest {
    private static final String ALPHABET = "aZ09_./-:# '\"=+@(),~*&!|>%?[]{}\t\u00e9yYnN";
    /** The characters the direct writer accepts, and the digits and letters of YAML 1.1's other types. */
    private static final String NEAR_PLAIN = "aZ0159_./-:= +@()~%\"'{}[],?*&!|><`$^\\;eExXoObByYnN";

    @Test
    void writesWhatSnakeYamlWritesOrDeclines() {
        Random random = new Random(26_11_2026L);
        int written = 0;
        int cases = 50_000;
        for (int i = 0; i < cases; i++) {
            Map<String, Object> doc = document(random);
            String direct = PlainBlockEmitter.write(doc);
            if (direct == null) continue;
            written++;
            assertEquals(YamlWriter.writeWithSnakeYaml(doc, false), direct, "for " + doc);
        }
        // not a vacuous pass: a good share of the random documents took the direct path
        assertTrue(written > cases / 10, "only " + written + " of " + cases + " documents were written directly");
    }

    @Test
    void declinesWhatItDoesNotKnow() {
        assertNull(PlainBlockEmitter.write(Map.of("k", 0.5)), "floating point");
        assertNull(PlainBlockEmitter.write(Map.of("k", "two\nlines")), "multi-line");
        assertNull(PlainBlockEmitter.write(Map.of("k", List.of(List.of("a")))), "a list of lists");
        assertNull(PlainBlockEmitter.write(Map.of("k", "a: b")), "a mapping value inside");
        assertNull(PlainBlockEmitter.write(Map.of("k".repeat(128), "v")), "a long key");
        for (int n = 115; n <= 130; n++) { // around SnakeYAML's simple-key limit
            Map<String, Object> doc = Map.of("k".repeat(n), "v");
            String direct = PlainBlockEmitter.write(doc);
            if (direct != null) assertEquals(YamlWriter.writeWithSnakeYaml(doc, false), direct, "a key of " + n);
        }
        assertEquals("k: '0123'\n", PlainBlockEmitter.write(Map.of("k", "0123")), "an octal-looking string is quoted");
    }

    private static Map<String, Object> document(Random random) {
        Map<String, Object> doc = new TreeMap<>();
        int entries = 1 + random.nextInt(3);
        for (int i = 0; i < entries; i++) doc.put(string(random), value(random, 2));
        return doc;
    }

    private static Object value(Random random, int depth) {
        switch (depth == 0 ? random.nextInt(3) : random.nextInt(7)) {
            case 0:
                return string(random);
            case 1:
                return random.nextBoolean() ? (Object) (long) (random.nextInt(2001) - 1000) : (Object) random.nextBoolean();
            case 2:
                return random.nextInt(10) == 0 ? null : string(random);
            case 3: {
                Map<String, Object> m = new TreeMap<>();
                for (int i = random.nextInt(3); i > 0; i--) m.put(string(random), value(random, depth - 1));
                return m;
            }
            default: {
                List<Object> l = new ArrayList<>();
                for (int i = random.nextInt(3); i > 0; i--) l.add(value(random, depth - 1));
                return l;
            }
        }
    }

    private static String string(Random random) {
        if (random.nextInt(4) == 0) { // mostly letters: names, images, quantities
            return List.of("name", "nginx:1.27", "100m", "registry.example.com/a/b:1.0", "on", "1.5", "v1", "a b", "true",
                    "2024-01-01", "~", "app.kubernetes.io/name", "-x", "_y", ".z", "/metrics").get(random.nextInt(16));
        }
        String alphabet = random.nextBoolean() ? NEAR_PLAIN : ALPHABET;
        StringBuilder sb = new StringBuilder();
        for (int i = random.nextInt(7); i >= 0; i--) sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        return sb.toString();
    }
}
