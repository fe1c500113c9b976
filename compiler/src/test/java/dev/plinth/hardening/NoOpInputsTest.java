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
 * The no-op check watches every file a render read, wherever it is in the platform root, and
 * the owned output down to the kind of each directory on the way to its files.
 */
class NoOpInputsTest {
    @TempDir
    Path tmp;

    @Test
    void aManifestFileOutsideEnvironmentsIsWatched() throws IOException {
        Path root = tmp.resolve("platform");
        TestSupport.writeLiveEnvironment(root, "1.30", "team");
        TestSupport.write(root.resolve("environments/live/apps/shop.yaml"),
                TestSupport.k8sObjectsFileApp("shop", "team", "../../../shared/extras.yaml"));
        Path shared = root.resolve("shared/extras.yaml");
        TestSupport.write(shared, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: flags}\ndata: {beta: \"off\"}\n");
        Path out = tmp.resolve("out");
        assertEquals(0, TestSupport.render(root, out, false).exit());
        Run noop = TestSupport.render(root, out, false);
        assertEquals(0, noop.exit(), noop.err());
        // an edit of the same size, in the same second: the size and time differ at least in the time
        Files.writeString(shared, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: flags}\ndata: {beta: \"on!\"}\n");
        Files.setLastModifiedTime(shared, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        Run changed = TestSupport.render(root, out, false);
        assertEquals(0, changed.exit(), changed.err());
        Path full = tmp.resolve("full");
        assertEquals(0, TestSupport.render(root, full, true).exit());
        assertEquals(TestSupport.readTree(full), TestSupport.readTree(out), "the render saw the edit");
        assertTrue(TestSupport.readTree(out).values().stream().anyMatch(t -> t.contains("on!")));
    }

    @Test
    void aDirectoryOfTheOutputSwappedForALinkToACopyIsNotUpToDate() throws IOException {
        Path root = tmp.resolve("platform");
        TestSupport.writeLiveEnvironment(root, "1.30", "team");
        TestSupport.write(root.resolve("environments/live/apps/shop.yaml"),
                TestSupport.k8sObjectsApp("shop", "team", "- {apiVersion: v1, kind: ConfigMap, metadata: {name: flags}}\n"));
        Path out = tmp.resolve("out");
        assertEquals(0, TestSupport.render(root, out, false).exit());
        // the copy keeps sizes and times, so each file's own stat, through the link, is unchanged
        Path clusters = out.resolve("clusters");
        Path moved = Files.move(clusters, tmp.resolve("elsewhere"));
        Files.createSymbolicLink(clusters, moved);
        Run r = TestSupport.render(root, out, false);
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("a symbolic link inside the output"), r.err());
    }
}
