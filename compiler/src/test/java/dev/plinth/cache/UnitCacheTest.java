package dev.plinth.cache;

import dev.plinth.values.CheckedFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The render cache reuses a unit only when nothing it read changed, and never trusts a damaged file. */
class UnitCacheTest {
    @TempDir
    Path dir;

    private static final Map<String, String> HASHES = Map.of("/lib/a.libsonnet", "h1");

    private void saveTwoUnits() {
        UnitCache cache = UnitCache.load(dir);
        Map<String, Object> result = Map.of("component", List.of(Map.of("kind", "Deployment", "spec",
                Map.of("replicas", 2L, "ratio", 0.5, "note", "tab\there\nnewline"))));
        cache.store("c1/app/web", "p1", new TreeMap<>(HASHES), result);
        cache.storeYamlDigests("c1/app/web", List.of("17:0123abcd0123abcd"));
        cache.store("c1/tenant", "p2", new TreeMap<>(), Map.of("tenant", List.of()));
        cache.save();
    }

    /** The cache file that holds a unit's line. */
    private Path fileOf(String unit) throws IOException {
        try (var files = Files.list(dir.resolve("units"))) {
            for (Path f : files.toList()) {
                if (Files.readString(f).lines().anyMatch(l -> unitLine(l).startsWith(unit + "\t"))) return f;
            }
        }
        throw new AssertionError("no cache file holds " + unit);
    }

    /** A unit's line without the length it starts with. */
    /** A unit's line from its unit id on: without the length and the key (a checksum of its inputs) before it. */
    private static String unitLine(String line) {
        return line.matches("\\d+ [0-9a-f]{16}\t.*") ? line.substring(line.indexOf('\t') + 1) : line;
    }

    private String allCacheText() throws IOException {
        StringBuilder sb = new StringBuilder();
        try (var files = Files.list(dir.resolve("units"))) {
            for (Path f : files.sorted().toList()) sb.append(Files.readString(f));
        }
        return sb.toString();
    }

    @Test
    void reusesAUnitOnlyWhenItsProgramAndImportsAreUnchanged() {
        saveTwoUnits();
        UnitCache cache = UnitCache.load(dir);
        Object hit = cache.lookup("c1/app/web", "p1", HASHES::get);
        assertEquals(Map.of("component", List.of(Map.of("kind", "Deployment", "spec",
                Map.of("replicas", 2L, "ratio", 0.5, "note", "tab\there\nnewline")))), hit);
        assertEquals(List.of("17:0123abcd0123abcd"), cache.yamlDigests("c1/app/web"));

        UnitCache again = UnitCache.load(dir);
        assertNull(again.lookup("c1/app/web", "p-other", HASHES::get), "another program");
        assertNull(again.lookup("c1/app/web", "p1", p -> "h2"), "an imported file changed");
        assertNull(again.lookup("c1/app/gone", "p1", HASHES::get), "a unit it never saw");
    }

    @Test
    void unchangedUnitsAreWrittenBackByteForByte() throws IOException {
        saveTwoUnits();
        String before = allCacheText();
        UnitCache cache = UnitCache.load(dir);
        cache.lookup("c1/app/web", "p1", HASHES::get);
        cache.storeYamlDigests("c1/app/web", cache.yamlDigests("c1/app/web"));
        cache.lookup("c1/tenant", "p2", HASHES::get);
        cache.store("c2/tenant", "p3", new TreeMap<>(), Map.of());
        cache.save();
        String after = allCacheText();
        for (String line : before.split("\n")) {
            if (unitLine(line).startsWith("c1/")) assertEquals(1, after.lines().filter(line::equals).count(), line);
        }
        assertEquals(1, after.lines().filter(l -> unitLine(l).startsWith("c2/tenant\tp3\t")).count());
        assertEquals(3, after.lines().filter(l -> unitLine(l).matches("c.*\t.*")).count());
    }

    @Test
    void unitsNotRenderedAgainAreDropped() {
        saveTwoUnits();
        UnitCache cache = UnitCache.load(dir);
        cache.lookup("c1/tenant", "p2", HASHES::get); // the app is gone from the platform
        cache.save();
        UnitCache next = UnitCache.load(dir);
        assertNull(next.lookup("c1/app/web", "p1", HASHES::get));
        assertEquals(Map.of("tenant", List.of()), next.lookup("c1/tenant", "p2", HASHES::get));
    }

