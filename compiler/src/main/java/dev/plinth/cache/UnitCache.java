package dev.plinth.cache;

import dev.plinth.definitions.Library;
import dev.plinth.render.RenderedObject;
import dev.plinth.render.UnitMemo;
import dev.plinth.render.UnitMemo.KeptObject;
import dev.plinth.render.UnitMemo.KeptObjects;
import dev.plinth.values.CheckedFile;
import dev.plinth.values.Strings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import dev.plinth.values.JsonValues;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Locale;

/**
 * The results of unit evaluations from the previous render, on disk. A unit's result is reused
 * when its driver program and data (which hold everything the unit read from the specs: context,
 * properties, trait properties, the text of referenced files and chart output) are the same and
 * every library file it imported still has the same content. The cache is safe to delete; a
 * cache written by another Plinth build, or one that is damaged or cut short, is ignored.
 *
 * <p>The cache is {@value #SHARDS} files, a unit's chosen by the hash of its id, each with a
 * version line, one line per unit, an end line that counts them, and a checksum of it all (see
 * {@link CheckedFile}). A unit's line starts with its length and a space, then
 * {@code unit TAB program TAB imports TAB yaml TAB findings TAB result}: the program as its
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
    private static final String FORMAT = "plinth-unit-cache/10";
    private static final int SHARDS = 64;

    /**
     * One unit: either the previous render's line, while the unit is unchanged (written back as
     * it was, and the only copy of its long fields that is kept), with its short YAML and findings
     * fields; or the program and the JSON of its imports' hashes, result and YAML digests ("null"
     * until the layout stage produced them), and the object checks' findings ("null" until the
     * check stage produced them).
     */
    private record Entry(Line line, String program, String imports, String result, String yaml, String findings) {
        static Entry unchanged(Line line, String yaml, String findings) {
            return new Entry(line, null, null, null, yaml, findings);
        }

        /** The line: unit, program, imports, YAML digests, findings and, last (it is the longest), the result. */
        String toLine(String unit) {
            return line != null ? line.string() : String.join("\t", unit, program, imports, yaml, findings, result);
        }

        /** program, imports, result, yaml, findings */
        String[] fields() {
            if (line == null) return new String[]{program, imports, result, yaml, findings};
            String[] f = line.string().split("\t", -1);
            return new String[]{f[1], f[2], f[5], f[3], f[4]};
        }

        /** The yaml (3) or findings (4) field. */
        String field(int i) {
            return i == 3 ? yaml : findings;
        }

        Entry withYaml(String digests) {
            String[] f = fields();
            return new Entry(null, f[0], f[1], f[2], digests, f[4]);
        }

        Entry withFindings(String keyAndFindings) {
            String[] f = fields();
            return new Entry(null, f[0], f[1], f[2], f[3], keyAndFindings);
        }
    }

    /**
     * A line of a cache file, in place in the file's text: 38 MB of lines at 1000 x 3, of which a
     * render reads a few fields of each and writes back only those of changed files.
     */
    record Line(String text, int start, int end) {
        String string() {
            return text.substring(start, end);
        }

        /** Where the next tab is, at or after {@code from}, or -1 when the line has none there. */
        int tab(int from) {
            int i = text.indexOf('\t', from);
            return i < 0 || i >= end ? -1 : i;
        }
    }

    private final Path dir;
    private final String version;
    /** The previous render's lines by unit, parsed only on a hit. */
    private final Map<String, Line> previous;
    private final Map<String, Entry> current = new ConcurrentHashMap<>();
    /** Definitions' metadata by definition file, as lines "path TAB imports TAB metadata" (few). */
    private final Map<String, String> previousDefinitions;
    private final Map<String, String> currentDefinitions = new ConcurrentHashMap<>();
    /** The YAML digests handed out for a unit, to tell whether the layout stage changed them. */
    private final Map<String, List<String>> yamlHandedOut = new ConcurrentHashMap<>();
    private volatile boolean changed;

    private UnitCache(Path dir, String version, Map<String, Line> previous, Map<String, String> previousDefinitions) {
        this.dir = dir;
        this.version = version;
        this.previous = previous;
        this.previousDefinitions = previousDefinitions;
    }

    /** A cache that remembers nothing (for --full, and where there is no output to sit beside). */
    public static UnitCache disabled() {
        return new UnitCache(null, "", Map.of(), Map.of());
    }

    public static UnitCache load(Path cacheDir) {
        Path dir = cacheDir.resolve("units");
        String version = FORMAT + " " + Library.builtinFingerprint();
        Map<String, Line> lines = new HashMap<>();
        for (int shard = 0; shard < SHARDS; shard++) {
            Path file = dir.resolve(shardName(shard));
            try {
                String text = CheckedFile.read(file);
                if (text != null) lines.putAll(parse(text, version)); // else damaged or absent: its units are misses
            } catch (IOException | IllegalArgumentException e) {
                // unreadable: its units are misses, never trusted
            }
        }
        Map<String, String> definitions = new HashMap<>();
        try {
            String text = CheckedFile.read(dir.resolve(DEFINITIONS));
            if (text != null) parse(text, version).forEach((path, line) -> definitions.put(path, line.string()));
        } catch (IOException | IllegalArgumentException e) {
            // unreadable: every definition is read again
        }
        return new UnitCache(dir, version, lines, definitions);
    }

    private static final String DEFINITIONS = "definitions.cache";

    /** A definition's metadata from the previous render, or null when its file or an import changed. */
    @Override
    public Object lookupDefinition(String path, Function<String, String> currentHash) {
        if (dir == null) return null;
        String line = previousDefinitions.get(path);
        if (line == null) return null;
        String[] f = line.split("\t", -1);
        if (f.length != 3) return null;
        try {
            if (!importsUnchanged(f[1], currentHash)) return null;
            Object metadata = JsonValues.read(f[2]);
            currentDefinitions.put(path, line);
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
        String line = path + "\t" + importsField + "\t" + json(metadata);
        if (!Strings.hasLoneSurrogate(line)) currentDefinitions.put(path, line);
    }

    private static int shard(String unit) {
        return Math.floorMod(unit.hashCode(), SHARDS); // String.hashCode is the same in every JVM
    }

    private static String shardName(int shard) {
        return String.format(Locale.ROOT, "%02x.cache", shard);
    }

    /**
     * The lines by unit (their first field), or none when the version differs or the file is
     * damaged or cut short: the version line, the lines, "end COUNT" and a final line break. Each
     * line starts with its length and a space, so that finding the lines does not mean reading
     * their 38 MB character by character.
     */
    static Map<String, Line> parse(String text, String version) {
        int first = text.indexOf('\n');
        if (first < 0 || !text.startsWith(version) || first != version.length() || !text.endsWith("\n")) return Map.of();
        Map<String, Line> out = new HashMap<>();
        int at = first + 1;
        while (at < text.length() && Character.isDigit(text.charAt(at))) {
            int space = text.indexOf(' ', at);
            if (space < 0 || space - at > 9) return Map.of();
            int start = space + 1;
            int end = start + Integer.parseInt(text, at, space, 10);
            if (end >= text.length() || text.charAt(end) != '\n') return Map.of();
            int tab = text.indexOf('\t', start);
            if (tab <= start || tab >= end) return Map.of();
            out.put(text.substring(start, tab), new Line(text, start, end));
            at = end + 1;
        }
        return text.length() == at + ("end " + out.size() + "\n").length() && text.startsWith("end " + out.size() + "\n", at)
                ? out : Map.of();
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
        Line line = previous.get(unit);
        if (line == null) return null;
        String text = line.text();
        // "unit TAB program TAB ...": compare in place, the program is most of the line
        int at = line.start() + unit.length() + 1;
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
            current.put(unit, Entry.unchanged(line, text.substring(importsEnd + 1, yamlEnd), text.substring(yamlEnd + 1, findingsEnd)));
            return result; // a fresh tree: results are stamped in place downstream
        } catch (IOException | RuntimeException e) {
            return null; // a damaged line is a miss, never a wrong hit
        }
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
        if (current.remove(unit) != null) changed = true;
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
        current.put(unit, new Entry(null, program, importsField, sb.toString(), "null", "null"));
        changed = true;
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
        current.put(unit, new Entry(null, program, importsField, json(result), "null", "null"));
        changed = true;
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
        changed = true;
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
        changed = true;
    }

    /** Writes the files whose units changed, were added or are gone (not rendered this time). */
    public void save() {
        if (dir == null) return;
        saveDefinitions();
        if (!changed && current.keySet().equals(previous.keySet())) return;
        try {
            CheckedFile.directory(dir);
            List<SortedMap<String, Entry>> shards = new ArrayList<>();
            boolean[] dirty = new boolean[SHARDS];
            for (int i = 0; i < SHARDS; i++) shards.add(new TreeMap<>());
            current.forEach((unit, e) -> {
                shards.get(shard(unit)).put(unit, e);
                if (e.line() == null) dirty[shard(unit)] = true;
            });
            for (String unit : previous.keySet()) if (!current.containsKey(unit)) dirty[shard(unit)] = true;
            for (int i = 0; i < SHARDS; i++) {
                if (!dirty[i]) continue;
                Path file = dir.resolve(shardName(i));
                if (shards.get(i).isEmpty()) {
                    Files.deleteIfExists(file);
                    continue;
                }
                List<String> lines = new ArrayList<>();
                for (Map.Entry<String, Entry> e : shards.get(i).entrySet()) {
                    String line = e.getValue().toLine(e.getKey());
                    if (e.getValue().line() == null && Strings.hasLoneSurrogate(line)) continue; // no UTF-8 form
                    lines.add(line);
                }
                writeLines(file, lines);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the render cache " + dir + ": " + e.getMessage(), e);
        }
    }

    private void saveDefinitions() {
        if (currentDefinitions.equals(previousDefinitions)) return;
        try {
            CheckedFile.directory(dir);
            writeLines(dir.resolve(DEFINITIONS), new TreeMap<>(currentDefinitions).values());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the render cache " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * A cache file: the version line, the lines (each after its length), and an end line that
     * counts them (see {@link #parse}), with a checksum of it all ({@link dev.plinth.values.CheckedFile}).
     */
    private void writeLines(Path file, Collection<String> lines) throws IOException {
        StringBuilder sb = new StringBuilder(version).append('\n');
        for (String line : lines) sb.append(line.length()).append(' ').append(line).append('\n');
        sb.append("end ").append(lines.size()).append('\n');
        CheckedFile.write(file, sb.toString());
    }


    /** JSON on one line: Jackson escapes control characters, so tabs and newlines never appear raw. */
    private static String json(Object value) {
        return JsonValues.write(value);
    }

}
