package dev.plinth.spec;

import dev.plinth.definitions.Library;
import dev.plinth.diag.Loc;
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
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Spec files as the previous render parsed them, reused while a file's text is exactly the same
 * (YAML parsing is most of loading 1,000 app files). Only files that parsed without a finding
 * are kept. One binary file in the render cache; safe to delete, and ignored when it is from
 * another Plinth build or damaged.
 */
public final class SpecCache {
    private static final String FORMAT = "plinth-spec-cache/1";
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
        Map<String, Stored> previous = new HashMap<>();
        if (Files.isRegularFile(file)) {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(Files.readAllBytes(file)))) {
                if (in.readUTF().equals(version)) {
                    for (int n = in.readInt(); n > 0; n--) {
                        String rel = in.readUTF();
                        previous.put(rel, new Stored(new String(bytes(in), StandardCharsets.UTF_8), bytes(in)));
                    }
                }
            } catch (IOException | RuntimeException e) {
                previous.clear(); // damaged: parse everything again
            }
        }
        return new SpecCache(file, version, previous);
    }

    /** The documents of a file whose text is exactly what it was last time, or null. */
    List<PNode> lookup(String rel, String text) {
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

    void store(String rel, String text, List<PNode> docs) {
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
            }
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(FILE + ".tmp");
            Files.write(tmp, buffer.toByteArray());
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the spec cache " + file + ": " + e.getMessage(), e);
        }
    }

    private static byte[] bytes(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
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
        for (int n = in.readInt(); n > 0; n--) docs.add(read(in, rel));
        if (in.available() > 0) throw new IOException("trailing bytes");
        return docs;
    }

    private static PNode read(DataInputStream in, String rel) throws IOException {
        int tag = in.readByte();
        Loc loc = new Loc(rel, in.readInt(), in.readInt());
        switch (tag) {
            case 'M': {
                int n = in.readInt();
                Map<String, PNode> entries = new LinkedHashMap<>();
                Map<String, Loc> keyLocs = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    String key = new String(bytes(in), StandardCharsets.UTF_8);
                    keyLocs.put(key, new Loc(rel, in.readInt(), in.readInt()));
                    entries.put(key, read(in, rel));
                }
                return new PNode.PMap(loc, entries, keyLocs);
            }
            case 'L': {
                int n = in.readInt();
                List<PNode> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) items.add(read(in, rel));
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
