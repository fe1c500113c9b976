package dev.plinth.yaml;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two independent readers of Plinth's YAML: SnakeYAML 1.33 (org.yaml, YAML 1.1 implicit types, as
 * go-yaml v2, kubectl and Argo CD read them: {@code on} is a boolean, {@code 012} an octal
 * number) and snakeyaml-engine (YAML 1.2 core schema), and the data they read as plain values to
 * compare: maps (unordered), lists, strings, booleans, null and numbers by value (a whole
 * double is written as an integer; Kubernetes' JSON does not tell them apart).
 */
final class SnakeYamlOracle {
    private SnakeYamlOracle() {
    }

    /** One document as YAML 1.1 reads it (a new reader per call: SnakeYAML's are not thread-safe). */
    static Object yaml11(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(64 << 20);
        return new Yaml(new SafeConstructor(options)).load(text);
    }

    /** One document as YAML 1.2's core schema reads it. */
    static Object yaml12(String text) {
        return new Load(LoadSettings.builder().setCodePointLimit(64 << 20).build()).loadFromString(text);
    }

    /** The value with numbers as BigDecimal and maps as HashMap, for comparing data whatever its reader. */
    static Object plain(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new HashMap<>();
            m.forEach((k, x) -> out.put(plain(k), plain(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object x : l) out.add(plain(x));
            return out;
        }
        if (v instanceof Number n) return new BigDecimal(n.toString()).stripTrailingZeros();
        return v;
    }

    /** Both readers read {@code yaml} as {@code expected}. */
    static void readsAs(Object expected, String yaml) {
        Object want = plain(expected);
        assertEquals(want, plain(yaml11(yaml)), () -> "YAML 1.1 reads otherwise:\n" + yaml);
        assertEquals(want, plain(yaml12(yaml)), () -> "YAML 1.2 reads otherwise:\n" + yaml);
    }
}
