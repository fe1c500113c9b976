package dev.plinth.yaml;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class YamlWriterTest {

    @ParameterizedTest
    @ValueSource(strings = {"yes", "No", "on", "OFF", "y", "n", "true", "False", "null", "~", "", "012", "0x1F",
            "1_000", "1:30", "1.5", "1e3", ".inf", "2024-01-31", "-7", "+3", "=", "<<", "0o17", "089", "040029747"})
    void quotesStringsThatYaml11ReadsAsSomethingElse(String s) {
        String yaml = YamlWriter.write(Map.of("k", s));
        assertEquals("k: '" + s + "'\n", yaml);
    }

    @ParameterizedTest
    @ValueSource(strings = {"hello", "registry.example.com/api:1.4.2", "100m", "1Gi", "http", "/metrics", "1.4.2", "v1.30"})
    void leavesPlainStringsPlain(String s) {
        assertEquals("k: " + s + "\n", YamlWriter.write(Map.of("k", s)));
    }

    @Test
    void writesNumbersAndBooleansAsSuch() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("i", 3L);
        m.put("d", 0.5);
        m.put("whole", 2.0);
        m.put("b", true);
        m.put("none", null);
        assertEquals("b: true\nd: 0.5\ni: 3\nnone: null\nwhole: 2\n", YamlWriter.write(m));
    }

    @Test
    void putsApiVersionKindMetadataFirstAndSortsTheRest() {
        Map<String, Object> obj = new LinkedHashMap<>();
        obj.put("spec", Map.of("z", 1L, "a", 2L));
        obj.put("metadata", Map.of("name", "x", "labels", Map.of("b", "1x", "a", "2x")));
        obj.put("kind", "ConfigMap");
        obj.put("data", Map.of("k", "v"));
        obj.put("apiVersion", "v1");
        assertEquals("""
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  labels:
                    a: 2x
                    b: 1x
                  name: x
                data:
                  k: v
                spec:
                  a: 2
                  z: 1
                """, YamlWriter.writeObject(obj));
    }

    @Test
    void writesMultiLineStringsAsLiteralBlocksAndListsInBlockStyle() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("script", "line one\nline two\n");
        m.put("list", List.of("a", Map.of("name", "b")));
        m.put("empty", Map.of());
        assertEquals("""
                empty: {}
                list:
                - a
                - name: b
                script: |
                  line one
                  line two
                """, YamlWriter.write(m));
    }

    @Test
    void doubleQuotesUnicodeLineSeparatorsThatBreakPlainScalars() {
        String yaml = YamlWriter.write(Map.of("k", "a\u2028b"));
        assertEquals("k: \"a\\" + "u2028b\"\n", yaml); // escaped: YAML 1.1 readers take it raw for a line break
        Object back = new org.snakeyaml.engine.v2.api.Load(org.snakeyaml.engine.v2.api.LoadSettings.builder().build()).loadFromString(yaml);
        assertEquals(Map.of("k", "a\u2028b"), back);
    }

    @Test
    void quotesKeysThatYaml11ReadsAsBooleans() {
        assertEquals("'n': 1\n", YamlWriter.write(Map.of("n", 1L)));
        assertEquals("'on': x\n", YamlWriter.write(Map.of("on", "x")));
    }
}
