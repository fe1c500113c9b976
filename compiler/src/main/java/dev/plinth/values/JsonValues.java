package dev.plinth.values;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;

/**
 * JSON text to the plain values rendered objects are made of: {@link SmallMap}, ArrayList,
 * String, Long (integral numbers that fit), Double, Boolean and null. Jackson's streaming
 * parser, without its data binding, which would build LinkedHashMaps to be converted.
 */
public final class JsonValues {
    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonValues() {
    }

    /**
     * The plain values {@link #read} makes, as JSON on one line (control characters escaped, so
     * no raw tab or line break), with Jackson's streaming generator: the same text its data binding
     * writes, without setting that up (a fifth of a small render's start).
     */
    public static String write(Object value) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(value, g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
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
            g.writeNumber(d);
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
