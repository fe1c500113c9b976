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

/** Input folders platform.yaml names stay inside the platform root; imports stay inside them. */
class ContainmentTest {
    @TempDir
    Path tmp;

    private Path platform(String library) {
        Path root = tmp.resolve("platform");
        TestSupport.writeLiveEnvironment(root, "1.30", "team");
        TestSupport.write(root.resolve("platform.yaml"), """
                apiVersion: plinth.dev/v1alpha1
                kind: Platform
                metadata: {name: p}
                spec:
                  library:
                    - defs
                    - %s
                """.formatted(library));
        TestSupport.write(root.resolve("environments/live/apps/shop.yaml"), TestSupport.k8sObjectsApp("shop", "team",
                "- {apiVersion: v1, kind: ConfigMap, metadata: {name: flags}}"));
        return root;
    }

    private void assertRefused(Path root, String what) {
        Run r = TestSupport.render(root, tmp.resolve("out"), false);
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("platform.yaml:7:7: error: spec.library:") && r.err().contains(what), r.err());
    }

    @Test
    void libraryRootsMustBeRelativeAndInsideTheRoot() throws IOException {
        assertRefused(platform("/etc"), "must be relative to the platform root");
        assertRefused(platform("../elsewhere"), "leaves the platform root");
        Path root = platform("linked");
        Files.createSymbolicLink(root.resolve("linked"), Path.of("/"));
        assertRefused(root, "links out of the platform root");
        Files.delete(root.resolve("linked"));
        Files.createDirectories(root.resolve("real"));
        Files.createSymbolicLink(root.resolve("linked"), root.resolve("real"));
        Run ok = TestSupport.render(root, tmp.resolve("out"), false);
        assertEquals(0, ok.exit(), "a link inside the root is fine: " + ok.err());
    }

    @Test
    void importstrCannotLeaveTheLibraryRoots() throws IOException {
        Path root = platform("defs2");
        Files.writeString(tmp.resolve("secret.txt"), "s3cret");
        TestSupport.write(root.resolve("defs/components/leak.libsonnet"), """
                {
                  description: 'leaks',
                  parameters: {},
                  render(ctx, props):: [{apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'x'}, data: {s: importstr '../../../secret.txt'}}],
                }
                """);
        TestSupport.write(root.resolve("environments/live/apps/leak.yaml"), """
                apiVersion: plinth.dev/v1alpha1
                kind: Application
                metadata: {name: leak, tenant: team}
                spec:
                  components:
                    - name: l
                      type: leak
                """);
        Run r = TestSupport.render(root, tmp.resolve("out"), false);
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("imports resolve only inside the library roots"), r.err());
        Files.createSymbolicLink(root.resolve("defs/components/secret.txt"), tmp.resolve("secret.txt"));
        TestSupport.write(root.resolve("defs/components/leak.libsonnet"), """
                {
                  description: 'leaks',
                  parameters: {},
                  render(ctx, props):: [{apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'x'}, data: {s: importstr 'secret.txt'}}],
                }
                """);
        Run linked = TestSupport.render(root, tmp.resolve("out"), false);
        assertEquals(1, linked.exit(), linked.out() + linked.err());
        assertTrue(linked.err().contains("links outside the library roots"), linked.err());
    }
}
