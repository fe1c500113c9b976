package dev.plinth.promote;

import dev.plinth.diag.Diagnostics;
import dev.plinth.diag.Loc;
import dev.plinth.diag.PlinthException;
import dev.plinth.yaml.PNode;
import dev.plinth.yaml.YamlReader;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Edits of a YAML file's text at the positions {@link YamlReader} keeps, so that everything not
 * edited (comments, order, quoting, flow or block style) stays byte for byte: a scalar replaced in
 * its own quoting style, entries added to a map (at its end when in block style, at its start
 * when in flow style), an item appended to a list. New values are written in flow style.
 *
 * <p>PNodes carry only where a value starts; where it ends is read from the text: a quoted scalar
 * at its closing quote, a plain one at a comment or the end of its line (or a flow indicator),
 * a block collection at the first later line indented less. What cannot be edited that way (a
 * block scalar, an alias, a tagged or anchored value) is an error at its line.
 */
final class YamlTextEdit {
    private record Edit(int start, int end, String text) {
    }

    private final String file;
    private final String text;
    /** Offset of the start of each line (0-based line index). */
    private final int[] lineStarts;
    private final List<Edit> edits = new ArrayList<>();

    YamlTextEdit(String file, String text) {
        this.file = file;
        this.text = text;
        List<Integer> starts = new ArrayList<>(List.of(0));
        for (int i = 0; i < text.length(); i++) if (text.charAt(i) == '\n') starts.add(i + 1);
        lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
    }

    boolean isEmpty() {
        return edits.isEmpty();
    }

    /** The text with every edit applied; edits at one offset keep the order they were made in. */
    String result() {
        List<Edit> sorted = new ArrayList<>(edits);
        sorted.sort(Comparator.comparingInt(Edit::start));
        StringBuilder sb = new StringBuilder();
        int at = 0;
        for (Edit e : sorted) {
            sb.append(text, at, e.start).append(e.text);
            at = e.end;
        }
        return sb.append(text.substring(at)).toString();
    }

    /** The offset of a 1-based line and column (columns count code points, as SnakeYAML's do). */
    int offset(Loc loc) {
        int start = lineStarts[loc.line() - 1];
        return text.offsetByCodePoints(start, loc.column() - 1);
    }

    /** Whether a collection is written in flow style ({@code {...}} or {@code [...]}). */
    boolean isFlow(PNode node) {
        char c = text.charAt(offset(node.loc()));
        return c == '{' || c == '[';
    }

    /** Replaces a one-line scalar, keeping its quoting (a plain scalar is quoted only if it has to be). */
    void replaceScalar(PNode.PScalar node, boolean inFlow, Object value) {
        int start = offset(node.loc());
        char c = text.charAt(start);
        int end;
        String replacement;
        if (c == '"') {
            end = start + 1;
            while (end < text.length() && text.charAt(end) != '"') end += text.charAt(end) == '\\' ? 2 : 1;
            end++;
            replacement = doubleQuoted(String.valueOf(value));
        } else if (c == '\'') {
            end = start + 1;
            while (end < text.length() && !(text.charAt(end) == '\'' && (end + 1 >= text.length() || text.charAt(end + 1) != '\''))) {
                end += text.charAt(end) == '\'' ? 2 : 1;
            }
            end++;
            replacement = "'" + String.valueOf(value).replace("'", "''") + "'";
        } else if (c == '|' || c == '>' || c == '&' || c == '*' || c == '!') {
            throw PlinthException.of(node.loc(), "promote edits values written on one line; this one is a block scalar, "
                    + "an alias, or anchored or tagged: change it by hand");
        } else {
            end = start;
            while (end < text.length()) {
                char d = text.charAt(end);
                if (d == '\n' || d == '\r' || (d == '#' && Character.isWhitespace(text.charAt(end - 1)))) break;
                if (inFlow && (d == ',' || d == '}' || d == ']')) break;
                end++;
            }
            while (end > start && Character.isWhitespace(text.charAt(end - 1))) end--;
            replacement = scalar(value);
        }
        edits.add(new Edit(start, end, replacement));
    }

