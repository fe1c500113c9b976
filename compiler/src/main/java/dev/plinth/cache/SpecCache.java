package dev.plinth.cache;

import dev.plinth.spec.ParsedSpecs;

import dev.plinth.definitions.Library;
import dev.plinth.diag.Loc;
import dev.plinth.values.CheckedFile;
import dev.plinth.values.Strings;
import dev.plinth.yaml.PNode;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32C;
import dev.plinth.yaml.YamlReader;
import java.nio.ByteBuffer;

/**
 * Spec files as the previous render parsed them, reused while a file's text is exactly the same
 * (YAML parsing is most of loading 1,000 app files). Only files that parsed without a finding
 * are kept. One binary file in the render cache; safe to delete, and ignored when it is from
 * another Plinth build or damaged.
 */
public final class SpecCache implements ParsedSpecs {
    private static final String FORMAT = "plinth-spec-cache/2";
    private static final String FILE = "specs.bin";

    /** A file's text and its documents, still encoded until looked up. */
    private record Stored(String text, byte[] nodes) {
    }

    private final Path file;
    private final String version;
    private final Map<String, Stored> previous;
    private final Map<String, Stored> current = new ConcurrentHashMap<>();

    private SpecCache(Path file, String version, Map<String, Stored> previous) {
        this.file = file;
        this.version = version;
        this.previous = previous;
    }

    public static SpecCache disabled() {
        return new SpecCache(null, "", Map.of());
    }

    public static SpecCache load(Path cacheDir) {
        Path file = cacheDir.resolve(FILE);
        String version = FORMAT + " " + Library.builtinFingerprint();
        return new SpecCache(file, version, read(file, version));
    }

    /**
     * The entries of a cache file, or none when it is absent, not a regular file, of another
     * build, or damaged anywhere: the file ends with the CRC32C of all before it, and every
     * count and length is checked against the bytes left before anything is allocated for it.
     */
    static Map<String, Stored> read(Path file, String version) {
        Map<String, Stored> previous = new HashMap<>();
        try {
            byte[] all = CheckedFile.readBytes(file, CheckedFile.MAX_BYTES);
            if (all == null || all.length < 4) return previous;
            int body = all.length - 4;
            CRC32C crc = new CRC32C();
            crc.update(all, 0, body);
            if ((int) crc.getValue() != ByteBuffer.wrap(all, body, 4).getInt()) return previous;
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(all, 0, body))) {
                if (!in.readUTF().equals(version)) return previous;
                for (int n = count(in, 4); n > 0; n--) {
                    String rel = in.readUTF();
                    previous.put(rel, new Stored(new String(bytes(in), StandardCharsets.UTF_8), bytes(in)));
                }
                if (in.available() > 0) throw new IOException("trailing bytes");
            }
        } catch (IOException | RuntimeException e) {
            previous.clear(); // damaged: parse everything again
        }
        return previous;
    }

    /** The documents of a file whose text is exactly what it was last time, or null. */
    @Override
    public List<PNode> lookup(String rel, String text) {
        Stored s = previous.get(rel);
        if (file == null || s == null || !s.text().equals(text)) return null;
        try {
            List<PNode> docs = decode(rel, s.nodes());
            current.put(rel, s);
            return docs;
        } catch (IOException | RuntimeException e) {
            return null; // a damaged entry is parsed again
        }
    }

    @Override
    public void store(String rel, String text, List<PNode> docs) {
        if (file == null) return;
        try {
            current.put(rel, new Stored(text, encode(docs)));
        } catch (UncheckedIOException e) {
            // a value this cache cannot keep exactly (a lone surrogate): the file is parsed each time
        }
    }

    /** Writes what this load read, when it differs from what the last one did. */
    public void save() {
        if (file == null || current.equals(previous)) return;
        try {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(buffer)) {
                out.writeUTF(version);
                out.writeInt(current.size());
                for (Map.Entry<String, Stored> e : new TreeMap<>(current).entrySet()) {
                    out.writeUTF(e.getKey());
                    writeBytes(out, e.getValue().text().getBytes(StandardCharsets.UTF_8));
                    writeBytes(out, e.getValue().nodes());
                }
                CRC32C crc = new CRC32C();
                crc.update(buffer.toByteArray());
                out.writeInt((int) crc.getValue());
            }
            CheckedFile.directory(file.getParent());
            Path tmp = file.resolveSibling(FILE + ".tmp");
            CheckedFile.makeWay(tmp);
            Files.write(tmp, buffer.toByteArray());
            CheckedFile.replace(tmp, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the spec cache " + file + ": " + e.getMessage(), e);
        }
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
