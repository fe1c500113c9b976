package dev.plinth.cache;

import dev.plinth.diag.Diagnostics;
import dev.plinth.diag.PlinthException;
import dev.plinth.spec.SpecLoader;
import dev.plinth.yaml.PNode;
import dev.plinth.yaml.YamlReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parsed spec files are reused only for exactly the same text, with every position intact. */
class SpecCacheTest {
    @TempDir
    Path dir;

    private static final String APP = """
            apiVersion: plinth.dev/v1
            kind: Application
            metadata: {name: shop, tenant: t}
            spec:
              components:
                - name: web
                  type: webservice
                  properties: {image: 'nginx:1.27', replicas: 3, ratio: 0.5, debug: false, note: null,
                               long: "%s"}
            ---
            kind: Other
            """.formatted("x".repeat(70_000));

    private static List<PNode> parse(String text) {
        Diagnostics d = new Diagnostics();
        List<PNode> docs = YamlReader.readAll("environments/live/apps/shop.yaml", text, d);
        assertTrue(!d.hasErrors() && !d.hasWarnings());
        return docs;
    }

    @Test
    void givesBackTheSameNodesWithTheirPositions() {
        List<PNode> docs = parse(APP);
        SpecCache cache = SpecCache.load(dir);
        cache.store("environments/live/apps/shop.yaml", APP, docs);
        cache.save();
        SpecCache next = SpecCache.load(dir);
        assertEquals(docs, next.lookup("environments/live/apps/shop.yaml", APP), "nodes, values and positions");
        assertNull(next.lookup("environments/live/apps/shop.yaml", APP.replace("replicas: 3", "replicas: 4")), "other text");
        assertNull(next.lookup("environments/live/apps/other.yaml", APP), "another file");
    }

    @Test
    void aFileWithAValueWithoutAUtf8FormIsNotKept() {
        String text = "kind: Application\nnote: \"a\\ud83db\"\n";
        List<PNode> docs = parse(text);
        SpecCache cache = SpecCache.load(dir);
        cache.store("odd.yaml", text, docs);
        cache.save();
        assertNull(SpecCache.load(dir).lookup("odd.yaml", text));
    }

    @Test
    void aDamagedCacheIsIgnored() throws IOException {
        SpecCache cache = SpecCache.load(dir);
        cache.store("a.yaml", APP, parse(APP));
        cache.save();
        Path file = CachePropertiesTest.shard(dir);
        byte[] good = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(good, good.length - 10));
        assertNull(SpecCache.load(dir).lookup("a.yaml", APP), "cut short");
        Files.write(file, new byte[]{1, 2, 3});
        assertNull(SpecCache.load(dir).lookup("a.yaml", APP), "not a cache at all");
    }

    @Test
    void aFileWithYamlErrorsIsReportedOnEveryLoad() throws IOException {
        Path root = dir.resolve("platform");
        Files.createDirectories(root.resolve("environments/live/apps"));
        Files.writeString(root.resolve("environments/live/environment.yaml"),
                "apiVersion: plinth.dev/v1\nkind: Environment\nmetadata: {name: live}\nspec: {}\n");
        Files.writeString(root.resolve("environments/live/apps/bad.yaml"), "kind: [unclosed\n");
        for (int i = 0; i < 2; i++) {
            SpecCache cache = SpecCache.load(dir);
            PlinthException e = assertThrows(PlinthException.class, () -> SpecLoader.load(root, cache));
            assertTrue(e.diagnostics().sorted().get(0).format().startsWith("environments/live/apps/bad.yaml:"),
                    e.diagnostics().sorted().get(0).format());
            cache.save(); // keeps environment.yaml, which parsed cleanly, and not bad.yaml
        }
        assertTrue(Files.isRegularFile(CachePropertiesTest.shard(dir)));
        assertNull(SpecCache.load(dir).lookup("environments/live/apps/bad.yaml", "kind: [unclosed\n"));
    }

    @Test
    void anyChangedByteOrOversizedCountIsAMissNeverACrash() throws IOException {
        SpecCache cache = SpecCache.load(dir);
        cache.store("environments/live/apps/shop.yaml", APP, parse(APP));
        cache.save();
        Path file = CachePropertiesTest.shard(dir);
        byte[] good = Files.readAllBytes(file);
        for (int i = 0; i < good.length; i += Math.max(1, good.length / 200)) {
            byte[] bad = good.clone();
            bad[i] ^= 0x10;
            Files.write(file, bad);
            assertNull(SpecCache.load(dir).lookup("environments/live/apps/shop.yaml", APP), "byte " + i + " changed");
        }
        // documents claiming two thousand million nodes, under a checksum that fits: a miss, not an OutOfMemoryError
        String text = new String(good, java.nio.charset.StandardCharsets.UTF_8);
        String version = text.substring(0, text.indexOf('\n'));
        java.util.Base64.Encoder base64 = java.util.Base64.getEncoder();
        String line = "environments/live/apps/shop.yaml\t" + base64.encodeToString(APP.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                + "\t" + base64.encodeToString(java.nio.ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE - 1).array());
        dev.plinth.values.CheckedFile.write(file, version + "\n" + line.length() + " " + line + "\nend 1\n");
        assertNull(SpecCache.load(dir).lookup("environments/live/apps/shop.yaml", APP), "oversized count");
    }

    @Test
    void aCacheFileReplacedByAFolderOrAFifoIsAMissAndIsWrittenAgain() throws Exception {
        SpecCache first = SpecCache.load(dir);
        first.store("environments/live/apps/shop.yaml", APP, parse(APP));
        first.save();
        Path file = CachePropertiesTest.shard(dir);
        Files.delete(file);
        Files.createDirectories(file.resolve("inside"));
        Files.createDirectories(file.resolveSibling(file.getFileName() + ".tmp"));
        SpecCache cache = SpecCache.load(dir);
        cache.store("environments/live/apps/shop.yaml", APP, parse(APP));
        cache.save();
        assertEquals(parse(APP), SpecCache.load(dir).lookup("environments/live/apps/shop.yaml", APP));
        Files.delete(file);
        if (new ProcessBuilder("mkfifo", file.toString()).start().waitFor() == 0) {
            SpecCache again = SpecCache.load(dir); // never opened, so never waited on
            assertNull(again.lookup("environments/live/apps/shop.yaml", APP));
            again.store("environments/live/apps/shop.yaml", APP, parse(APP));
            again.save();
            assertTrue(Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS));
        }
    }

    @Test
    void theCacheFolderReplacedByAFileIsMadeAgain() throws IOException {
        Path cacheDir = dir.resolve("out.plinth-cache");
        Files.writeString(cacheDir, "not a folder");
        SpecCache cache = SpecCache.load(cacheDir);
        cache.store("environments/live/apps/shop.yaml", APP, parse(APP));
        cache.save();
        assertEquals(parse(APP), SpecCache.load(cacheDir).lookup("environments/live/apps/shop.yaml", APP));
    }
}
