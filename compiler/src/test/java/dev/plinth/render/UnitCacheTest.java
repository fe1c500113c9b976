package dev.plinth.render;

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
        cache.storeYaml("c1/app/web", List.of("kind: Deployment\n"));
        cache.store("c1/tenant", "p2", new TreeMap<>(), Map.of("tenant", List.of()));
        cache.save();
    }

    @Test
    void reusesAUnitOnlyWhenItsProgramAndImportsAreUnchanged() {
        saveTwoUnits();
        UnitCache cache = UnitCache.load(dir);
        Object hit = cache.lookup("c1/app/web", "p1", HASHES::get);
        assertEquals(Map.of("component", List.of(Map.of("kind", "Deployment", "spec",
                Map.of("replicas", 2L, "ratio", 0.5, "note", "tab\there\nnewline")))), hit);
        assertEquals(List.of("kind: Deployment\n"), cache.yaml("c1/app/web"));

        UnitCache again = UnitCache.load(dir);
        assertNull(again.lookup("c1/app/web", "p-other", HASHES::get), "another program");
        assertNull(again.lookup("c1/app/web", "p1", p -> "h2"), "an imported file changed");
        assertNull(again.lookup("c1/app/gone", "p1", HASHES::get), "a unit it never saw");
    }

    @Test
    void unchangedUnitsAreWrittenBackByteForByte() throws IOException {
        saveTwoUnits();
        byte[] before = Files.readAllBytes(dir.resolve("units.cache"));
        UnitCache cache = UnitCache.load(dir);
        cache.lookup("c1/app/web", "p1", HASHES::get);
        cache.storeYaml("c1/app/web", cache.yaml("c1/app/web"));
        cache.lookup("c1/tenant", "p2", HASHES::get);
        cache.store("c2/tenant", "p3", new TreeMap<>(), Map.of());
        cache.save();
        String after = Files.readString(dir.resolve("units.cache"));
        for (String line : new String(before, StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("c1/")) assertEquals(1, after.lines().filter(line::equals).count(), line);
        }
        assertEquals(1, after.lines().filter(l -> l.startsWith("c2/tenant\tp3\t")).count());
        assertEquals("end 3", after.lines().reduce((a, b) -> b).orElseThrow());
    }

    @Test
    void aCacheCutShortOrFromAnotherVersionIsIgnored() throws IOException {
        saveTwoUnits();
        Path file = dir.resolve("units.cache");
        byte[] good = Files.readAllBytes(file);

        Files.write(file, java.util.Arrays.copyOf(good, good.length / 2));
        assertNull(UnitCache.load(dir).lookup("c1/app/web", "p1", HASHES::get), "cut short");

        String text = new String(good, StandardCharsets.UTF_8);
        Files.writeString(file, text.replaceFirst("plinth-unit-cache/\\d+", "plinth-unit-cache/0"));
        assertNull(UnitCache.load(dir).lookup("c1/app/web", "p1", HASHES::get), "another version");

        Files.writeString(file, text.replace("\"replicas\":2", "\"replicas\":2,,"));
        UnitCache damaged = UnitCache.load(dir);
        assertNull(damaged.lookup("c1/app/web", "p1", HASHES::get), "a damaged line is a miss");
        assertEquals(Map.of("tenant", List.of()), damaged.lookup("c1/tenant", "p2", HASHES::get), "other lines still hit");

        Files.write(file, new byte[]{(byte) 0xff, (byte) 0xfe, 0, 1});
        assertNull(UnitCache.load(dir).lookup("c1/app/web", "p1", HASHES::get), "not text at all");
    }
}
