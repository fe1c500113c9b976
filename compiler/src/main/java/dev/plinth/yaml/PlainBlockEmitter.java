package dev.plinth.yaml;

import java.util.List;
import java.util.Map;

/**
 * The common case of {@link YamlWriter}, written directly: block mappings and sequences whose
 * scalars are longs, booleans, nulls and short ASCII strings of characters that cannot start or
 * end anything in YAML. SnakeYAML's emitter needs about 100 µs per object (a node graph, an event
 * queue and a regular-expression analysis per scalar), most of a render's layout stage; this
 * writes the same bytes in a fraction of that. Anything else (multi-line and quoted strings,
 * floating-point numbers, lists of lists, long keys) returns null, and the caller lets SnakeYAML
 * write the whole object: this class never decides a case SnakeYAML might decide differently,
 * which {@code PlainBlockEmitterTest} checks on random strings and on every golden object.
 */
final class PlainBlockEmitter {
    /** SnakeYAML writes keys this long or longer as explicit "? key" entries (its 128 less quoting room). */
    private static final int MAX_SIMPLE_KEY = 123;

    private final StringBuilder out = new StringBuilder(512);

    private PlainBlockEmitter() {
    }

    /** The YAML document for a canonical map, or null when SnakeYAML must write it. */
    static String write(Map<?, ?> document) {
        PlainBlockEmitter e = new PlainBlockEmitter();
        if (document.isEmpty() || !e.mapping(document, 0, false)) return null;
        return e.out.toString();
    }

    /** Entries at {@code indent}; the first one continues the current line after "- " when {@code inline}. */
    private boolean mapping(Map<?, ?> map, int indent, boolean inline) {
        boolean first = true;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String key) || key.length() >= MAX_SIMPLE_KEY) return false;
            if (!(first && inline)) indent(indent);
            first = false;
            if (!scalar(key)) return false;
            out.append(':');
            Object value = entry.getValue();
            if (value instanceof Map<?, ?> m) {
                if (!nestedMapping(m, indent + 2, false)) return false;
            } else if (value instanceof List<?> l) {
                if (l.isEmpty()) {
                    out.append(" []\n");
                } else {
                    out.append('\n');
                    if (!sequence(l, indent)) return false; // indicator indent 0: "- " under the key
                }
            } else {
                out.append(' ');
                if (!scalar(value)) return false;
                out.append('\n');
            }
        }
        return true;
    }

    private boolean sequence(List<?> list, int indent) {
        for (Object item : list) {
            indent(indent);
            out.append('-');
            if (item instanceof Map<?, ?> m) {
                if (!nestedMapping(m, indent + 2, true)) return false;
            } else if (item instanceof List<?>) {
                return false;
            } else {
                out.append(' ');
                if (!scalar(item)) return false;
                out.append('\n');
            }
        }
        return true;
    }

    /** "{}" when empty, else the entries: on new lines after a key, from this line on after "- ". */
    private boolean nestedMapping(Map<?, ?> map, int indent, boolean afterDash) {
        if (map.isEmpty()) {
            out.append(" {}\n");
            return true;
        }
        out.append(afterDash ? ' ' : '\n');
        return mapping(map, indent, afterDash);
    }

    private void indent(int n) {
        for (int i = 0; i < n; i++) out.append(' ');
    }

    private boolean scalar(Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Boolean b) {
            out.append(b ? "true" : "false");
        } else if (value instanceof Long l) {
            out.append(l.longValue());
        } else if (value instanceof String s) {
            if (!plainCharacters(s)) return false;
            // what a YAML 1.1 reader takes for another type SnakeYAML single-quotes
            if (Yaml11Schema.resolvesToString(s)) out.append(s);
            else if (s.indexOf('\'') < 0) out.append('\'').append(s).append('\'');
            else return false;
        } else {
            return false;
        }
        return true;
    }

    /**
     * A string that SnakeYAML may write plain in block context: ASCII letters, digits and a few
     * marks that are indicators nowhere inside a scalar, starting with a letter, digit, '_', '.'
     * or '/' (but not "..."), not ending in a space or ':', and without ": " (a mapping value). Everything else
     * (quotes, '#', '-' or '*' first, tabs, non-ASCII, ...) is left to SnakeYAML.
     */
    static boolean plainCharacters(String s) {
        int n = s.length();
        if (n == 0) return false;
        char first = s.charAt(0);
        if (!(isAlnum(first) || first == '_' || first == '.' || first == '/')) return false;
        if (s.startsWith("...")) return false; // a document end marker
        char last = s.charAt(n - 1);
        if (last == ' ' || last == ':') return false;
        for (int i = 1; i < n; i++) {
            char c = s.charAt(i);
            if (isAlnum(c)) continue;
            switch (c) {
                // indicators only where a scalar starts (or, for the flow ones, in flow style)
                case '_', '.', '/', '-', '=', '+', '@', '(', ')', '~', '%', '"', '\'', '{', '}', '[', ']', ',', '?',
                     '*', '&', '!', '|', '>', '<', '`', '$', '^', '\\', ';' -> {
                }
                case ':' -> {
                    if (s.charAt(i + 1) == ' ') return false;
                }
                case ' ' -> {
                    if (s.charAt(i + 1) == ' ') return false; // runs of spaces: leave them to SnakeYAML
                }
                default -> {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean isAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
