package dev.plinth.cache;

import dev.plinth.TestSupport;
import dev.plinth.diag.Diagnostics;
import dev.plinth.values.CheckedFile;
import dev.plinth.yaml.PNode;
import dev.plinth.yaml.YamlReader;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Property-based: a cache file with any content (random bytes, or a valid file with random
 * bytes changed) reads as a miss or as exactly what was written; it never throws, and never
 * allocates what a count in it claims before checking it.
 */
class CachePropertiesTest {
    private static final String REL = "environments/live/apps/shop.yaml";
    private static final String TEXT = dev.plinth.yaml.YamlReaderPropertiesTestAccess.SPEC;

    private static final Path DIR;
    private static final byte[] GOOD;
    /** Every try's files, under one folder that goes when the tests end. */
    private static final Path TRIES = TestSupport.tempDirectory("plinth-cache-tries");

    static {
        try {
            DIR = TestSupport.tempDirectory("plinth-cache-props");
            SpecCache cache = SpecCache.load(DIR);
            cache.store(REL, TEXT, docs());
            cache.save();
            GOOD = Files.readAllBytes(shard(DIR));
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The one shard file of a spec cache that holds one entry. */
    static Path shard(Path cacheDir) throws IOException {
        try (var files = Files.list(cacheDir.resolve("specs"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".cache")).findFirst().orElseThrow();
        }
    }

    private static List<PNode> docs() {
        Diagnostics d = new Diagnostics();
        List<PNode> docs = YamlReader.readAll(REL, TEXT, d);
        assertTrue(!d.hasErrors());
        return docs;
    }

    @Provide
    Arbitrary<byte[]> damagedCaches() {
        return Arbitraries.integers().between(0, GOOD.length - 1).list().uniqueElements().ofMinSize(1).ofMaxSize(6).map(positions -> {
            byte[] b = GOOD.clone();
            for (int p : positions) b[p] = (byte) (b[p] ^ (1 + (p * 31) % 255));
            return b;
        });
    }

    @Property(tries = 300)
    void aDamagedSpecCacheIsAMiss(@ForAll("damagedCaches") byte[] bytes) throws IOException {
        Path dir = Files.createTempDirectory(TRIES, "try");
        Files.createDirectories(dir.resolve("specs"));
        Files.write(dir.resolve("specs").resolve(shard(DIR).getFileName()), bytes);
        assertNull(SpecCache.load(dir).lookup(REL, TEXT));
    }

    @Property(tries = 300)
    void randomBytesAreAMissOrDecodeCleanly(@ForAll @Size(max = 200) byte[] bytes) throws IOException {
        Path dir = Files.createTempDirectory(TRIES, "try");
        Files.createDirectories(dir.resolve("specs"));
        Files.write(dir.resolve("specs").resolve(shard(DIR).getFileName()), bytes);
        assertNull(SpecCache.load(dir).lookup(REL, TEXT));
        try {
            SpecCache.decode(REL, bytes); // the nodes' decoder alone: an IOException or documents
        } catch (IOException expected) {
            // damaged
        }
    }

    @Property(tries = 200)
    void theStoreParserNeverThrows(@ForAll String text) {
        dev.plinth.cache.UnitCachePropertiesAccess.parse("v\n" + text, "v");
        dev.plinth.cache.UnitCachePropertiesAccess.parse(text, "v");
    }

    @Property(tries = 200)
    void aCheckedFileReadsAsWrittenOrNotAtAll(@ForAll String text, @ForAll @Size(max = 4) @net.jqwik.api.constraints.UniqueElements List<Integer> flips) throws IOException {
        Path file = Files.createTempDirectory(TRIES, "checked").resolve("x.cache");
        CheckedFile.write(file, text);
        byte[] b = Files.readAllBytes(file);
        for (int f : flips) {
            int at = Math.floorMod(f, b.length);
            b[at] = (byte) (b[at] ^ 0x41);
        }
        Files.write(file, b);
        String read = CheckedFile.read(file);
        if (read != null) assertEquals(new String(text.getBytes(java.nio.charset.StandardCharsets.UTF_8), java.nio.charset.StandardCharsets.UTF_8), read);
    }
}
