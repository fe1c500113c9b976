package dev.plinth.render;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plinth.definitions.Library;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The results of unit evaluations from the previous render, on disk. A unit's result is reused
 * when its driver program (which holds everything the unit read from the specs: context,
 * properties, trait properties, the text of referenced files and chart output) is the same and
 * every library file it imported still has the same content. The cache is safe to delete; a
 * cache written by another Plinth or built-in library version, or one that does not parse, is
 * ignored.
 */
public final class UnitCache {
    /** Bumped when the cache's layout or the meaning of a unit changes. */
    private static final String FORMAT = "plinth-unit-cache/3";

    /**
     * One unit's evaluation: the hash of its program, its imports' hashes, the result, and the
     * YAML text of the unit's finished objects (added once the layout stage wrote them).
     */
    public record Entry(String program, SortedMap<String, String> imports, Object result, java.util.List<String> yaml) {
        Entry withYaml(java.util.List<String> texts) {
            return new Entry(program, imports, result, texts);
        }
    }

    private final Path file;
    private final String version;
    /** The previous render's units as parsed JSON, turned into entries only when looked up. */
    private final Map<String, Object> previous;
    private final Map<String, Entry> current = new ConcurrentHashMap<>();
    private volatile boolean changed;

    private UnitCache(Path file, String version, Map<String, Object> previous) {
        this.file = file;
        this.version = version;
        this.previous = previous;
    }

    /** A cache that remembers nothing (for --full, and where there is no output to sit beside). */
    public static UnitCache disabled() {
        return new UnitCache(null, "", Map.of());
    }

    public static UnitCache load(Path dir) {
        Path file = dir.resolve("units.json");
        String version = FORMAT + " " + Library.builtinFingerprint();
        Map<String, Object> entries = Map.of();
        if (Files.isRegularFile(file)) {
            try {
                Map<String, Object> doc = new ObjectMapper().readValue(file.toFile(), new TypeReference<>() {
                });
                if (version.equals(doc.get("version")) && doc.get("units") instanceof Map<?, ?> units) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> u = (Map<String, Object>) units;
                    entries = u;
                }
            } catch (IOException | IllegalArgumentException | ClassCastException e) {
                entries = Map.of(); // corrupt or foreign: start over, never trust it
            }
        }
        return new UnitCache(file, version, entries);
    }

    /** The cached result of a unit, or null when anything it depends on changed. */
    public Object lookup(String unit, String programHash, Function<String, String> currentHash) {
        if (file == null) return null;
        Entry e = entry(previous.get(unit));
        if (e == null || !e.program().equals(programHash) || e.result() == null) return null;
        for (Map.Entry<String, String> i : e.imports().entrySet()) {
            if (!i.getValue().equals(currentHash.apply(i.getKey()))) return null;
        }
        current.put(unit, e);
        return copy(e.result()); // the result is stamped in place downstream; the entry keeps its own
    }

    /** An entry from its parsed JSON, or null when it does not have the expected shape. */
    @SuppressWarnings("unchecked")
    private static Entry entry(Object raw) {
        if (!(raw instanceof Map<?, ?> m) || !(m.get("program") instanceof String program)
                || !(m.get("imports") instanceof Map<?, ?> imports)) {
            return null;
        }
        SortedMap<String, String> im = new TreeMap<>();
        imports.forEach((k, v) -> im.put(String.valueOf(k), String.valueOf(v)));
        java.util.List<String> yaml = m.get("yaml") instanceof java.util.List<?> l ? (java.util.List<String>) l : null;
        return new Entry(program, im, m.get("result"), yaml);
    }

    public void store(String unit, String programHash, SortedMap<String, String> imports, Object result) {
        if (file == null) return;
        current.put(unit, new Entry(programHash, imports, copy(result), null));
        changed = true;
    }

    /** The YAML texts of the unit's objects from the previous render, after a hit; else null. */
    public java.util.List<String> yaml(String unit) {
        Entry e = current.get(unit);
        return e == null ? null : e.yaml();
    }

    /** Remembers the YAML texts the layout stage produced for a unit's objects. */
    public void storeYaml(String unit, java.util.List<String> texts) {
        if (file == null) return;
        Entry e = current.get(unit);
        if (e != null && !texts.equals(e.yaml())) {
            current.put(unit, e.withYaml(java.util.List.copyOf(texts)));
            changed = true;
        }
    }

    /** Writes the units of this render (dropping the ones that are gone) when anything changed. */
    public void save() {
        if (file == null || (!changed && current.keySet().equals(previous.keySet()))) return;
        // (entries are written as records: program, imports, result, yaml)
        try {
            Files.createDirectories(file.getParent());
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("version", version);
            doc.put("units", new TreeMap<>(current));
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            new ObjectMapper().writeValue(tmp.toFile(), doc);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the render cache " + file + ": " + e.getMessage(), e);
        }
    }

    /** Results are stamped in place later, so the cache keeps and hands out its own copies. */
    @SuppressWarnings("unchecked")
    private static Object copy(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, val) -> out.put(String.valueOf(k), copy(val)));
            return out;
        }
        if (v instanceof java.util.List<?> l) {
            java.util.List<Object> out = new java.util.ArrayList<>(l.size());
            for (Object o : l) out.add(copy(o));
            return out;
        }
        if (v instanceof Integer i) return i.longValue();
        return v;
    }
}
