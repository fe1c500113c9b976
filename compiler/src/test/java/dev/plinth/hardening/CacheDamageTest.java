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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void aKeptBodyThatDoesNotReadUnderAGoodChecksumIsRenderedAgainWhenAskedFor() throws IOException {
        Path root = platform();
        // a workload: the namespace's checks read its body (they skip a ConfigMap's by its kind)
        TestSupport.write(root.resolve("environments/live/apps/shop.yaml"), TestSupport.k8sObjectsApp("shop", "team", """
                - apiVersion: apps/v1
                  kind: Deployment
                  metadata: {name: flags}
                  spec:
                    selector: {matchLabels: {app: flags}}
                    template:
                      metadata: {labels: {app: flags}}
                      spec:
                        securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
                        containers:
                        - name: web
                          image: registry.example.com/web:1.0
                          securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
                          resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {memory: 64Mi}}
                """));
        TestSupport.write(root.resolve("environments/live/apps/other.yaml"), TestSupport.k8sObjectsApp("other", "team",
                "- {apiVersion: v1, kind: ConfigMap, metadata: {name: other}, data: {a: \"1\"}}"));
        Path out = tmp.resolve("out");
        assertEquals(0, TestSupport.render(root, out, false).exit());
        // a body that is not the object its entry names, in a file whose checksum is right
        Path shard = null;
        for (Path f : cacheFiles(tmp.resolve("out.plinth-cache").resolve("units"))) {
            String text = dev.plinth.values.CheckedFile.read(f);
            // in the kept objects (after the \u0003 that starts them), not in the program before them
            int objects = text == null ? -1 : text.indexOf('\u0003');
            if (objects >= 0 && text.indexOf("\"name\":\"flags\"", objects) >= 0) {
                dev.plinth.values.CheckedFile.write(f, text.substring(0, objects)
                        + text.substring(objects).replace("\"name\":\"flags\"", "\"name\":\"flagz\""));
                shard = f;
            }
        }
        assertTrue(shard != null, "the unit's entry was found");
        // the other app changes: the namespace's checks read every object of it, the kept one too
        TestSupport.write(root.resolve("environments/live/apps/other.yaml"), TestSupport.k8sObjectsApp("other", "team",
                "- {apiVersion: v1, kind: ConfigMap, metadata: {name: other}, data: {a: \"2\"}}"));
        Run r = TestSupport.render(root, out, false);
        assertEquals(0, r.exit(), r.err());
        Path full = tmp.resolve("full");
        assertEquals(0, TestSupport.render(root, full, true).exit());
        assertEquals(TestSupport.readTree(full), TestSupport.readTree(out));
        String after = dev.plinth.values.CheckedFile.read(shard); // null when the shard held only that entry
        assertFalse(after != null && after.contains("flagz"), "the entry is gone from the cache");
    }
}
