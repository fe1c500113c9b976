package dev.plinth.output;

import dev.plinth.TestSupport;
import dev.plinth.diag.PlinthException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static dev.plinth.TestSupport.files;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutputWriterTest {
    @TempDir
    Path tmp;


    @Test
    void writesFilesAndALedgerOfThem() {
        Path out = tmp.resolve("out");
        OutputWriter.Summary s = OutputWriter.write(out, files("a/x.yaml", "x\n", "b.yaml", "b\n"), p -> true);
        assertEquals(new OutputWriter.Summary(2, 2, 0, 0), s);
        assertEquals(Map.of("a/x.yaml", "x\n", "b.yaml", "b\n", ".plinth-ledger",
                "# Files owned by Plinth: a render rewrites or removes exactly these.\na/x.yaml\nb.yaml\n"),
                TestSupport.readTree(out));
    }

    @Test
    void prunesOwnedFilesNoLongerProducedAndKeepsOthers() {
        Path out = tmp.resolve("out");
        OutputWriter.write(out, files("a/x.yaml", "x\n", "a/gone.yaml", "g\n"), p -> true);
        TestSupport.write(out.resolve("README.md"), "mine\n");
        TestSupport.write(out.resolve("a/notes.txt"), "also mine\n");
        OutputWriter.Summary s = OutputWriter.write(out, files("a/x.yaml", "x2\n"), p -> true);
        assertEquals(1, s.removed());
        Map<String, String> tree = TestSupport.readTree(out);
        assertEquals("x2\n", tree.get("a/x.yaml"));
        assertFalse(tree.containsKey("a/gone.yaml"));
        assertEquals("mine\n", tree.get("README.md"));
        assertEquals("also mine\n", tree.get("a/notes.txt"));
        assertFalse(tree.get(".plinth-ledger").contains("README.md"));
    }

    @Test
    void keepsOwnedFilesOutsideTheRenderScope() {
        Path out = tmp.resolve("out");
        OutputWriter.write(out, files("clusters/dev/a.yaml", "a\n", "clusters/prod/b.yaml", "b\n"), p -> true);
        OutputWriter.write(out, files("clusters/prod/b.yaml", "b2\n"), p -> p.startsWith("clusters/prod/"));
        Map<String, String> tree = TestSupport.readTree(out);
        assertEquals("a\n", tree.get("clusters/dev/a.yaml"));
        assertEquals("b2\n", tree.get("clusters/prod/b.yaml"));
        assertTrue(tree.get(".plinth-ledger").contains("clusters/dev/a.yaml"));
    }

    @Test
    void neverOverwritesAFileItDoesNotOwn() {
        Path out = tmp.resolve("out");
        TestSupport.write(out.resolve("a.yaml"), "hand-written\n");
        PlinthException e = assertThrows(PlinthException.class,
                () -> OutputWriter.write(out, files("a.yaml", "generated\n"), p -> true));
        assertTrue(e.diagnostics().sorted().get(0).format().startsWith("out/a.yaml:1:1: error: the output already has this file"),
                e.diagnostics().sorted().get(0).format());
        assertEquals(Map.of("a.yaml", "hand-written\n"), TestSupport.readTree(out));
    }

    @Test
    void aRunKilledWhileApplyingIsRolledBackByTheNextRun() throws Exception {
        Path out = tmp.resolve("out");
        OutputWriter.write(out, files("a.yaml", "a1\n", "b.yaml", "b1\n", "c.yaml", "c1\n"), p -> true);
        Map<String, String> before = TestSupport.readTree(out);
        OutputWriter.crashAfterChanges = 2;
        try {
            assertThrows(IllegalStateException.class,
                    () -> OutputWriter.write(out, files("a.yaml", "a2\n", "b.yaml", "b2\n", "d.yaml", "d2\n"), p -> true));
        } finally {
            OutputWriter.crashAfterChanges = -1;
        }
        assertTrue(Files.exists(tmp.resolve("out.plinth-journal")), "the interrupted run leaves its journal");
        OutputWriter.recoverInterrupted(out);
        assertEquals(before, TestSupport.readTree(out));
        assertFalse(Files.exists(tmp.resolve("out.plinth-journal")));
        assertFalse(Files.exists(tmp.resolve("out.plinth-backup")));
    }

    @Test
    void rewritesFilesInPlaceButNeverThroughALink() throws Exception {
        Path out = tmp.resolve("out");
        OutputWriter.write(out, files("a.yaml", "a1\n", "b.yaml", "b1\n"), p -> true);
        Object inode = Files.readAttributes(out.resolve("a.yaml"), java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        // someone replaced an owned file with a link to a file outside the output
        Path elsewhere = tmp.resolve("elsewhere.yaml");
        TestSupport.write(elsewhere, "keep me\n");
        Files.delete(out.resolve("b.yaml"));
        Files.createSymbolicLink(out.resolve("b.yaml"), elsewhere);

        OutputWriter.write(out, files("a.yaml", "a2\n", "b.yaml", "b2\n"), p -> true);
        assertEquals(inode, Files.readAttributes(out.resolve("a.yaml"), java.nio.file.attribute.BasicFileAttributes.class).fileKey(),
                "a changed file keeps its inode");
        assertEquals("a2\n", Files.readString(out.resolve("a.yaml")));
        assertFalse(Files.isSymbolicLink(out.resolve("b.yaml")), "the link is replaced by the file");
        assertEquals("b2\n", Files.readString(out.resolve("b.yaml")));
        assertEquals("keep me\n", Files.readString(elsewhere), "what the link pointed at is left alone");
        assertFalse(Files.exists(tmp.resolve("out.plinth-backup")));
    }

    @Test
    void aHardLinkedOrReadOnlyFileIsReplacedNotRewritten() throws Exception {
        Path out = tmp.resolve("out");
        OutputWriter.write(out, files("a.yaml", "a1\n", "b.yaml", "b1\n"), p -> true);
        Path snapshot = tmp.resolve("snapshot-a.yaml");
        Files.createLink(snapshot, out.resolve("a.yaml")); // as cp -al makes snapshots
        out.resolve("b.yaml").toFile().setWritable(false);

        OutputWriter.write(out, files("a.yaml", "a2\n", "b.yaml", "b2\n"), p -> true);
        assertEquals(Map.of("a.yaml", "a2\n", "b.yaml", "b2\n"), TestSupport.readTree(out).entrySet().stream()
                .filter(e -> !e.getKey().startsWith(".")).collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        assertEquals("a1\n", Files.readString(snapshot), "the snapshot keeps its content");
    }

    @Test
    void writesOnlyTheFilesWhoseBytesChange() throws Exception {
        Path out = tmp.resolve("out");
        OutputWriter.write(out, files("a.yaml", "a\n", "b.yaml", "b\n"), p -> true);
        java.nio.file.attribute.FileTime old = java.nio.file.attribute.FileTime.fromMillis(1_000_000L);
        Files.setLastModifiedTime(out.resolve("a.yaml"), old);
        OutputWriter.Summary s = OutputWriter.write(out, files("a.yaml", "a\n", "b.yaml", "b2\n"), p -> true);
        assertEquals(new OutputWriter.Summary(2, 1, 1, 0), s);
        assertEquals(old, Files.getLastModifiedTime(out.resolve("a.yaml")), "an unchanged file is not rewritten");
    }

    @Test
    void aRunKilledBeforeItsJournalLeavesThePreviousOutputInPlace() {
        Path out = tmp.resolve("out");
        OutputWriter.write(out, files("a.yaml", "old\n"), p -> true);
        // a run killed while backing up the files it replaces, before its journal, leaves only the backup
        TestSupport.write(tmp.resolve("out.plinth-backup/replaced.bin"), "partial");
        assertEquals("old\n", TestSupport.readTree(out).get("a.yaml"));
        OutputWriter.write(out, files("a.yaml", "new\n"), p -> true);
        assertEquals("new\n", TestSupport.readTree(out).get("a.yaml"));
        assertFalse(Files.exists(tmp.resolve("out.plinth-backup")));
    }

    @Test
    void keepsEmptyDirectoriesItDoesNotOwn() throws Exception {
        Path out = tmp.resolve("out");
        OutputWriter.write(out, files("a.yaml", "a\n"), p -> true);
        Files.createDirectories(out.resolve(".git/refs/heads"));
        OutputWriter.write(out, files("a.yaml", "b\n"), p -> true);
        assertTrue(Files.isDirectory(out.resolve(".git/refs/heads")));
    }

    @Test
    void writesThroughASymlinkedOutputDirectory() throws Exception {
        Path real = Files.createDirectories(tmp.resolve("real"));
        Path link = Files.createSymbolicLink(tmp.resolve("out"), real);
        OutputWriter.write(link, files("a.yaml", "a\n"), p -> true);
        OutputWriter.write(link, files("a.yaml", "b\n"), p -> true);
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("b\n", Files.readString(real.resolve("a.yaml")));
    }

    @Test
    void refusesToWriteWhileAnotherRenderHoldsTheLock() throws Exception {
        Path out = tmp.resolve("out");
        try (var channel = java.nio.channels.FileChannel.open(tmp.resolve("out.plinth-lock"),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
             var lock = channel.lock()) {
            PlinthException e = assertThrows(PlinthException.class, () -> OutputWriter.write(out, files("a.yaml", "a\n"), p -> true));
            assertTrue(e.diagnostics().sorted().get(0).message().contains("writing this output"));
        }
        assertFalse(Files.exists(out));
    }

    @Test
    void refusesLedgerEntriesThatPointOutOfTheTree() throws Exception {
        Path out = tmp.resolve("out");
        OutputWriter.write(out, files("a.yaml", "a\n"), p -> true);
        TestSupport.write(tmp.resolve("victim.txt"), "keep me\n");
        Files.writeString(out.resolve(".plinth-ledger"), "a.yaml\n../victim.txt\n/etc/passwd\n");
        PlinthException e = assertThrows(PlinthException.class, () -> OutputWriter.write(out, files("a.yaml", "b\n"), p -> true));
        String messages = e.diagnostics().sorted().stream().map(d -> d.format()).reduce("", (x, y) -> x + y + "\n");
        assertTrue(messages.contains("out/.plinth-ledger:2:1: error: the ledger names ../victim.txt, a path out of the output"), messages);
        assertTrue(messages.contains("out/.plinth-ledger:3:1: error: the ledger names /etc/passwd, an absolute path"), messages);
        assertEquals("keep me\n", Files.readString(tmp.resolve("victim.txt")));
        assertEquals("a\n", Files.readString(out.resolve("a.yaml")), "nothing was written");
    }
}
