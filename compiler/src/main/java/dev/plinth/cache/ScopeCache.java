package dev.plinth.cache;

import dev.plinth.definitions.Library;
import dev.plinth.values.CheckedFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import dev.plinth.check.Checker;
import dev.plinth.values.Strings;

/**
 * The findings of the checks across objects per (cluster, check, namespace) from the previous
 * render, on disk beside the unit cache ({@code scopes.cache}: a version line, then one line
 * {@code cluster TAB check TAB scope TAB key TAB findings} each). Safe to delete; a file of
 * another build or a damaged one is ignored. A render keeps the entries it looked up or stored
 * and drops the others.
 */
public final class ScopeCache implements Checker.ScopeMemo {
    private static final String FORMAT = "plinth-scope-cache/1";
    private static final String FILE = "scopes.cache";

    private final Path file;
    private final String version;
    /** By "cluster TAB check TAB scope": {key, findings}. */
    private final Map<String, String[]> previous;
    private final Map<String, String[]> current = new ConcurrentHashMap<>();

    private ScopeCache(Path file, String version, Map<String, String[]> previous) {
        this.file = file;
        this.version = version;
        this.previous = previous;
    }

    /** A cache that remembers nothing: every scope is checked. */
    public static ScopeCache disabled() {
        return new ScopeCache(null, "", Map.of());
    }

    public static ScopeCache load(Path cacheDir) {
        Path file = cacheDir.resolve(FILE);
        String version = FORMAT + " " + Library.builtinFingerprint();
        Map<String, String[]> entries = new HashMap<>();
        try {
            String text = CheckedFile.read(file);
            String[] lines = text == null ? new String[0] : text.split("\n", -1);
            // the version line, the entries, and "end COUNT" before the final line break
            if (lines.length >= 3 && lines[0].equals(version) && lines[lines.length - 1].isEmpty()
                    && lines[lines.length - 2].equals("end " + (lines.length - 3))) {
                for (int i = 1; i < lines.length - 2; i++) {
                    String[] f = lines[i].split("\t", -1);
                    if (f.length != 5) {
                        entries.clear();
                        break;
                    }
                    entries.put(f[0] + "\t" + f[1] + "\t" + f[2], new String[]{f[3], f[4]});
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            entries.clear(); // unreadable: every scope is checked
        }
        return new ScopeCache(file, version, entries);
    }

    @Override
    public boolean enabled() {
        return file != null;
    }

    @Override
    public String kept(String cluster, String check, String scope, String key) {
        if (file == null) return null;
        String id = cluster + "\t" + check + "\t" + scope;
        String[] e = previous.get(id);
        if (e == null || !e[0].equals(key)) return null;
        current.put(id, e);
        return e[1];
    }

    @Override
    public void keep(String cluster, String check, String scope, String key, String findings) {
        if (file == null) return;
        String line = cluster + check + scope + key + findings;
        if (line.indexOf('\t') >= 0 || line.indexOf('\n') >= 0 || Strings.hasLoneSurrogate(line)) return;
        current.put(cluster + "\t" + check + "\t" + scope, new String[]{key, findings});
    }

    /** Writes the entries of this render, when they differ from the previous render's. */
    public void save() {
        if (file == null || (current.size() == previous.size() && current.entrySet().stream()
                .allMatch(e -> previous.get(e.getKey()) == e.getValue()))) {
            return;
        }
        try {
            CheckedFile.directory(file.getParent());
            StringBuilder sb = new StringBuilder(version).append('\n');
            for (Map.Entry<String, String[]> e : new TreeMap<>(current).entrySet()) {
                sb.append(e.getKey()).append('\t').append(e.getValue()[0]).append('\t').append(e.getValue()[1]).append('\n');
            }
            sb.append("end ").append(current.size()).append('\n');
            CheckedFile.write(file, sb.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the render cache " + file + ": " + e.getMessage(), e);
        }
    }
}
