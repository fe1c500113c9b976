package dev.plinth.hardening;

import dev.plinth.TestSupport;
import dev.plinth.TestSupport.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A damaged render cache is a miss: whatever is in the cache folder (a file changed, cut short,
 * or replaced by a folder), a render exits 0 and writes what a full render writes.
 */
class CacheDamageTest {
    @TempDir
    Path tmp;

    private Path platform() {
        Path root = tmp.resolve("platform");
        TestSupport.writeLiveEnvironment(root, "1.30", "team");
        TestSupport.write(root.resolve("environments/live/apps/shop.yaml"), TestSupport.k8sObjectsApp("shop", "team",
                "- {apiVersion: v1, kind: ConfigMap, metadata: {name: flags}, data: {beta: \"on\"}}"));
        return root;
    }

    private static List<Path> cacheFiles(Path cacheDir) throws IOException {
        try (Stream<Path> s = Files.walk(cacheDir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Test
    void everyCacheFileReplacedByAFolderOrDamagedIsAMiss() throws IOException {
        Path root = platform();
        Path out = tmp.resolve("out");
        Path full = tmp.resolve("full");
        assertEquals(0, TestSupport.render(root, full, true).exit());
        Map<String, String> expected = TestSupport.readTree(full);
        assertEquals(0, TestSupport.render(root, out, false).exit());
        Path cacheDir = tmp.resolve("out.plinth-cache");
        List<Path> files = cacheFiles(cacheDir);
        for (Path f : files) {
            for (String damage : List.of("folder", "flip", "garbage")) {
                // edit a spec so that the render does not stop at the no-op check
                TestSupport.write(root.resolve("environments/live/apps/shop.yaml"), TestSupport.k8sObjectsApp("shop", "team",
                        "- {apiVersion: v1, kind: ConfigMap, metadata: {name: flags}, data: {beta: \"" + damage + f.getFileName() + "\"}}"));
                assertEquals(0, TestSupport.render(root, out, false).exit());
                if (!Files.isRegularFile(f)) continue;
                switch (damage) {
                    case "folder" -> {
                        Files.delete(f);
                        Files.createDirectories(f.resolve("inside"));
                    }
                    case "flip" -> {
                        byte[] b = Files.readAllBytes(f);
                        if (b.length > 0) b[b.length / 2] ^= 0x20;
                        Files.write(f, b);
                    }
                    default -> Files.write(f, new byte[]{0x7f, 0, 0, 0, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff});
                }
                TestSupport.write(root.resolve("environments/live/apps/shop.yaml"), TestSupport.k8sObjectsApp("shop", "team",
                        "- {apiVersion: v1, kind: ConfigMap, metadata: {name: flags}, data: {beta: \"on\"}}"));
                Run r = TestSupport.render(root, out, false);
                assertEquals(0, r.exit(), damage + " " + f + ": " + r.err());
                assertEquals(expected, TestSupport.readTree(out), damage + " " + f);
                Run again = TestSupport.render(root, out, false);
                assertEquals(0, again.exit(), damage + " " + f + ": " + again.err());
                assertEquals(expected, TestSupport.readTree(out), damage + " " + f + ", next render");
            }
        }
    }
}
