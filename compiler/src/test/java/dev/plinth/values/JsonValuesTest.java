package dev.plinth.values;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one JSON format of the compiler, pinned: unit programs' data, Helm's values, the caches
 * and memo keys are this text, so a change here is a change of every cache key (and, for what
 * Jsonnet or Helm would read differently, of the output).
 */
class JsonValuesTest {
    @Test
    void integersWhateverTheirSize() {
        assertEquals("0", JsonValues.write(0L));
        assertEquals("-7", JsonValues.write(-7L));
        assertEquals("5", JsonValues.write(5));
        assertEquals("9223372036854775807", JsonValues.write(Long.MAX_VALUE));
        assertEquals("-9223372036854775808", JsonValues.write(Long.MIN_VALUE));
        assertEquals("9007199254740993", JsonValues.write(9007199254740993L)); // 2^53 + 1: no double in between
        assertEquals("123456789012345678901234", JsonValues.write(new BigInteger("123456789012345678901234")));
        assertEquals("1.50", JsonValues.write(new BigDecimal("1.50")));
    }

    @Test
    void doublesAsJavaWritesThemSoTheyReadBackAsDoubles() {
        assertEquals("0.1", JsonValues.write(0.1));
        assertEquals("1.0", JsonValues.write(1.0));
        assertEquals("0.0", JsonValues.write(-0.0)); // Helm would show -0
        assertEquals("0.0", JsonValues.write(0.0));
        assertEquals("0.5", JsonValues.write(0.5));
        assertEquals("1.0E15", JsonValues.write(1e15));
        assertEquals("1.0E21", JsonValues.write(1e21));
        assertEquals("1.0E-7", JsonValues.write(1e-7));
        assertEquals("9.007199254740992E15", JsonValues.write(9007199254740992.0));
        assertEquals("1.7976931348623157E308", JsonValues.write(Double.MAX_VALUE));
        assertEquals("4.9E-324", JsonValues.write(Double.MIN_VALUE));
        assertEquals("0.25", JsonValues.write(0.25f));
    }

    @Test
    void nonNumbersAreWrittenBareAndReadBack() throws IOException {
        // not JSON: Jsonnet's parseJson refuses the data, as it did before there was one writer
        assertEquals("NaN", JsonValues.write(Double.NaN));
        assertEquals("Infinity", JsonValues.write(Double.POSITIVE_INFINITY));
        assertEquals("[-Infinity]", JsonValues.write(List.of(Double.NEGATIVE_INFINITY)));
        assertTrue(((Double) JsonValues.read("NaN")).isNaN());
        assertEquals(List.of(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY), JsonValues.read("[-Infinity,Infinity]"));
    }

    @Test
    void stringsEscapeQuotesBackslashesAndControlCharactersOnly() {
        assertEquals("\"a\\\"b\\\\c/d\"", JsonValues.write("a\"b\\c/d"));
        assertEquals("\"\\n\\r\\t\\b\\f\"", JsonValues.write("\n\r\t\b\f"));
        assertEquals("\"\\u0000\\u0001\\u000B\\u001F\"", JsonValues.write("\u0000\u0001\u000b\u001f"));
        assertEquals("\"\u007f é € \u2028\"", JsonValues.write("\u007f é € \u2028"));
        assertEquals("\"\uD83D\uDE00\"", JsonValues.write("\uD83D\uDE00")); // a pair: as it is
        assertEquals("\"x\uD800y\uDC00\"", JsonValues.write("x\uD800y\uDC00")); // lone surrogates: as they are
        assertEquals("\"\"", JsonValues.write(""));
    }

    @Test
    void containersKeysAndOtherValues() {
        Map<Object, Object> m = new LinkedHashMap<>();
        m.put("b", List.of(1L, "x", true, false));
        m.put(3, null);
        m.put("a", Map.of());
        assertEquals("{\"b\":[1,\"x\",true,false],\"3\":null,\"a\":{}}", JsonValues.write(m));
        assertEquals("[\"x\",\"y\"]", JsonValues.write(new LinkedHashSet<>(List.of("x", "y"))));
        assertEquals("null", JsonValues.write(null));
        assertEquals("\"PT1S\"", JsonValues.write(java.time.Duration.ofSeconds(1)));
        assertEquals("[[]]", JsonValues.write(List.of(List.of())));
    }

    @Test
    void deepNestingIsWritten() {
        Object v = "x";
        for (int i = 0; i < 3000; i++) v = List.of(v);
        String json = JsonValues.write(v);
        assertEquals(3000 * 2 + 3, json.length());
    }

    @Test
    void whatIsWrittenReadsBackToTheSameValues() throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("long", 12345678901234L);
        m.put("double", 1.0);
        m.put("big", new BigInteger("123456789012345678901234"));
        m.put("text", "tab\tline\nquote\" \u0001 é \uD83D\uDE00");
        m.put("list", new ArrayList<>(Arrays.asList(1L, 2.5, null, true)));
        m.put("nested", new LinkedHashMap<>(Map.of("k", "v")));
        Object back = JsonValues.read(JsonValues.write(m));
        assertEquals(m, back);
        assertEquals(0.0, JsonValues.read(JsonValues.write(-0.0)));
        assertEquals(Double.class, ((Map<?, ?>) back).get("double").getClass());
        assertEquals(Long.class, ((Map<?, ?>) back).get("long").getClass());
    }
}