    /** Adds entries to a map: in block style as lines after its last entry, in flow style first in the braces. */
    void addEntries(PNode.PMap map, Map<String, Object> entries) {
        if (isFlow(map)) {
            int open = offset(map.loc());
            StringBuilder sb = new StringBuilder();
            entries.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ", ").append(key(k)).append(": ").append(flow(v)));
            if (map.entries().isEmpty()) {
                edits.add(new Edit(open + 1, open + 1, sb.toString()));
            } else {
                int first = offset(map.keyLoc(map.entries().keySet().iterator().next()));
                edits.add(new Edit(first, first, sb + ", "));
            }
            return;
        }
        Loc firstKey = map.keyLoc(map.entries().keySet().iterator().next());
        int indent = firstKey.column() - 1;
        StringBuilder sb = new StringBuilder();
        entries.forEach((k, v) -> sb.append(" ".repeat(indent)).append(key(k)).append(":").append(block(v, indent)));
        insertAfterLine(blockEnd(firstKey.line(), indent, false), sb.toString());
    }

    /** Appends an item (a map) to a list: in block style as {@code - key: flow} lines after its last item. */
    void appendItem(PNode.PList list, Map<String, Object> item) {
        int open = offset(list.loc());
        if (text.charAt(open) == '[') {
            int close = closing(open);
            int last = close;
            while (last > open + 1 && Character.isWhitespace(text.charAt(last - 1))) last--;
            edits.add(new Edit(last, last, (last == open + 1 ? "" : ", ") + flow(item)));
            return;
        }
        int dash = list.loc().column() - 1;
        insertAfterLine(blockEnd(list.loc().line(), dash, true), dashItem(item, dash));
    }

    /**
     * The last line (1-based) of the block collection whose first entry is on {@code firstLine} at
     * {@code indent}: later lines belong while indented more, or as much when they are entries of
     * the collection (for a list, only its items: a compact list's parent keys sit as deep as its
     * dashes). Blank and comment lines do not extend it, so a comment after it stays after it.
     */
    private int blockEnd(int firstLine, int indent, boolean list) {
        int last = firstLine;
        for (int line = firstLine + 1; line <= lineStarts.length; line++) {
            String l = line(line);
            String t = l.strip();
            if (t.isEmpty() || t.startsWith("#")) continue;
            int ind = l.length() - l.stripLeading().length();
            if (ind > indent || (ind == indent && (!list || t.startsWith("-")) && !t.startsWith("---") && !t.startsWith("..."))) {
                last = line;
            } else {
                break;
            }
        }
        return last;
    }

    private String line(int line) {
        int s = lineStarts[line - 1];
        int e = line < lineStarts.length ? lineStarts[line] : text.length();
        return text.substring(s, e).replace("\n", "").replace("\r", "");
    }

    private void insertAfterLine(int line, String lines) {
        if (line < lineStarts.length) {
            edits.add(new Edit(lineStarts[line], lineStarts[line], lines));
        } else {
            // the last line has no line break
            edits.add(new Edit(text.length(), text.length(), "\n" + lines.substring(0, lines.length() - 1)));
        }
    }

    /** The offset of the bracket that closes the one at {@code open}, skipping quoted text and comments. */
    private int closing(int open) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                for (i++; i < text.length() && text.charAt(i) != '"'; i++) if (text.charAt(i) == '\\') i++;
            } else if (c == '\'') {
                for (i++; i < text.length(); i++) {
                    if (text.charAt(i) == '\'') {
                        if (i + 1 < text.length() && text.charAt(i + 1) == '\'') i++;
                        else break;
                    }
                }
            } else if (c == '#' && Character.isWhitespace(text.charAt(i - 1))) {
                while (i < text.length() && text.charAt(i) != '\n') i++;
            } else if (c == '[' || c == '{') {
                depth++;
            } else if ((c == ']' || c == '}') && --depth == 0) {
                return i;
            }
        }
        throw new IllegalStateException("unclosed flow collection at offset " + open + " of " + file);
    }

    /** A value after {@code key:} in block style at the key's indent: maps of the top level as lines, deeper ones in flow style. */
    private static String block(Object v, int indent) {
        if (v instanceof Map<?, ?> m && !m.isEmpty()) {
            StringBuilder sb = new StringBuilder("\n");
            m.forEach((k, x) -> sb.append(" ".repeat(indent + 2)).append(key(String.valueOf(k))).append(": ").append(flow(x)).append('\n'));
            return sb.toString();
        }
        if (v instanceof List<?> l && !l.isEmpty()) {
            StringBuilder sb = new StringBuilder("\n");
            for (Object item : l) sb.append(dashItem(item, indent + 2));
            return sb.toString();
        }
        return " " + flow(v) + "\n";
    }

    /** A list item in block style, its dash at {@code indent}: a map's entries as lines beside and under the dash. */
    private static String dashItem(Object item, int indent) {
        if (!(item instanceof Map<?, ?> m) || m.isEmpty()) return " ".repeat(indent) + "- " + flow(item) + "\n";
        // block() indents the entries by two more than the dash: the first one moves up beside it
        return " ".repeat(indent) + "-" + block(item, indent).substring(2 + indent);
    }

    static String flow(Object v) {
        if (v instanceof Map<?, ?> m) {
            List<String> parts = new ArrayList<>();
            m.forEach((k, x) -> parts.add(key(String.valueOf(k)) + ": " + flow(x)));
            return "{" + String.join(", ", parts) + "}";
        }
        if (v instanceof List<?> l) return "[" + String.join(", ", l.stream().map(YamlTextEdit::flow).toList()) + "]";
        return scalar(v);
    }

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./][A-Za-z0-9_./:@+=~-]*");

    /** A scalar as YAML reads it back: plain when it reads back as the same value, else double-quoted. */
    static String scalar(Object v) {
        if (!(v instanceof String s)) return String.valueOf(v);
        if (PLAIN.matcher(s).matches() && !s.endsWith(":")) {
            List<PNode> read = YamlReader.readAll("-", "v: " + s, new Diagnostics());
            if (read.size() == 1 && read.get(0) instanceof PNode.PMap m && s.equals(m.get("v").toPlain())) return s;
        }
        return doubleQuoted(s);
    }

    private static String key(String k) {
        return scalar(k);
    }

    private static String doubleQuoted(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\x%02x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }
}
