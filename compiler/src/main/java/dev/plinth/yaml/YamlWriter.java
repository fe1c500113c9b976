package dev.plinth.yaml;

import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.NonPrintableStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.representer.StandardRepresenter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Deterministic YAML for rendered manifests (docs/spec.md, Output): block style, two-space indent, LF,
 * {@code apiVersion}, {@code kind}, {@code metadata} first and every other key sorted,
 * multi-line strings as literal blocks, YAML 1.1-ambiguous strings quoted.
 */
public final class YamlWriter {
    private static final List<String> HEAD = List.of("apiVersion", "kind", "metadata");

    private static final DumpSettings SETTINGS = DumpSettings.builder()
            .setDefaultFlowStyle(FlowStyle.BLOCK)
            .setDefaultScalarStyle(ScalarStyle.PLAIN)
            .setIndent(2)
            .setIndicatorIndent(0)
            .setWidth(Integer.MAX_VALUE)
            .setSplitLines(false)
            .setBestLineBreak("\n")
            .setNonPrintableStyle(NonPrintableStyle.ESCAPE)
            .setUseUnicodeEncoding(true)
            .setDereferenceAliases(true)
            .setSchema(new Yaml11Schema())
            .build();

    private YamlWriter() {
    }

    /** A dumper and its representer are reusable but not thread-safe: one per thread. */
    private static final ThreadLocal<Dump> DUMP = ThreadLocal.withInitial(() -> new Dump(SETTINGS, new Representer()));

    /** One Kubernetes object as a YAML document (no leading {@code ---}). */
    public static String writeObject(Map<String, Object> object) {
        return dump(canonical(object, true));
    }

    /** Any plain value with keys sorted, e.g. a kustomization. */
    public static String write(Object value) {
        return dump(canonical(value, false));
    }

    /** The direct writer where it applies (most objects), SnakeYAML for everything else. */
    private static String dump(Object canonical) {
        String fast = canonical instanceof Map<?, ?> m ? PlainBlockEmitter.write(m) : null;
        return fast != null ? fast : escapeRawBreaks(DUMP.get().dumpToString(canonical));
    }

    /**
     * SnakeYAML writes U+2028 and U+2029 raw even inside double quotes, where YAML 1.1 readers
     * take them for line breaks: they become hexadecimal escapes (snakeyaml-engine does not read
     * YAML's short escapes for them). They occur only in double-quoted scalars (the representer
     * quotes every string that has one).
     */
    private static String escapeRawBreaks(String yaml) {
        if (yaml.indexOf('\u2028') < 0 && yaml.indexOf('\u2029') < 0) return yaml;
        return yaml.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
    }

    /** SnakeYAML's text for a canonical value, bypassing the direct writer (for tests that compare the two). */
    static String writeWithSnakeYaml(Object value, boolean topLevel) {
        return DUMP.get().dumpToString(canonical(value, topLevel));
    }

    /**
     * Strings with characters that YAML readers treat as line breaks or that SnakeYAML would
     * write raw (U+0085, U+2028, U+2029, U+FEFF) are double-quoted, where they are escaped;
     * multi-line strings are literal blocks; all others plain unless the schema forces quotes.
     */
    private static final class Representer extends StandardRepresenter {
        Representer() {
            super(SETTINGS);
            representers.put(String.class, data -> {
                String s = (String) data;
                ScalarStyle style = ScalarStyle.PLAIN;
                if (hasRawBreak(s)) {
                    style = ScalarStyle.DOUBLE_QUOTED;
                } else if (s.indexOf('\n') >= 0) {
                    // a value of line breaks and spaces alone has no content line to indent a
                    // literal block by, which YAML 1.2 readers refuse: it is double-quoted
                    style = s.isBlank() ? ScalarStyle.DOUBLE_QUOTED : ScalarStyle.LITERAL;
                }
                return representScalar(Tag.STR, s, style);
            });
        }
    }

    private static boolean hasRawBreak(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0x85 || c == 0x2028 || c == 0x2029 || c == 0xFEFF) return true;
        }
        return false;
    }

    private static Object canonical(Object value, boolean topLevel) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            if (topLevel) {
                for (String k : HEAD) if (m.containsKey(k)) out.put(k, canonical(m.get(k), false));
            }
            TreeMap<String, Object> rest = new TreeMap<>();
            m.forEach((k, v) -> {
                String key = String.valueOf(k);
                if (!out.containsKey(key)) rest.put(key, canonical(v, false));
            });
            out.putAll(rest);
            return out;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) out.add(canonical(o, false));
            return out;
        }
        if (value instanceof Double d && d == Math.rint(d) && !d.isInfinite() && Math.abs(d) < 1e15) {
            return d.longValue();
        }
        if (value instanceof Integer i) return i.longValue();
        return value;
    }
}
