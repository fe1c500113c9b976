package dev.plinth.cache;

import dev.plinth.definitions.Library;
import dev.plinth.render.RenderedObject;
import dev.plinth.render.UnitMemo;
import dev.plinth.render.UnitMemo.KeptObject;
import dev.plinth.render.UnitMemo.KeptObjects;
import dev.plinth.cache.ShardedStore.Line;
import dev.plinth.values.Strings;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import dev.plinth.values.JsonValues;
import java.util.ArrayList;

/**
 * The results of unit evaluations from the previous render, on disk. A unit's result is reused
 * when its driver program and data (which hold everything the unit read from the specs: context,
 * properties, trait properties, the text of referenced files and chart output) are the same and
 * every library file it imported still has the same content. The cache is safe to delete; a
 * cache written by another Plinth build, or one that is damaged or cut short, is ignored.
 *
 * <p>The cache is a {@link ShardedStore} of {@value #SHARDS} shards. A unit's entry is found by
 * a checksum of its inputs ({@link #key}); its line is
 * {@code key TAB unit TAB program TAB imports TAB yaml TAB findings TAB result}: the program as its
 * driver's hash and its data; the imports (see {@link #imports}); the length and checksum of each
 * object's YAML (not the YAML itself: the writer compares unchanged files by them); the object
 * checks' findings as their key, a space and JSON; and, last because it is the longest, the
 * result, either as JSON or, for a unit whose render reported nothing, as its objects (see
 * {@link #storeObjects}). Lines are kept as text until a unit is looked up with the same
 * program, and only files with a changed, new or removed unit are written: after one app
 * changed, a few.
 */
public final class UnitCache implements UnitMemo {
    /** Bumped when the cache's layout or the meaning of a unit changes. */
    private static final String FORMAT = "plinth-unit-cache/11";
    private static final int SHARDS = 64;

    /**
     * One unit: either the previous render's line, while the unit is unchanged (written back as
     * it was, and the only copy of its long fields that is kept), with its short YAML and findings
     * fields; or the program and the JSON of its imports' hashes, result and YAML digests ("null"
     * until the layout stage produced them), and the object checks' findings ("null" until the
     * check stage produced them).
     */
    private record Entry(String key, Line line, String program, String imports, String result, String yaml, String findings) {
        static Entry unchanged(String key, Line line, String yaml, String findings) {
            return new Entry(key, line, null, null, null, yaml, findings);
        }

        /** The line: key, unit, program, imports, YAML digests, findings and, last (it is the longest), the result. */
        String toLine(String unit) {
            return line != null ? line.string() : String.join("\t", key, unit, program, imports, yaml, findings, result);
        }

        /** program, imports, result, yaml, findings */
        String[] fields() {
            if (line == null) return new String[]{program, imports, result, yaml, findings};
            String[] f = line.string().split("\t", -1);
            return new String[]{f[2], f[3], f[6], f[4], f[5]};
        }

        /** The yaml (3) or findings (4) field. */
        String field(int i) {
            return i == 3 ? yaml : findings;
        }

        Entry withYaml(String digests) {
            String[] f = fields();
            return new Entry(key, null, f[0], f[1], f[2], digests, f[4]);
        }

        Entry withFindings(String keyAndFindings) {
            String[] f = fields();
            return new Entry(key, null, f[0], f[1], f[2], f[3], keyAndFindings);
        }
    }

    private final Path dir;
    /** The units' lines, by the checksum of their inputs. */
    private final ShardedStore units;
    private final Map<String, Entry> current = new ConcurrentHashMap<>();
    /** Definitions' metadata by definition file, as lines "path TAB imports TAB metadata" (few). */
    private final ShardedStore definitions;
    /** The YAML digests handed out for a unit, to tell whether the layout stage changed them. */
    private final Map<String, List<String>> yamlHandedOut = new ConcurrentHashMap<>();

    private UnitCache(Path dir, ShardedStore units, ShardedStore definitions) {
        this.dir = dir;
        this.units = units;
        this.definitions = definitions;
    }

