package dev.plinth.output;

import dev.plinth.TestSupport;
import dev.plinth.TestSupport.Run;
import dev.plinth.diag.PlinthException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static dev.plinth.TestSupport.files;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The output as untrusted input (issue 14): links and ledger entries that lead out of it are
 * refused, a failed write restores the old output, files of other processes are left alone,
 * verify never calls a mixed or linked tree clean, and two renders at once never mix.
 */
class OutputContainmentTest {
    @TempDir
    Path tmp;


    private static String messages(PlinthException e) {
        StringBuilder sb = new StringBuilder();
        e.diagnostics().sorted().forEach(d -> sb.append(d.format()).append('\n'));
        return sb.toString();
    }

    @Test
    void aLedgerEntryThroughALinkIsRefusedAndNothingIsDeletedThroughIt() throws Exception {
        Path out = tmp.resolve("out");
        OutputWriter.write(out, files("a.yaml", "a\n"), p -> true);
        TestSupport.write(tmp.resolve("victim/data.txt"), "keep me\n");
        Files.createSymbolicLink(out.resolve("evil"), Path.of("../victim"));
        Files.writeString(out.resolve(".plinth-ledger"), Files.readString(out.resolve(".plinth-ledger")) + "evil/data.txt\n");
        PlinthException e = assertThrows(PlinthException.class, () -> OutputWriter.write(out, files("a.yaml", "a\n"), p -> true));
        assertTrue(messages(e).contains("out/evil:1:1: error: a symbolic link inside the output (to ../victim)"), messages(e));
        assertEquals("keep me\n", Files.readString(tmp.resolve("victim/data.txt")));
    }