    @Test
    void keepsADefinitionsMetadataWhileItsFilesAreUnchanged() {
        UnitCache cache = UnitCache.load(dir);
        Map<String, Object> metadata = Map.of("parameters", Map.of("replicas", Map.of("type", "integer", "default", 2L)));
        cache.storeDefinition("/lib/components/web.libsonnet", new TreeMap<>(HASHES), metadata);
        cache.save();
        UnitCache next = UnitCache.load(dir);
        assertEquals(metadata, next.lookupDefinition("/lib/components/web.libsonnet", HASHES::get));
        assertNull(next.lookupDefinition("/lib/components/web.libsonnet", p -> "h2"), "an imported file changed");
        assertNull(next.lookupDefinition("/lib/components/other.libsonnet", HASHES::get));
    }

    @Test
    void aResultWithoutAUtf8FormIsNotKeptAndDoesNotStopTheSave() {
        UnitCache cache = UnitCache.load(dir);
        cache.store("c1/app/odd", "p9", new TreeMap<>(), Map.of("note", "a\ud83db"));
        cache.store("c1/tenant", "p2", new TreeMap<>(), Map.of("tenant", List.of()));
        cache.save();
        UnitCache next = UnitCache.load(dir);
        assertNull(next.lookup("c1/app/odd", "p9", HASHES::get));
        assertEquals(Map.of("tenant", List.of()), next.lookup("c1/tenant", "p2", HASHES::get));
    }

    @Test
    void aCacheCutShortDamagedOrFromAnotherVersionIsIgnored() throws IOException {
        saveTwoUnits();
        Path file = fileOf("c1/app/web");
        byte[] good = Files.readAllBytes(file);
        String text = CheckedFile.read(file);
        assertTrue(text != null && text.startsWith("plinth-unit-cache/"), "the file checks out");

        Files.write(file, java.util.Arrays.copyOf(good, good.length / 2));
        assertNull(UnitCache.load(dir).lookup("c1/app/web", "p1", HASHES::get), "cut short");

        CheckedFile.write(file, text.replaceFirst("plinth-unit-cache/\\d+", "plinth-unit-cache/0"));
        assertNull(UnitCache.load(dir).lookup("c1/app/web", "p1", HASHES::get), "another version");

        // one character changed anywhere: the checksum no longer fits, none of the file's units is trusted
        Files.writeString(file, new String(good, StandardCharsets.UTF_8).replace("\"replicas\":2", "\"replicas\":3"));
        assertNull(UnitCache.load(dir).lookup("c1/app/web", "p1", HASHES::get), "a damaged file");

        // lines that do not fit the format, in a file whose checksum fits (written so), are misses too
        CheckedFile.write(file, text.replace("\"replicas\":2", "\"replicas\":{"));
        assertNull(UnitCache.load(dir).lookup("c1/app/web", "p1", HASHES::get), "a result that does not read");
        String line = text.lines().filter(l -> unitLine(l).startsWith("c1/app/web\t")).findFirst().orElseThrow();
        CheckedFile.write(file, text.replace(line, line.replace("\tnull\t", "\tnull ")));
        UnitCache fieldMissing = UnitCache.load(dir);
        assertNull(fieldMissing.lookup("c1/app/web", "p1", HASHES::get), "a field missing");
        // and the render goes on with the others
        fieldMissing.lookup("c1/tenant", "p2", HASHES::get);
        fieldMissing.storeFindings("c1/tenant", "key", "[]");
        fieldMissing.storeYamlDigests("c1/tenant", List.of());
        fieldMissing.save();
        CheckedFile.write(file, text.replace(line, line.replace("\"replicas\":2", "\"replicas\"\t2")));
        assertNull(UnitCache.load(dir).lookup("c1/app/web", "p1", HASHES::get), "a field too many");
        CheckedFile.write(file, text.replace(line, line + "x"));
        assertNull(UnitCache.load(dir).lookup("c1/app/web", "p1", HASHES::get), "a line longer than it says");

        Files.write(file, new byte[]{(byte) 0xff, (byte) 0xfe, 0, 1});
        assertNull(UnitCache.load(dir).lookup("c1/app/web", "p1", HASHES::get), "not text at all");
    }
}
