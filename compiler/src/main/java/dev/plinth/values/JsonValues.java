package dev.plinth.values;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import com.fasterxml.jackson.core.util.BufferRecycler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JSON of the plain values rendered objects and spec values are made of: {@link SmallMap}
 * (or any Map), List, String, Long, Double, Boolean and null. The one JSON writer and reader of
 * the compiler, with Jackson's streaming generator and parser (without its data binding, whose
 * set-up costs a fifth of a small render's start and which would build LinkedHashMaps to be
 * converted).
 *
 * <p>What {@link #write} writes, on one line, is what the unit programs (the driver's data, read
 * with {@code std.parseJson}), Helm's values file, the caches and the memo keys are made of:
 * <ul>
 * <li>Strings: {@code "} and {@code \} escaped, control characters as {@code \b \t \n \f \r}
 * or as a Unicode escape with upper-case hex digits ({@code 001F}), so no raw tab or line
 * break; everything else as it is: no escape for non-ASCII, lone surrogates included.</li>
 * <li>Long, Integer, Short, Byte, BigInteger: the integer, whatever its size.</li>
 * <li>Double and Float: Java's {@code toString}, so {@code 1.0}, {@code 0.1}, {@code 1.0E21},
 * and a double keeps its type when read back (the spec schemas' table, the caches). Jsonnet
 * and Helm read {@code 1.0} as they read {@code 1}. Negative zero is written {@code 0.0}:
 * Helm would print {@code -0} for it where the compiler always gave it {@code 0}, and nothing
 * else tells the two apart (Jsonnet and the YAML emitter write both as {@code 0}). NaN and the infinities are written bare ({@code NaN}, {@code Infinity},
 * {@code -Infinity}), which is not JSON: Jsonnet refuses such data as it always did, and
 * {@link #read} takes them back as doubles.</li>
 * <li>Map keys as {@code String.valueOf}; any other Iterable as an array; anything else as the
 * string of {@code String.valueOf}.</li>
 * </ul>
 */
public final class JsonValues {
    /**
     * Jackson's defaults but for the non-numbers (above) and the nesting it writes, which is not
     * limited (its default refuses more than 1,000 levels, which a definition can render); what
     * it reads stays limited, so a deeper cached value is a miss rather than a deep recursion.
     */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(Integer.MAX_VALUE).build())
            .build();

    private JsonValues() {
    }

    /** The value as JSON on one line (see the class comment for the format). */
    public static String write(Object value) {
        // Jackson's own writer for text (as its writeValueAsString): segments from its recycled
        // buffers, joined once; every render writes every unit's data (megabytes)
        BufferRecycler buffers = FACTORY._getBufferRecycler();
        SegmentedStringWriter out = new SegmentedStringWriter(buffers);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(value, g);
            g.flush();
            return out.getAndClear();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            buffers.releaseToPool();
        }
    }

    /** The value as indented JSON with a final newline, for files people read (the JSON Schemas). */
    public static String writePretty(Object value) {
        java.io.StringWriter out = new java.io.StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            write(value, g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out + "\n";
    }

    private static void write(Object v, JsonGenerator g) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Double d) {
            g.writeNumber(d == 0 ? 0.0 : d); // no negative zero: see the class comment
        } else if (v instanceof Float f) {
            g.writeNumber(f);
        } else if (v instanceof BigInteger i) {
            g.writeNumber(i);
        } else if (v instanceof BigDecimal d) {
            g.writeNumber(d);
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                write(e.getValue(), g);
            }
            g.writeEndObject();
        } else if (v instanceof Iterable<?> l) {
            g.writeStartArray();
            for (Object item : l) write(item, g);
            g.writeEndArray();
        } else {
            g.writeString(String.valueOf(v));
        }
    }

    /** @throws IOException when the text is not one complete JSON value */
    public static Object read(String json) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() == null) throw new IOException("no JSON value");
            Object value = value(p);
            if (p.nextToken() != null) throw new IOException("more than one JSON value");
            return value;
        }
    }

    /** The value of {@code text.substring(start, end)}, without making that string. */
    public static Object read(String text, int start, int end) throws IOException {
        char[] chars = BUFFER.get();
        if (chars.length < end - start) BUFFER.set(chars = new char[Math.max(end - start, chars.length * 2)]);
        text.getChars(start, end, chars, 0);
        try (JsonParser p = FACTORY.createParser(chars, 0, end - start)) {
            if (p.nextToken() == null) throw new IOException("no JSON value");
            Object value = value(p);
            if (p.nextToken() != null) throw new IOException("more than one JSON value");
            return value;
        }
    }

    /** Each thread's buffer for {@link #read(String, int, int)}: Jackson reads from it, and is done when read returns. */
    private static final ThreadLocal<char[]> BUFFER = ThreadLocal.withInitial(() -> new char[8192]);

    private static Object value(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT: {
                SmallMap m = new SmallMap();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    p.nextToken();
                    m.put(key, value(p));
                }
                return m;
            }
            case START_ARRAY: {
                List<Object> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) l.add(value(p));
                return l;
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getNumberValue() : (Object) p.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new IOException("unexpected JSON token " + t);
        }
    }
}
