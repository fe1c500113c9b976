package dev.plinth.yaml;

import dev.plinth.diag.Diagnostics;
import dev.plinth.diag.Loc;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;

/**
 * Reads YAML into {@link PNode}s with positions. Strict: duplicate keys and non-string keys are
 * errors, and alias expansion is bounded (SnakeYAML's alias limit plus a node budget) so an
 * alias bomb is an error rather than an out-of-memory crash.
 */
public final class YamlReader {
    static final int MAX_COLLECTION_ALIASES = 50;
    static final int MAX_NODES_PER_DOCUMENT = 200_000;
    static final int MAX_CODE_POINTS = 8 * 1024 * 1024;
    /** Characters of scalar text per document once aliases are expanded. */
    static final long MAX_SCALAR_CHARS = 32L * 1024 * 1024;
    /** Levels of maps and lists in a document (Kubernetes objects need a few dozen). */
    public static final int MAX_DEPTH = 256;
    /** The tags a document may name: YAML 1.2's core schema, nothing that makes other objects. */
    private static final Set<Tag> CORE_TAGS = Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL,
            Tag.MAP, Tag.SEQ);

    private YamlReader() {
    }

    /** All documents of a file; empty documents are skipped. Errors go to {@code diags}. */
    public static List<PNode> readAll(String file, String content, Diagnostics diags) {
        LoadSettings settings = LoadSettings.builder()
                .setLabel(file)
                .setSchema(new CoreSchema())
                .setAllowRecursiveKeys(false)
                .setMaxAliasesForCollections(MAX_COLLECTION_ALIASES)
                .setCodePointLimit(MAX_CODE_POINTS)
                .setUseMarks(true)
                .build();
        List<PNode> docs = new ArrayList<>();
        if (content.length() > MAX_CODE_POINTS && content.codePointCount(0, content.length()) > MAX_CODE_POINTS) {
            // checked before parsing: SnakeYAML finds it only after scanning, for tens of seconds on one long line
            diags.error(Loc.file(file), "the file has more than " + (MAX_CODE_POINTS >> 20) + " Mi characters");
            return docs;
        }
        try {
            for (Node node : new Compose(settings).composeAllFromString(content)) {
                if (node == null) continue;
                if (node instanceof ScalarNode s && s.getTag().equals(Tag.NULL)) continue;
                Converter c = new Converter(file, diags);
                docs.add(c.convert(node));
            }
        } catch (MarkedYamlEngineException e) {
            Mark m = e.getProblemMark().or(e::getContextMark).orElse(null);
            Loc loc = m == null ? Loc.file(file) : new Loc(file, m.getLine() + 1, m.getColumn() + 1);
            String problem = e.getProblem() == null ? "malformed YAML" : e.getProblem();
            String context = e.getContext() == null ? "" : e.getContext() + ": ";
            diags.error(loc, "invalid YAML: " + context + problem);
        } catch (Refused e) {
            diags.error(e.loc, e.getMessage());
        } catch (BudgetExceeded e) {
            diags.error(e.loc, "YAML document expands to more than " + MAX_NODES_PER_DOCUMENT
                    + " nodes or " + (MAX_SCALAR_CHARS >> 20) + " MiB of text (alias bomb?)");
        } catch (StackOverflowError e) {
            diags.error(new Loc(file, 1, 1), "YAML nesting is too deep");
        } catch (ReaderException e) {
            // a character YAML does not allow (a NUL byte, say): at its own line and column
            diags.error(at(file, content, e.getPosition()), "invalid YAML: " + e.getName() + " character "
                    + String.format(Locale.ROOT, "U+%04X", e.getCodePoint()) + " is not allowed");
        } catch (YamlEngineException e) {
            // SnakeYAML gives no position for limit errors such as the alias limit
            diags.error(new Loc(file, 1, 1), "invalid YAML: " + e.getMessage());
        }
        return docs;
    }

    /** The line and column of the {@code codePoints}-th code point of the text. */
    private static Loc at(String file, String content, int codePoints) {
        int line = 1;
        int column = 1;
        int end = codePoints < 0 ? 0 : content.offsetByCodePoints(0, Math.min(codePoints, content.codePointCount(0, content.length())));
        for (int i = 0; i < end; i++) {
            char c = content.charAt(i);
            if (c == '\n') {
                line++;
                column = 1;
            } else if (!Character.isLowSurrogate(c)) {
                column++;
            }
        }
        return new Loc(file, line, column);
    }

    /** A document Plinth does not accept, at the node that makes it so. */
    private static final class Refused extends RuntimeException {
        final Loc loc;

        Refused(Loc loc, String message) {
            super(message, null, false, false);
            this.loc = loc;
        }
    }

    private static final class BudgetExceeded extends RuntimeException {
        final Loc loc;

        BudgetExceeded(Loc loc) {
            super(null, null, false, false);
            this.loc = loc;
        }
    }

    private static final class Converter {
        private final String file;
        private final Diagnostics diags;
        private int budget = MAX_NODES_PER_DOCUMENT;
        private long textBudget = MAX_SCALAR_CHARS;
        private int depth;

        Converter(String file, Diagnostics diags) {
            this.file = file;
            this.diags = diags;
        }

        Loc loc(Node n) {
            return n.getStartMark().map(m -> new Loc(file, m.getLine() + 1, m.getColumn() + 1))
                    .orElse(Loc.file(file));
        }

        PNode convert(Node node) {
            if (--budget < 0) throw new BudgetExceeded(loc(node));
            Loc loc = loc(node);
            Tag tag = node.getTag();
            if (!CORE_TAGS.contains(tag)) {
                // a custom tag (!vault secret/db) asks for something Plinth does not do: never dropped silently
                throw new Refused(loc, "the tag '" + tag.getValue().replace(Tag.PREFIX, "!!")
                        + "' is not supported (only YAML 1.2 core types: strings, numbers, booleans, null, maps and lists)");
            }
            if (node instanceof MappingNode || node instanceof SequenceNode) {
                if (++depth > MAX_DEPTH) throw new Refused(loc, "YAML nesting is deeper than " + MAX_DEPTH + " levels");
                try {
                    return collection(node, loc);
                } finally {
                    depth--;
                }
            }
            ScalarNode sn = (ScalarNode) node;
            textBudget -= sn.getValue().length();
            if (textBudget < 0) throw new BudgetExceeded(loc);
            return new PNode.PScalar(loc, scalar(sn));
        }

        private PNode collection(Node node, Loc loc) {
            if (node instanceof MappingNode m) {
                Map<String, PNode> entries = new LinkedHashMap<>();
                Map<String, Loc> keyLocs = new LinkedHashMap<>();
                for (NodeTuple t : m.getValue()) {
                    Node k = t.getKeyNode();
                    Loc kl = loc(k);
                    if (!(k instanceof ScalarNode ks)) {
                        diags.error(kl, "keys must be strings");
                        continue;
                    }
                    // Keys are names: an unquoted 8080 or true as a key keeps its text.
                    put(entries, keyLocs, ks.getValue(), kl, t.getValueNode());
                }
                return new PNode.PMap(loc, entries, keyLocs);
            }
            SequenceNode s = (SequenceNode) node;
            List<PNode> items = new ArrayList<>();
            for (Node n : s.getValue()) items.add(convert(n));
            return new PNode.PList(loc, items);
        }

        private void put(Map<String, PNode> entries, Map<String, Loc> keyLocs, String key, Loc kl, Node value) {
            if (entries.containsKey(key)) {
                diags.error(kl, "duplicate key '" + key + "' (first at line " + keyLocs.get(key).line() + ")");
                return;
            }
            entries.put(key, convert(value));
            keyLocs.put(key, kl);
        }

        Object scalar(ScalarNode s) {
            Tag tag = s.getTag();
            String v = s.getValue();
            try {
                if (tag.equals(Tag.NULL)) return null;
                if (tag.equals(Tag.BOOL)) return v.equalsIgnoreCase("true");
                if (tag.equals(Tag.INT)) {
                    if (v.startsWith("0x")) return Long.parseLong(v.substring(2), 16);
                    if (v.startsWith("0o")) return Long.parseLong(v.substring(2), 8);
                    return Long.parseLong(v.startsWith("+") ? v.substring(1) : v);
                }
                if (tag.equals(Tag.FLOAT)) {
                    String t = v.toLowerCase(Locale.ROOT);
                    if (t.endsWith(".inf") || t.endsWith(".nan")) return v;
                    return Double.parseDouble(v);
                }
            } catch (NumberFormatException e) {
                return v;
            }
            return v;
        }
    }
}
