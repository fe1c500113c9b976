package dev.plinth.diff;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.plinth.diff.Differ.ObjectDiff;
import dev.plinth.diff.Differ.Report;
import dev.plinth.diff.Differ.Risk;
import dev.plinth.secrets.Redaction;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Locale;

/**
 * The diff report as Markdown for a pull-request comment, or JSON for bots. Both are redacted:
 * the differ masks flagged values and Secret data, and every string written passes
 * {@link Redaction#text} (tokens, keys, URL passwords in names, paths, messages and values).
 */
public final class ReportWriter {
    /** GitHub's limit for a comment. */
    public static final int MAX_MARKDOWN = 65_536;

    public enum Format { markdown, json }

    private ReportWriter() {
    }

    public static String write(Report r, Format format) {
        return format == Format.json ? json(r) : markdown(r);
    }

    public static String json(Report r) {
        try {
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            JsonNode tree = mapper.valueToTree(jsonFields(r));
            return mapper.writeValueAsString(redact(tree)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every string of the JSON report through {@link Redaction#text}; the values were masked by the differ. */
    private static JsonNode redact(JsonNode n) {
        if (n.isTextual()) {
            String t = Redaction.text(n.textValue());
            return t.equals(n.textValue()) ? n : TextNode.valueOf(t);
        }
        if (n instanceof ObjectNode o) {
            o.fields().forEachRemaining(e -> e.setValue(redact(e.getValue())));
        } else if (n instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) a.set(i, redact(a.get(i)));
        }
        return n;
    }

    /** The report's fields in a fixed order. */
    private static Map<String, Object> jsonFields(Report r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("base", r.base());
        m.put("baseCommit", r.baseCommit());
        m.put("risks", r.risks());
        m.put("objects", r.objects());
        m.put("newFindings", r.newFindings());
        return m;
    }

    /** Summary table and risks first, then one collapsible section per app; cut to fit a comment. */
    public static String markdown(Report r) {
        StringBuilder head = new StringBuilder();
        head.append("## Plinth diff: ").append(code(r.base())).append(" (").append(shortSha(r.baseCommit())).append(") → working tree\n\n");
        if (r.objects().isEmpty() && r.risks().isEmpty()) {
            return head.append("No change to any rendered object.\n").toString();
        }
        if (r.objects().isEmpty()) {
            head.append("No change to any rendered object.\n\n");
        } else {
            Map<String, int[]> counts = new TreeMap<>();
            for (ObjectDiff o : r.objects()) {
                int[] c = counts.computeIfAbsent(text(o.cluster()) + " | " + (o.tenant() == null ? "(platform)" : text(o.tenant())), k -> new int[4]);
                c[switch (o.status()) {
                    case "added" -> 0;
                    case "removed" -> 1;
                    case "changed" -> 2;
                    default -> 3;
                }]++;
            }
            head.append("| cluster | tenant | added | removed | changed | moved |\n|---|---|---|---|---|---|\n");
            int row = 0;
            for (Map.Entry<String, int[]> e : counts.entrySet()) {
                if (head.length() > MAX_MARKDOWN / 4) { // leave room for the risks and details
                    head.append("| _").append(counts.size() - row).append(" more rows left out_ | | | | | |\n");
                    break;
                }
                int[] c = e.getValue();
                head.append("| ").append(e.getKey()).append(" | ").append(c[0]).append(" | ").append(c[1]).append(" | ")
                        .append(c[2]).append(" | ").append(c[3]).append(" |\n");
                row++;
            }
            head.append('\n');
        }
        if (!r.risks().isEmpty()) {
            head.append("### Risks\n\n");
            for (int i = 0; i < r.risks().size(); i++) {
                Risk k = r.risks().get(i);
                if (head.length() > MAX_MARKDOWN / 2) { // leave room for the details
                    head.append("- _").append(r.risks().size() - i).append(" more risks left out; the JSON report has them all._\n");
                    break;
                }
                head.append("- **").append(k.level().name().toUpperCase(Locale.ROOT)).append("** ").append(code(k.id())).append(' ')
                        .append(text(k.where())).append(": ").append(text(k.message())).append('\n');
            }
            head.append('\n');
        }
        if (r.objects().isEmpty()) return head.toString();
        // details, grouped cluster -> tenant -> app
        Map<String, List<ObjectDiff>> groups = new TreeMap<>();
        for (ObjectDiff o : r.objects()) {
            String g = o.tenant() == null ? o.cluster() + " / (platform)"
                    : o.cluster() + " / " + o.tenant() + " / " + (o.app() == null ? "(tenant)" : o.app());
            groups.computeIfAbsent(g, k -> new ArrayList<>()).add(o);
        }
        StringBuilder out = new StringBuilder(head).append("### Changes\n\n");
        List<String> left = new ArrayList<>();
        int reserve = 2_000; // for the note on what was left out
        for (Map.Entry<String, List<ObjectDiff>> g : groups.entrySet()) {
            String section = section(g.getKey(), g.getValue());
            if (out.length() + section.length() + reserve > MAX_MARKDOWN) {
                left.add(g.getKey()); // a smaller section after it may still fit
                continue;
            }
            out.append(section);
        }
        if (!left.isEmpty()) {
            StringBuilder note = new StringBuilder("\n_Left out to fit a comment: ").append(left.size()).append(" app section")
                    .append(left.size() == 1 ? "" : "s").append(" (");
            for (int i = 0; i < left.size(); i++) {
                String name = text(left.get(i));
                if (note.length() + name.length() > reserve - 200) {
                    note.append("and ").append(left.size() - i).append(" more");
                    break;
                }
                note.append(name).append(i < left.size() - 1 ? ", " : "");
            }
            out.append(note).append("). The JSON report (`--format json`) has everything._\n");
        }
        return out.toString();
    }

    private static String section(String group, List<ObjectDiff> list) {
        Map<String, Integer> n = new LinkedHashMap<>();
        for (ObjectDiff o : list) n.merge(o.status(), 1, Integer::sum);
        List<String> parts = new ArrayList<>();
        n.forEach((k, v) -> parts.add(v + " " + k));
        StringBuilder sb = new StringBuilder("<details><summary>").append(text(group)).append(" — ").append(String.join(", ", parts))
                .append("</summary>\n\n");
        for (ObjectDiff o : list) {
            sb.append("- **").append(o.status()).append("** ").append(code(o.describe()));
            if (o.beforeFile() != null && o.afterFile() != null && !o.beforeFile().equals(o.afterFile())) {
                sb.append(" moved from ").append(code(o.beforeFile())).append(" to ").append(code(o.afterFile()));
            } else {
                sb.append(" (").append(code(o.afterFile() != null ? o.afterFile() : o.beforeFile())).append(")");
            }
            sb.append('\n');
            for (Differ.Change c : o.changes()) {
                String[] v = values(c.before(), c.after());
                sb.append("  - ").append(code(c.path())).append(": ").append(v[0]).append(" → ").append(v[1])
                        .append(Redaction.MASK.equals(c.before()) && Redaction.MASK.equals(c.after()) ? " (a secret changed; values redacted)" : "")
                        .append('\n');
            }
        }
        return sb.append("\n</details>\n\n").toString();
    }

    private static final int MAX_VALUE = 100;

    /**
     * Both values as code spans; strings JSON-quoted so whitespace and line breaks show. Long
     * values are cut around their first difference, so two values never look the same.
     */
    private static String[] values(Object before, Object after) {
        String a = before == null ? null : literal(before);
        String b = after == null ? null : literal(after);
        int from = 0;
        if (a != null && b != null && (a.length() > MAX_VALUE || b.length() > MAX_VALUE)) {
            int i = 0;
            while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) i++;
            from = Math.max(0, i - 20);
        }
        return new String[]{a == null ? "_absent_" : code(window(a, from)), b == null ? "_absent_" : code(window(b, from))};
    }

    private static String window(String s, int from) {
        String w = from > 0 ? "…" + s.substring(Math.min(from, s.length())) : s;
        return w.length() > MAX_VALUE ? w.substring(0, MAX_VALUE - 1) + "…" : w;
    }

    private static String literal(Object v) {
        if (v instanceof String raw) {
            String s = Redaction.text(raw); // before cutting: a window could split a key
            StringBuilder sb = new StringBuilder("\"");
            for (char ch : s.toCharArray()) {
                switch (ch) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    case '\t' -> sb.append("\\t");
                    default -> sb.append(ch < 0x20 ? String.format("\\u%04x", (int) ch) : String.valueOf(ch));
                }
            }
            return sb.append('"').toString();
        }
        return String.valueOf(v);
    }

    /** A code span that holds any text: a fence longer than any run of backticks inside (CommonMark). */
    static String code(String s) {
        String oneLine = Redaction.text(s).replace("\r", "\\r").replace("\n", "\\n");
        int longest = 0;
        int run = 0;
        for (char ch : oneLine.toCharArray()) {
            run = ch == '`' ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        String fence = "`".repeat(longest + 1);
        boolean pad = longest > 0 || oneLine.startsWith(" ") || oneLine.endsWith(" ");
        return fence + (pad ? " " : "") + oneLine + (pad ? " " : "") + fence;
    }

    /** Free text with Markdown and HTML specials escaped, on one line. */
    static String text(String s) {
        StringBuilder sb = new StringBuilder();
        for (char ch : Redaction.text(s).replace("\r", " ").replace("\n", " ").toCharArray()) {
            switch (ch) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '|', '*', '_', '`', '[', ']', '\\' -> sb.append('\\').append(ch);
                default -> sb.append(ch);
            }
        }
        return sb.toString();
    }

    private static String shortSha(String sha) {
        return sha == null ? "?" : sha.length() > 12 ? sha.substring(0, 12) : sha;
    }
}