    @Test
    void aLinkedDirectoryInTheOutputIsRefusedAndNothingIsWrittenThroughIt() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.createDirectories(tmp.resolve("elsewhere"));
        Files.createSymbolicLink(out.resolve("clusters"), Path.of("../elsewhere"));
        PlinthException e = assertThrows(PlinthException.class,
                () -> OutputWriter.write(out, files("clusters/dev/a.yaml", "a\n", "gitops/b.yaml", "b\n"), p -> true));
        assertTrue(messages(e).contains("out/clusters:1:1: error: a symbolic link inside the output (to ../elsewhere)"), messages(e));
        assertEquals(Map.of(), TestSupport.readTree(tmp.resolve("elsewhere")));
        assertFalse(Files.exists(out.resolve("gitops")), "nothing at all is written");
    }

    @Test
    void aLinkedLedgerIsRefused() throws Exception {
        Path out = tmp.resolve("out");
        OutputWriter.write(out, files("a.yaml", "a\n"), p -> true);
        TestSupport.write(tmp.resolve("other-ledger"), "a.yaml\n");
        Files.delete(out.resolve(".plinth-ledger"));
        Files.createSymbolicLink(out.resolve(".plinth-ledger"), tmp.resolve("other-ledger"));
        PlinthException e = assertThrows(PlinthException.class, () -> OutputWriter.write(out, files("a.yaml", "b\n"), p -> true));
        assertTrue(messages(e).contains("the ledger names .plinth-ledger, a symbolic link"), messages(e));
        assertEquals("a.yaml\n", Files.readString(tmp.resolve("other-ledger")));
    }

    @Test
    void aWriteThatFailsPartWayRestoresTheOldOutput() throws Exception {
        Path out = tmp.resolve("out");
        OutputWriter.write(out, files("a.yaml", "a1\n", "b.yaml", "b1\n", "gone.yaml", "g\n"), p -> true);
        Map<String, String> before = TestSupport.readTree(out);
        String tooLong = "configmap-" + "x".repeat(253) + ".yaml"; // a 253-character object name: over the file-name limit
        PlinthException e = assertThrows(PlinthException.class,
                () -> OutputWriter.write(out, files("a.yaml", "a2\n", "b.yaml", "b2\n", "c.yaml", "c\n", tooLong, "t\n"), p -> true));
        assertTrue(messages(e).contains("cannot write this file"), messages(e));
        assertTrue(messages(e).contains("rolled back"), messages(e));
        assertEquals(before, TestSupport.readTree(out), "the old output, ledger included");
        assertFalse(Files.exists(tmp.resolve("out.plinth-journal")), "no journal is left");
        assertFalse(Files.exists(tmp.resolve("out.plinth-backup")));
    }

    @Test
    void recoveryLeavesAFileAnotherProcessCreatedDuringTheWrite() throws Exception {
        Path out = tmp.resolve("out");
        OutputWriter.write(out, files("a.yaml", "a1\n"), p -> true);
        Map<String, String> before = TestSupport.readTree(out);
        OutputWriter.crashAfterChanges = 2; // created b.yaml and c.yaml are journalled; the ledger written, then "killed"
        try {
            assertThrows(IllegalStateException.class,
                    () -> OutputWriter.write(out, files("a.yaml", "a1\n", "b.yaml", "b\n", "c.yaml", "c\n", "d.yaml", "d\n"), p -> true));
        } finally {
            OutputWriter.crashAfterChanges = -1;
        }
        assertTrue(Files.exists(tmp.resolve("out.plinth-journal")));
        // meanwhile another process writes d.yaml, which the killed render meant to create
        TestSupport.write(out.resolve("d.yaml"), "someone else's\n");
        OutputWriter.recoverInterrupted(out);
        Map<String, String> after = TestSupport.readTree(out);
        assertEquals("someone else's\n", after.remove("d.yaml"), "recovery deletes only what the render wrote");
        assertEquals(before, after);
        assertFalse(Files.exists(tmp.resolve("out.plinth-journal")));
    }

    @Test
    void aJournalThatLeavesTheOutputIsRefused() throws Exception {
        Path out = tmp.resolve("out");
        OutputWriter.write(out, files("a.yaml", "a\n"), p -> true);
        TestSupport.write(tmp.resolve("victim.txt"), "keep me\n");
        Files.writeString(tmp.resolve("out.plinth-journal"), "# plinth journal\nN ../victim.txt\n");
        PlinthException e = assertThrows(PlinthException.class, () -> OutputWriter.recoverInterrupted(out));
        assertTrue(messages(e).contains("the journal names ../victim.txt, a path out of the output"), messages(e));
        assertEquals("keep me\n", Files.readString(tmp.resolve("victim.txt")));
    }

    private Path platform() {
        return TestSupport.webservicePlatform(tmp.resolve("platform"));
    }

    @Test
    void verifyFailsWhileAJournalIsPresent() {
        Path root = platform();
        Path out = tmp.resolve("rendered");
        assertEquals(0, TestSupport.render(root, out, false).exit());
        TestSupport.write(tmp.resolve("rendered.plinth-journal"), "# plinth journal: a render was applying these changes\n");
        Run r = TestSupport.plinth("verify", "-r", root.toString(), "-o", out.toString());
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("a render was interrupted while writing this output"), r.err());
        Run render = TestSupport.render(root, out, false);
        assertEquals(0, render.exit(), render.err());
        assertFalse(Files.exists(tmp.resolve("rendered.plinth-journal")), "render rolls the journal back");
        assertEquals(0, TestSupport.plinth("verify", "-r", root.toString(), "-o", out.toString()).exit());
    }

    @Test
    void verifyReportsLinkedTreesAsNotClean() throws Exception {
        Path root = platform();
        Path out = tmp.resolve("rendered");
        assertEquals(0, TestSupport.render(root, out, false).exit());
        // the same files, but behind a link: a later render would write through it
        Files.move(out.resolve("clusters"), tmp.resolve("elsewhere"));
        Files.createSymbolicLink(out.resolve("clusters"), Path.of("../elsewhere"));
        Run r = TestSupport.plinth("verify", "-r", root.toString(), "-o", out.toString());
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("stale: clusters (a symbolic link (to ../elsewhere)"), r.out());
        Run render = TestSupport.render(root, out, true);
        assertEquals(1, render.exit(), render.out() + render.err());
        assertTrue(render.err().contains("rendered/clusters:1:1: error: a symbolic link inside the output"), render.err());
    }

    @Test
    void verifyReportsALedgerEntryThroughALink() throws Exception {
        Path root = platform();
        Path out = tmp.resolve("rendered");
        assertEquals(0, TestSupport.render(root, out, false).exit());
        TestSupport.write(tmp.resolve("victim/data.txt"), "keep me\n");
        Files.createSymbolicLink(out.resolve("evil"), Path.of("../victim"));
        Files.writeString(out.resolve(".plinth-ledger"), Files.readString(out.resolve(".plinth-ledger")) + "evil/data.txt\n../up.txt\n");
        Run r = TestSupport.plinth("verify", "-r", root.toString(), "-o", out.toString());
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("stale: evil (a symbolic link (to ../victim)"), r.out());
        assertTrue(r.out().contains("stale: ../up.txt (refused ledger entry: a path out of the output)"), r.out());
        assertEquals(1, TestSupport.render(root, out, false).exit());
        assertEquals("keep me\n", Files.readString(tmp.resolve("victim/data.txt")));
    }

    @Test
    void aPlatformYamlOutputMayNotLeaveTheRoot() throws Exception {
        Path root = platform();
        Files.createDirectories(tmp.resolve("elsewhere"));
        Files.createSymbolicLink(root.resolve("rendered"), Path.of("../elsewhere"));
        Run r = TestSupport.plinth("render", "-r", root.toString());
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("spec.output rendered leaves the platform root through a symbolic link"), r.err());
        assertEquals(Map.of(), TestSupport.readTree(tmp.resolve("elsewhere")));
    }

    /** Two renders at once into one output: each succeeds or fails cleanly, and the output is never mixed. */
    @Test
    void twoRendersAtOnceNeverMix() throws Exception {
        Path root = platform();
        Path expected = tmp.resolve("expected");
        Path app = root.resolve("environments/live/apps/shop.yaml");
        String v1 = Files.readString(app);
        String v2 = v1.replace("max: 12", "max: 14");
        Path out = tmp.resolve("out");
        for (int round = 0; round < 4; round++) {
            Files.writeString(app, round % 2 == 0 ? v2 : v1);
            List<CompletableFuture<Run>> runs = new ArrayList<>();
            for (int i = 0; i < 2; i++) runs.add(CompletableFuture.supplyAsync(() -> TestSupport.render(root, out, false)));
            int ok = 0;
            for (CompletableFuture<Run> f : runs) {
                Run r = f.join();
                if (r.exit() == 0) ok++;
                else assertTrue(r.exit() == 1 && r.err().contains("writing this output right now"), r.exit() + r.out() + r.err());
            }
            assertTrue(ok >= 1, "one of them renders");
            assertFalse(Files.exists(tmp.resolve("out.plinth-journal")), "no stuck state");
            TestSupport.deleteTree(expected);
            assertEquals(0, TestSupport.render(root, expected, true).exit());
            assertEquals(TestSupport.readTree(expected), TestSupport.readTree(out), "round " + round);
        }
    }

    /** The same with two CLI processes: the lock is the operating system's, across processes. */
    @Test
    void twoRenderProcessesAtOnceNeverMix() throws Exception {
        Path root = platform();
        Path out = tmp.resolve("out");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            processes.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.plinth.cli.PlinthCli",
                    "render", "-r", root.toString(), "-o", out.toString()).redirectErrorStream(true).start());
        }
        int ok = 0;
        for (Process p : processes) {
            String text = new String(p.getInputStream().readAllBytes());
            int exit = p.waitFor();
            if (exit == 0) ok++;
            else assertTrue(exit == 1 && text.contains("writing this output right now"), exit + ": " + text);
        }
        assertTrue(ok >= 1, "one of them renders");
        Path expected = tmp.resolve("expected");
        assertEquals(0, TestSupport.render(root, expected, true).exit());
        assertEquals(TestSupport.readTree(expected), TestSupport.readTree(out));
        assertFalse(Files.exists(tmp.resolve("out.plinth-journal")));
    }
}
