package dev.plinth.diff;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.plinth.diff.Differ.ObjectDiff;
import dev.plinth.diff.Differ.Report;
import dev.plinth.diff.Differ.Risk;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The diff report as Markdown for a pull-request comment, or JSON for bots. */
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
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(Differ.json(r)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Summary table and risks first, then one collapsible section per app; cut to fit a comment. */
    public static String markdown(Report r) {
        StringBuilder head = new StringBuilder();
        head.append("## Plinth diff: `").append(r.base()).append("` (").append(shortSha(r.baseCommit())).append(") → working tree\n\n");
        if (r.objects().isEmpty() && r.risks().isEmpty()) {
            return head.append("No change to any rendered object.\n").toString();
        }
        Map<String, int[]> counts = new TreeMap<>();
        for (ObjectDiff o : r.objects()) {
            int[] c = counts.computeIfAbsent(o.cluster() + " | " + (o.tenant() == null ? "(platform)" : o.tenant()), k -> new int[4]);
            c[switch (o.status()) {
                case "added" -> 0;
                case "removed" -> 1;
                case "changed" -> 2;
                default -> 3;
            }]++;
        }
        head.append("| cluster | tenant | added | removed | changed | moved |\n|---|---|---|---|---|---|\n");
        counts.forEach((k, c) -> head.append("| ").append(k).append(" | ").append(c[0]).append(" | ").append(c[1]).append(" | ")
                .append(c[2]).append(" | ").append(c[3]).append(" |\n"));
        head.append('\n');
        if (!r.risks().isEmpty()) {
            head.append("### Risks\n\n");
            for (int i = 0; i < r.risks().size(); i++) {
                Risk k = r.risks().get(i);
                if (head.length() > MAX_MARKDOWN / 2) { // leave room for the details
                    head.append("- _").append(r.risks().size() - i).append(" more risks left out; the JSON report has them all._\n");
                    break;
                }
                head.append("- **").append(k.level().name().toUpperCase(java.util.Locale.ROOT)).append("** `").append(k.id()).append("` ")
                        .append(k.where()).append(": ").append(k.message()).append('\n');
            }
            head.append('\n');
        }
        // details, grouped cluster -> tenant -> app
        Map<String, List<ObjectDiff>> groups = new TreeMap<>();
        for (ObjectDiff o : r.objects()) {
            String g = o.cluster() + " / " + (o.tenant() == null ? "(platform)" : o.tenant()) + " / " + (o.app() == null ? "(tenant)" : o.app());
            groups.computeIfAbsent(g, k -> new ArrayList<>()).add(o);
        }
        List<String> sections = new ArrayList<>();
        groups.forEach((g, list) -> sections.add(section(g, list)));
        StringBuilder out = new StringBuilder(head).append("### Changes\n\n");
        int left = 0;
        for (int i = 0; i < sections.size(); i++) {
            String note = "\n_" + (sections.size() - i) + " more app sections left out to fit a comment; the JSON report (`--format json`) has everything._\n";
            if (out.length() + sections.get(i).length() + note.length() + 200 > MAX_MARKDOWN) {
                left = sections.size() - i;
                out.append(note);
                break;
            }
            out.append(sections.get(i));
        }
        if (left == 0 && out.length() > MAX_MARKDOWN) out.setLength(MAX_MARKDOWN);
        return out.toString();
    }

    private static String section(String group, List<ObjectDiff> list) {
        Map<String, Integer> n = new LinkedHashMap<>();
        for (ObjectDiff o : list) n.merge(o.status(), 1, Integer::sum);
        List<String> parts = new ArrayList<>();
        n.forEach((k, v) -> parts.add(v + " " + k));
        StringBuilder sb = new StringBuilder("<details><summary>").append(group).append(" — ").append(String.join(", ", parts))
                .append("</summary>\n\n");
        for (ObjectDiff o : list) {
            sb.append("- **").append(o.status()).append("** `").append(o.describe()).append('`');
            if (o.status().equals("moved") || (o.beforeFile() != null && o.afterFile() != null && !o.beforeFile().equals(o.afterFile()))) {
                sb.append(" moved from `").append(o.beforeFile()).append("` to `").append(o.afterFile()).append('`');
            } else {
                sb.append(" (`").append(o.afterFile() != null ? o.afterFile() : o.beforeFile()).append("`)");
            }
            sb.append('\n');
            for (Differ.Change c : o.changes()) {
                sb.append("  - `").append(c.path()).append("`: ").append(value(c.before())).append(" → ").append(value(c.after())).append('\n');
            }
        }
        return sb.append("\n</details>\n\n").toString();
    }

    private static String value(Object v) {
        if (v == null) return "_absent_";
        String s = String.valueOf(v);
        if (s.length() > 80) s = s.substring(0, 77) + "...";
        return "`" + s.replace("`", "'").replace("\n", "\\n") + "`";
    }

    private static String shortSha(String sha) {
        return sha == null ? "?" : sha.length() > 12 ? sha.substring(0, 12) : sha;
    }
}
