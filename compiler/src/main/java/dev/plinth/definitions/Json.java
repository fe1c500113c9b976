package dev.plinth.definitions;

import java.util.List;
import java.util.Map;

/** Writes plain Java values as JSON, which is also Jsonnet source (the driver inlines values). */
public final class Json {
    private Json() {
    }

    public static String write(Object v) {
        // one builder per thread, grown once: every render writes every unit's data (megabytes),
        // and a fresh builder copied itself over each time it grew
        StringBuilder sb = BUILDER.get();
        sb.setLength(0);
        write(v, sb);
        String json = sb.toString();
        if (sb.capacity() > 1 << 20) BUILDER.remove(); // not kept at the size of the largest
        return json;
    }

    private static final ThreadLocal<StringBuilder> BUILDER = ThreadLocal.withInitial(() -> new StringBuilder(8192));

    private static void write(Object v, StringBuilder sb) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            quote(s, sb);
        } else if (v instanceof Boolean || v instanceof Long || v instanceof Integer) {
            sb.append(v);
        } else if (v instanceof Double d) {
            if (d == Math.rint(d) && Math.abs(d) < 1e15) sb.append(d.longValue());
            else sb.append(d);
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) sb.append(',');
                first = false;
                quote(String.valueOf(e.getKey()), sb);
                sb.append(':');
                write(e.getValue(), sb);
            }
            sb.append('}');
        } else if (v instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) sb.append(',');
                write(l.get(i), sb);
            }
            sb.append(']');
        } else {
            quote(String.valueOf(v), sb);
        }
    }

    static void quote(String s, StringBuilder sb) {
        sb.append('"');
        // runs of characters that need no escape are appended whole: every render writes the data
        // of every unit (megabytes) to compare it with the cache
        int run = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') continue;
            sb.append(s, run, i);
            run = i + 1;
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> sb.append(String.format("\\u%04x", (int) c));
            }
        }
        sb.append(s, run, s.length());
        sb.append('"');
    }
}
