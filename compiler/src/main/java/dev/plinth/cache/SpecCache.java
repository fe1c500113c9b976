package dev.plinth.cache;

import dev.plinth.definitions.Library;
import dev.plinth.diag.Loc;
import dev.plinth.spec.ParsedSpecs;
import dev.plinth.values.Strings;
import dev.plinth.yaml.PNode;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import dev.plinth.yaml.YamlReader;

/**
 * Spec files as the previous render parsed them, reused while a file's text is exactly the same
 * (YAML parsing is most of loading 1,000 app files). Only files that parsed without a finding
 * are kept. In the caches' one format ({@link ShardedStore}, folder {@code specs/}): a line
 * {@code path TAB text TAB documents} each, the text and the documents' binary encoding in
 * Base64; safe to delete, and a damaged or foreign shard is a miss.
 */
public final class SpecCache implements ParsedSpecs {
    private static final String FORMAT = "plinth-spec-cache/3";
    private static final int SHARDS = 8;

    private final ShardedStore store;

    private SpecCache(ShardedStore store) {
        this.store = store;
    }

    public static SpecCache disabled() {
        return new SpecCache(ShardedStore.disabled());
    }

    public static SpecCache load(Path cacheDir) {
        return new SpecCache(ShardedStore.load(cacheDir.resolve("specs"), FORMAT + " " + Library.builtinFingerprint(), SHARDS));
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** The documents of a file whose text is exactly what it was last time, or null. */
    @Override
    public List<PNode> lookup(String rel, String text) {
        ShardedStore.Line line = store.enabled() ? store.previous(rel) : null;
        if (line == null) return null;
        String[] f = line.fields();
        if (f.length != 2 || !f[0].equals(base64(text.getBytes(StandardCharsets.UTF_8)))) return null;
        try {
            List<PNode> docs = decode(rel, Base64.getDecoder().decode(f[1]));
            store.keep(rel, line);
            return docs;
        } catch (IOException | RuntimeException e) {
            return null; // a damaged entry is parsed again
        }
    }

    @Override
    public void store(String rel, String text, List<PNode> docs) {
        if (!store.enabled() || rel.indexOf('\t') >= 0 || rel.indexOf('\n') >= 0) return;
        try {
            store.put(rel, rel + "\t" + base64(text.getBytes(StandardCharsets.UTF_8)) + "\t" + base64(encode(docs)));
        } catch (UncheckedIOException e) {
            // a value this cache cannot keep exactly (a lone surrogate): the file is parsed each time
        }
    }

    /** Writes what this load read, where it differs from what the last one did. */
    public void save() {
        store.save();
    }

    /**
     * A count of items of at least {@code minBytes} bytes each, or a length in bytes
     * ({@code minBytes} 1): one larger than what is left to read is damage, found before
     * anything is allocated for it (an oversized count used to be an OutOfMemoryError).
     */
    private static int count(DataInputStream in, int minBytes) throws IOException {
        int n = in.readInt();
        if (n < 0 || (long) n * minBytes > in.available()) throw new IOException("a count larger than the file");
        return n;
    }

    private static byte[] bytes(DataInputStream in) throws IOException {
        byte[] b = new byte[count(in, 1)];
        in.readFully(b);
        return b;
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    // ---- nodes: a tag, the position, then the value ----------------------------------------

    static byte[] encode(List<PNode> docs) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeInt(docs.size());
            for (PNode d : docs) write(out, d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    private static void write(DataOutputStream out, PNode node) throws IOException {
        if (node instanceof PNode.PMap m) {
            out.writeByte('M');
            loc(out, m.loc());
            out.writeInt(m.entries().size());
            for (Map.Entry<String, PNode> e : m.entries().entrySet()) {
                writeString(out, e.getKey());
                loc(out, m.keyLoc(e.getKey()));
                write(out, e.getValue());
            }
        } else if (node instanceof PNode.PList l) {
            out.writeByte('L');
            loc(out, l.loc());
            out.writeInt(l.items().size());
            for (PNode item : l.items()) write(out, item);
        } else {
            PNode.PScalar s = (PNode.PScalar) node;
            Object v = s.value();
            if (v == null) out.writeByte('N');
            else if (v instanceof String str) out.writeByte('S');
            else if (v instanceof Long) out.writeByte('I');
            else if (v instanceof Double) out.writeByte('D');
            else if (v instanceof Boolean b) out.writeByte(b ? 'T' : 'F');
            else throw new IOException("cannot keep a " + v.getClass().getSimpleName() + " scalar");
            loc(out, s.loc());
            if (v instanceof String str) writeString(out, str);
            else if (v instanceof Long n) out.writeLong(n);
            else if (v instanceof Double d) out.writeDouble(d);
        }
    }

    private static void loc(DataOutputStream out, Loc loc) throws IOException {
        out.writeInt(loc.line());
        out.writeInt(loc.column());
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        if (Strings.hasLoneSurrogate(s)) throw new IOException("a string without a UTF-8 form");
        writeBytes(out, s.getBytes(StandardCharsets.UTF_8)); // writeUTF stops at 64 KiB
    }

    static List<PNode> decode(String rel, byte[] nodes) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(nodes));
        List<PNode> docs = new ArrayList<>();
        for (int n = count(in, 9); n > 0; n--) docs.add(read(in, rel, 0));
        if (in.available() > 0) throw new IOException("trailing bytes");
        return docs;
    }

    /** Deeper than any spec YamlReader accepts: a cache that nests more is damaged. */
    private static final int MAX_DEPTH = YamlReader.MAX_DEPTH + 1;

    private static PNode read(DataInputStream in, String rel, int depth) throws IOException {
        if (depth > MAX_DEPTH) throw new IOException("nested too deep");
        int tag = in.readByte();
        Loc loc = new Loc(rel, in.readInt(), in.readInt());
        switch (tag) {
            case 'M': {
                int n = count(in, 4 + 8 + 9);
                Map<String, PNode> entries = new LinkedHashMap<>();
                Map<String, Loc> keyLocs = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    String key = new String(bytes(in), StandardCharsets.UTF_8);
                    keyLocs.put(key, new Loc(rel, in.readInt(), in.readInt()));
                    entries.put(key, read(in, rel, depth + 1));
                }
                return new PNode.PMap(loc, entries, keyLocs);
            }
            case 'L': {
                int n = count(in, 9);
                List<PNode> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) items.add(read(in, rel, depth + 1));
                return new PNode.PList(loc, items);
            }
            case 'N':
                return new PNode.PScalar(loc, null);
            case 'S':
                return new PNode.PScalar(loc, new String(bytes(in), StandardCharsets.UTF_8));
            case 'I':
                return new PNode.PScalar(loc, in.readLong());
            case 'D':
                return new PNode.PScalar(loc, in.readDouble());
            case 'T':
                return new PNode.PScalar(loc, Boolean.TRUE);
            case 'F':
                return new PNode.PScalar(loc, Boolean.FALSE);
            default:
                throw new IOException("unknown node tag " + tag);
        }
    }
}