    /** A cache that remembers nothing (for --full, and where there is no output to sit beside). */
    public static UnitCache disabled() {
        return new UnitCache(null, ShardedStore.disabled(), ShardedStore.disabled());
    }

    public static UnitCache load(Path cacheDir) {
        String version = FORMAT + " " + Library.builtinFingerprint();
        Path dir = cacheDir.resolve("units");
        return new UnitCache(dir, ShardedStore.load(dir, version, SHARDS), ShardedStore.load(cacheDir.resolve("definitions"), version, 1));
    }

    /** A definition's metadata from the previous render, or null when its file or an import changed. */
    @Override
    public Object lookupDefinition(String path, Function<String, String> currentHash) {
        if (dir == null) return null;
        Line line = definitions.previous(path);
        if (line == null) return null;
        String[] f = line.fields();
        if (f.length != 2) return null;
        try {
            if (!importsUnchanged(f[0], currentHash)) return null;
            Object metadata = JsonValues.read(f[1]);
            definitions.keep(path, line);
            return metadata;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public void storeDefinition(String path, SortedMap<String, String> imports, Object metadata) {
        if (dir == null) return;
        String importsField = imports(imports);
        if (importsField == null) return;
        definitions.put(path, path + "\t" + importsField + "\t" + json(metadata));
    }

    /** The cached result of a unit, or null when anything it depends on changed. */
    public Object lookup(String unit, String program, Function<String, String> currentHash) {
        return lookup(unit, program, "", currentHash);
    }

    /**
     * The same for the program {@code head + data}, compared in two parts: the data is megabytes
     * over all units, and joining the two for the comparison copied them.
     */
    @Override
    public Object lookup(String unit, String head, String data, Function<String, String> currentHash) {
        if (dir == null) return null;
        String key = key(unit, head, data);
        Line line = units.previous(key);
        if (line == null) return null;
        String text = line.text();
        // "key TAB unit TAB program TAB ...": compare in place (a key names, it does not prove), the
        // program is most of the line
        int unitAt = line.start() + key.length() + 1;
        if (!text.startsWith(unit, unitAt) || text.charAt(unitAt + unit.length()) != '\t') return null;
        int at = unitAt + unit.length() + 1;
        int end = at + head.length() + data.length();
        if (end >= line.end() || text.charAt(end) != '\t' || !text.startsWith(head, at)
                || !text.startsWith(data, at + head.length())) {
            return null;
        }
        // then imports, YAML digests, findings and the result, which is read where it is
        int importsEnd = line.tab(end + 1);
        int yamlEnd = importsEnd < 0 ? -1 : line.tab(importsEnd + 1);
        int findingsEnd = yamlEnd < 0 ? -1 : line.tab(yamlEnd + 1);
        if (findingsEnd < 0 || findingsEnd + 1 >= line.end()) return null; // damaged: a miss
        try {
            if (!importsUnchanged(text.substring(end + 1, importsEnd), currentHash)) return null;
            Object result = text.charAt(findingsEnd + 1) == OBJECTS
                    ? new KeptObjects(keptObjects(text, findingsEnd + 2, line.end(), dir))
                    : JsonValues.read(text, findingsEnd + 1, line.end());
            if (result == null) return null;
            current.put(unit, Entry.unchanged(key, line, text.substring(importsEnd + 1, yamlEnd), text.substring(yamlEnd + 1, findingsEnd)));
            return result; // a fresh tree: results are stamped in place downstream
        } catch (IOException | RuntimeException e) {
            return null; // a damaged line is a miss, never a wrong hit
        }
    }

    /**
     * Where a unit's entry is: a checksum of the unit's id and its program (the driver's hash and
     * its data), the inputs its result is a function of besides the library files it imports
     * (their hashes are in the entry) and the build (the store's version line). A key names an
     * entry; the lookup still compares the whole program, so that a collision, chance or crafted,
     * is a miss.
     */
    private static String key(String unit, String head, String data) {
        return Strings.checksum(unit, "\t", head, data);
    }

    /** The result field of a unit kept as objects starts with this character (JSON cannot). */
    private static final char OBJECTS = '\u0003';
    /**
     * An object: its source, apiVersion, kind, name, namespace ({@value #NO_NAMESPACE} for none)
     * and body length, each followed by {@value #FIELD}, then its body; objects one after the
     * other. None of these has such a character (identities that do are not kept as objects).
     */
    private static final char FIELD = '\u0004';
    private static final String NO_NAMESPACE = "\u0005";

    /** Objects kept by {@link #storeObjects}, their bodies read lazily from the line's text. */
    private static List<KeptObject> keptObjects(String text, int start, int end, Path dir) throws IOException {
        List<KeptObject> out = new ArrayList<>();
        String[] f = new String[6];
        for (int at = start; at < end; ) {
            for (int i = 0; i < f.length; i++) {
                int next = text.indexOf(FIELD, at);
                if (next < 0 || next >= end) throw new IOException("damaged object");
                f[i] = text.substring(at, next);
                at = next + 1;
            }
            int bodyStart = at;
            int bodyEnd;
            int source;
            try {
                source = Integer.parseInt(f[0]);
                bodyEnd = Math.addExact(bodyStart, Integer.parseInt(f[5]));
            } catch (NumberFormatException | ArithmeticException e) {
                throw new IOException("damaged object", e);
            }
            if (bodyEnd > end || bodyEnd - bodyStart < 2 || text.charAt(bodyStart) != '{' || text.charAt(bodyEnd - 1) != '}') {
                throw new IOException("damaged object body");
            }
            RenderedObject.Identity id = new RenderedObject.Identity(f[1], f[2], f[3], f[4].equals(NO_NAMESPACE) ? null : f[4]);
            out.add(new KeptObject(source, id, () -> body(text, bodyStart, bodyEnd, id, dir)));
            at = bodyEnd;
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(String text, int start, int end, RenderedObject.Identity id, Path dir) {
        Object value;
        try {
            value = JsonValues.read(text, start, end);
        } catch (IOException e) {
            throw new Unreadable("an object in the render cache " + dir + " cannot be read: " + e.getMessage());
        }
        if (!(value instanceof Map<?, ?> m)) throw new Unreadable("an object in the render cache " + dir + " is not an object");
        Map<String, Object> body = (Map<String, Object>) m;
        // the identity the object was taken by must be the body's
        if (!RenderedObject.Identity.of(body).equals(id)) throw new Unreadable("an object in the render cache " + dir + " is not the one named: " + id);
        return body;
    }

    @Override
    public void forget(String unit) {
        current.remove(unit);
    }

    /**
     * Keeps a unit's objects instead of its result (see {@link KeptObject}): for a unit whose
     * render reported nothing, so that reusing it needs no check of the result. False when an
     * identity has a character the cache cannot keep (the result is kept instead).
     *
     * @param program the unit's program as one line of text (no tabs or line breaks)
     */
    @Override
    public boolean storeObjects(String unit, String program, SortedMap<String, String> imports, List<KeptObject> objects) {
        if (dir == null) return true;
        String importsField = imports(imports);
        if (importsField == null) return true; // not kept at all: evaluated again next time
        StringBuilder sb = new StringBuilder().append(OBJECTS);
        for (KeptObject o : objects) {
            RenderedObject.Identity id = o.identity();
            String body = json(o.body().get());
            for (String field : new String[]{id.apiVersion(), id.kind(), id.name(), id.namespace()}) {
                if (field != null && (field.isEmpty() || field.chars().anyMatch(c -> c < 0x20))) return false;
            }
            sb.append(o.source()).append(FIELD).append(id.apiVersion()).append(FIELD).append(id.kind()).append(FIELD)
                    .append(id.name()).append(FIELD).append(id.namespace() == null ? NO_NAMESPACE : id.namespace()).append(FIELD)
                    .append(body.length()).append(FIELD).append(body);
        }
        current.put(unit, new Entry(key(unit, program, ""), null, program, importsField, sb.toString(), "null", "null"));
        return true;
    }

    /**
     * Imports as the cache keeps them: each library file read and its content hash, each followed
     * by {@value #SEP} (a character no path has; a path with it, a tab or a line break is not kept).
     */
    private static final char SEP = '\u0001';

    private static String imports(SortedMap<String, String> imports) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> i : imports.entrySet()) {
            for (String s : List.of(i.getKey(), i.getValue())) {
                if (s.indexOf(SEP) >= 0 || s.indexOf('\t') >= 0 || s.indexOf('\n') >= 0) return null;
                sb.append(s).append(SEP);
            }
        }
        return sb.toString();
    }

    /** True when every import still has the hash it had (a damaged field throws). */
    private static boolean importsUnchanged(String field, Function<String, String> currentHash) {
        int at = 0;
        while (at < field.length()) {
            int pathEnd = field.indexOf(SEP, at);
            int hashEnd = field.indexOf(SEP, pathEnd + 1);
            if (pathEnd < 0 || hashEnd < 0) throw new IllegalArgumentException("damaged imports");
            String hash = currentHash.apply(field.substring(at, pathEnd));
            if (hash == null || !field.regionMatches(pathEnd + 1, hash, 0, hash.length()) || hashEnd - pathEnd - 1 != hash.length()) {
                return false;
            }
            at = hashEnd + 1;
        }
        return true;
    }

    /** @param program the unit's program as one line of text (no tabs or line breaks) */
    @Override
    public void store(String unit, String program, SortedMap<String, String> imports, Object result) {
        if (dir == null) return;
        String importsField = imports(imports);
        if (importsField == null) return; // not kept: evaluated again next time
        current.put(unit, new Entry(key(unit, program, ""), null, program, importsField, json(result), "null", "null"));
    }

    /**
     * The digests of the YAML of the unit's objects ({@code LENGTH:CHECKSUM}, as the layout
     * stage gave them) from the previous render, after a hit; else null.
     */
    @Override
    public List<String> yamlDigests(String unit) {
        Entry e = current.get(unit);
        String field = e == null ? "null" : e.field(3);
        if (field.equals("null")) return null;
        List<String> digests = field.isEmpty() ? List.of() : List.of(field.split(" ", -1));
        yamlHandedOut.put(unit, digests);
        return digests;
    }

    /** Remembers the digests of the YAML the layout stage produced for a unit's objects. */
    @Override
    public void storeYamlDigests(String unit, List<String> digests) {
        if (dir == null) return;
        Entry e = current.get(unit);
        if (e == null || digests.equals(yamlHandedOut.get(unit))) return;
        for (String d : digests) if (d.isEmpty() || d.indexOf(' ') >= 0 || d.indexOf('\t') >= 0 || d.indexOf('\n') >= 0) return;
        current.put(unit, e.withYaml(String.join(" ", digests)));
    }

    /** The object checks' findings stored for a unit under this key, or null (see Checker.FindingsMemo). */
    public String findings(String unit, String key) {
        Entry e = current.get(unit);
        if (e == null) return null;
        String stored = e.field(4);
        return stored.length() > key.length() && stored.startsWith(key) && stored.charAt(key.length()) == ' '
                ? stored.substring(key.length() + 1) : null;
    }

    /** Keeps the object checks' findings of a rendered unit (a key with a space, tab or line break is not kept). */
    public void storeFindings(String unit, String key, String findings) {
        if (dir == null || key.isEmpty() || key.chars().anyMatch(c -> c == ' ' || c == '\t' || c == '\n')) return;
        current.computeIfPresent(unit, (u, e) -> e.withFindings(key + " " + findings));
    }

    /** Writes the shards whose units changed, were added or are gone (not rendered this time). */
    public void save() {
        if (dir == null) return;
        current.forEach((unit, e) -> {
            if (e.line() != null) units.keep(e.key(), e.line());
            else units.put(e.key(), e.toLine(unit));
        });
        units.save();
        definitions.save();
    }

    /** JSON on one line: Jackson escapes control characters, so tabs and newlines never appear raw. */
    private static String json(Object value) {
        return JsonValues.write(value);
    }

}
