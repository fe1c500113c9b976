package dev.plinth.hardening;

import dev.plinth.TestSupport;
import dev.plinth.TestSupport.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile or unlucky inputs: k8s-objects files go through the specs' strict YAML loader, with
 * errors at the file's own lines; spec files that are links or special files are refused by
 * name; custom tags, NUL bytes and huge lines are errors at their place, fast.
 */
class HostileInputTest {
    @TempDir
    Path tmp;

    private Path platformWithFile(String manifests) {
        Path root = tmp.resolve("platform");
        TestSupport.writeLiveEnvironment(root, "1.30", "team");
        TestSupport.write(root.resolve("environments/live/apps/shop.yaml"), TestSupport.k8sObjectsFileApp("shop", "team", "files/extras.yaml"));
        TestSupport.write(root.resolve("environments/live/apps/files/extras.yaml"), manifests);
        return root;
    }

    private Run render(Path root) {
        return TestSupport.render(root, tmp.resolve("out"), false);
    }

    private void assertErrorAt(Run r, String where, String what) {
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains(where) && r.err().contains(what), "expected " + where + " ... " + what + " in:\n" + r.err());
    }

    @Test
    void k8sObjectsFilesAreReadStrictlyWithErrorsAtTheirOwnLines() {
        String good = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {x: \"1\"}\n";
        Run ok = render(platformWithFile("# a comment\n---\n" + good + "---\n\n---\n" + good.replace("name: a", "name: b")));
        assertEquals(0, ok.exit(), ok.err());
        assertTrue(Files.exists(tmp.resolve("out/clusters/live-1/apps/shop/configmap-b.yaml"))
                || TestSupport.readTree(tmp.resolve("out")).keySet().stream().anyMatch(k -> k.contains("b")), "both documents rendered");
        String file = "environments/live/apps/files/extras.yaml";
        assertErrorAt(render(platformWithFile(good + "kind: Secret\n")), file + ":5:1", "duplicate key 'kind'");
        assertErrorAt(render(platformWithFile(good + "---\njust a string\n")), file + ":6:1", "scalar");
        assertErrorAt(render(platformWithFile(good + "---\nkind: [unclosed\n")), file + ":7:", "invalid YAML");
        assertErrorAt(render(platformWithFile(good.replace("\"1\"", "!vault secret/db"))), file + ":4:", "tag '!vault'");
        StringBuilder deep = new StringBuilder("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: ");
        deep.append("[".repeat(300)).append("]".repeat(300)).append('\n');
        assertErrorAt(render(platformWithFile(deep.toString())), file + ":4:", "nesting is deeper");
        StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'j'; c++) bomb.append(c).append(": &").append(c).append(" [").append("*" + (char) (c - 1) + ", ".repeat(1)).append("*").append((char) (c - 1)).append(", *").append((char) (c - 1)).append(", *").append((char) (c - 1)).append(", *").append((char) (c - 1)).append(", *").append((char) (c - 1)).append(", *").append((char) (c - 1)).append(", *").append((char) (c - 1)).append(", *").append((char) (c - 1)).append("]\n");
        assertErrorAt(render(platformWithFile(bomb.toString())), file, "YAML");
    }

    @Test
    void aSecretInAManifestsFileIsReportedAtTheFilesLineFreshAndFromTheCache() {
        String token = "ghp_" + "R8sV2kq9ZtX4mW7pL1cN5bJ3hY6dF0gA2eQ4";
        Path root = platformWithFile("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  note: hello\n  token: " + token + "\n");
        String at = "environments/live/apps/files/extras.yaml:6:10";
        Run fresh = render(root);
        assertErrorAt(fresh, at, "no-plaintext-secrets");
        assertTrue(!fresh.err().contains(token), "the value stays out of the message:\n" + fresh.err());
        // the unit is cached now (its objects and findings); placing must not depend on a fresh evaluation
        TestSupport.write(root.resolve("environments/live/apps/other.yaml"),
                TestSupport.k8sObjectsApp("other", "team", "- {apiVersion: v1, kind: ConfigMap, metadata: {name: o}}\n"));
        assertErrorAt(render(root), at, "no-plaintext-secrets");
    }

    @Test
    void aFileOfFifteenThousandLinesRenders() {
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 1500; i++) {
            big.append("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c").append(i).append("\ndata:\n  a: \"1\"\n  b: \"2\"\n  c: \"3\"\n");
        }
        Run r = render(platformWithFile(big.toString()));
        assertEquals(0, r.exit(), r.err());
    }

    @Test
    void specFilesThatAreLinksOrSpecialFilesAreRefusedByName() throws Exception {
        Path root = platformWithFile("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n");
        Path outside = tmp.resolve("outside.yaml");
        Files.writeString(outside, TestSupport.k8sObjectsApp("other", "team", "- {apiVersion: v1, kind: ConfigMap, metadata: {name: o}}"));
        Files.createSymbolicLink(root.resolve("environments/live/apps/linked.yaml"), outside);
        assertErrorAt(render(root), "environments/live/apps/linked.yaml", "symbolic link");
        Files.delete(root.resolve("environments/live/apps/linked.yaml"));
        Path fifo = root.resolve("environments/live/apps/pipe.yaml");
        if (new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0) {
            assertErrorAt(render(root), "environments/live/apps/pipe.yaml", "special file");
            Files.delete(fifo);
        }
        Files.createSymbolicLink(root.resolve("environments/live/apps/zero.yaml"), Path.of("/dev/zero"));
        assertErrorAt(render(root), "environments/live/apps/zero.yaml", "symbolic link");
    }

    @Test
    void aCustomTagInASpecIsAnError() {
        Path root = platformWithFile("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n");
        TestSupport.write(root.resolve("environments/live/apps/tagged.yaml"),
                TestSupport.k8sObjectsApp("tagged", "team", "- {apiVersion: v1, kind: Secret, metadata: {name: s}, stringData: {p: !vault secret/db}}"));
        assertErrorAt(render(root), "environments/live/apps/tagged.yaml:10:81", "tag '!vault'");
    }

    @Test
    void aNulByteIsReportedAtItsLineAndAHugeLineIsRejectedFast() throws IOException {
        Path root = platformWithFile("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n");
        String app = TestSupport.k8sObjectsApp("nul", "team", "- {apiVersion: v1, kind: ConfigMap, metadata: {name: n}}");
        String[] lines = (app + "\n\n\n\n").split("\n", -1);
        assertTrue(lines.length >= 13);
        lines[12] = "# a comment with a NUL \u0000 here";
        TestSupport.write(root.resolve("environments/live/apps/nul.yaml"), String.join("\n", lines));
        assertErrorAt(render(root), "environments/live/apps/nul.yaml:13:", "U+0000");
        Files.delete(root.resolve("environments/live/apps/nul.yaml"));

        TestSupport.write(root.resolve("environments/live/apps/long.yaml"), "note: " + "x".repeat(9 * 1024 * 1024) + "\n");
        long start = System.nanoTime();
        assertErrorAt(render(root), "environments/live/apps/long.yaml", "more than");
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "a 9 MB line is rejected in seconds");
    }
}
