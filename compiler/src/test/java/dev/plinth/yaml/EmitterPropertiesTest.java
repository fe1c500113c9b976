package dev.plinth.yaml;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Property-based: whatever string, number or key an object holds, what the emitter writes reads
 * back as the same value with SnakeYAML, as YAML 1.1 (go-yaml v2, kubectl, Argo CD) and as YAML
 * 1.2. The strings are YAML's troublemakers: quotes, colons, comment and indicator characters,
 * leading and trailing spaces, tabs, line breaks (multi-line values), unicode (non-breaking space,
 * line separators, byte-order mark, emoji), the YAML 1.1 booleans and nulls ({@code yes},
 * {@code no}, {@code on}, {@code ~}), numbers, timestamps and sexagesimals written as strings.
 */
class EmitterPropertiesTest {
    private static final String CHARACTERS = "aZ09 \t\n:#'\"-?!&*|>%@`{}[],.~=<+_\\/\u00e9\u4e2d\u00a0\u0085\ufeff\u0007\r\u2028\u2029";
    private static final List<String> TOKENS = List.of(
            "yes", "no", "on", "off", "y", "n", "Y", "N", "true", "False", "null", "NULL", "~", "", " ", "012", "0o17", "0x1F",
            "0b101", "1_000", "1:30", "190:20:30", "1e3", "1E3", "6.02e+23", ".5", "+1", "-0", "1.", ".inf", "-.Inf", ".NaN",
            "2024-01-31", "2001-12-14t21:59:43.10-05:00", "<<", "=", "- a", "a: b", "a #b", "#c", "? x", "!tag", "&a", "*a", "|", ">",
            "%YAML", "@x", "`x", "---", "...", "\"q\"", "'q'", "line\n", "a\nb", "  lead", "trail  ", "\ttab", "multi\n  indented\nlines\n",
            "\n ", " \n\n", "a\r\nb", "x\u0085y", "\ud834\udd1e", "\ud83d\ude00 emoji", "k: v\n- x", "|\n  block", "a\u0000b");

    @Provide
    Arbitrary<String> hostile() {
        Arbitrary<String> random = Arbitraries.strings().withChars(CHARACTERS.toCharArray()).ofMaxLength(12);
        Arbitrary<String> token = Arbitraries.of(TOKENS);
        Arbitrary<String> part = Arbitraries.oneOf(random, token);
        return Arbitraries.oneOf(token, random, Combinators.combine(part, part).as(String::concat),
                Combinators.combine(part, part, part).as((a, b, c) -> a + b + c));
    }

    /** A ConfigMap holding {@code value} as a data value and a list item, and {@code key} as a key. */
    private static Map<String, Object> object(String key, Object value) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("apiVersion", "v1");
        o.put("kind", "ConfigMap");
        o.put("metadata", Map.of("name", "x"));
        o.put("data", Map.of(key, value, "fixed", value));
        o.put("items", List.of(value, Map.of("v", value)));
        return o;
    }

    @Property(tries = 2000)
    void stringsReadBackAsThemselves(@ForAll("hostile") String s) {
        Map<String, Object> o = object("k", s);
        SnakeYamlOracle.readsAs(o, YamlWriter.writeObject(o));
    }

    @Property(tries = 2000)
    void keysReadBackAsThemselves(@ForAll("hostile") String key) {
        if (key.equals("fixed")) return; // the other key of the object
        Map<String, Object> o = object(key, "v");
        SnakeYamlOracle.readsAs(o, YamlWriter.writeObject(o));
    }

    @Property(tries = 500)
    void integersReadBackAsThemselves(@ForAll long n) {
        Map<String, Object> o = object("k", n);
        SnakeYamlOracle.readsAs(o, YamlWriter.writeObject(o));
    }

    @Property(tries = 500)
    void finiteDoublesReadBackAsThemselves(@ForAll double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) return; // JSON, and so a rendered object, has neither
        Map<String, Object> o = object("k", d);
        SnakeYamlOracle.readsAs(o, YamlWriter.writeObject(o));
    }

    /**
     * U+2028 and U+2029 are escaped inside double quotes: YAML 1.1 readers (SnakeYAML 1.33;
     * go-yaml's scanner too) take them raw for line breaks, folding the spaces around them away,
     * and a key holding one raw would be a simple key over two lines, which does not parse.
     */
    @Example
    void lineAndParagraphSeparatorsReadBackWithYaml11() {
        for (String s : List.of("a \u2028 b", "Z \u2028", "x\u2029y")) {
            Map<String, Object> value = object("k", s);
            SnakeYamlOracle.readsAs(value, YamlWriter.writeObject(value));
            Map<String, Object> key = object(s, "v");
            SnakeYamlOracle.readsAs(key, YamlWriter.writeObject(key));
        }
    }

    /**
     * A value of line feeds alone is double-quoted: as a literal block it would have an
     * indentation indicator and only empty lines ({@code k: |2+}), which snakeyaml-engine, and so
     * Plinth's own YamlReader, refuses.
     */
    @Example
    void aValueOfLineFeedsAloneReadsBack() {
        for (String s : List.of("\n", "\n\n", " \n ")) {
            Map<String, Object> o = object("k", s);
            SnakeYamlOracle.readsAs(o, YamlWriter.writeObject(o));
        }
    }
}
