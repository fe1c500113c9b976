package dev.plinth.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plinth.TestSupport;
import dev.plinth.TestSupport.Run;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Golden diff reports (tests/diff): each case commits a platform with JGit, changes the working
 * tree and runs {@code plinth diff --base HEAD}. {@code -Dgolden.update=true} rewrites the reports.
 */
class DiffTest {
    private static final boolean UPDATE = Boolean.getBoolean("golden.update");
    private static final Path CASES = TestSupport.projectRoot().resolve("tests/diff");
    // a fixed author and time give the base commit, and so the report header, a stable id
    private static final PersonIdent AUTHOR = new PersonIdent("Plinth Test", "test@plinth.dev",
            Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicTest> reports() throws IOException {
        List<Path> cases = new ArrayList<>();
        try (Stream<Path> s = Files.list(CASES)) {
            s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().equals("base")).sorted().forEach(cases::add);
        }
        assertTrue(cases.size() >= 10, "diff cases missing under " + CASES);
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.getFileName().toString(), () -> runCase(c)));
    }

    private void runCase(Path dir) throws Exception {
        String name = dir.getFileName().toString();
        Path root = tmp.resolve(name).resolve("platform");
        TestSupport.copyTree(CASES.resolve("base"), root);
        if (Files.isDirectory(dir.resolve("base-change"))) TestSupport.copyTree(dir.resolve("base-change"), root);
        try (Git git = Git.init().setDirectory(root.getParent().toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            git.commit().setMessage("base").setAuthor(AUTHOR).setCommitter(AUTHOR).setSign(false).call();
        }
        TestSupport.copyTree(CASES.resolve("base"), root);
        if (Files.isDirectory(dir.resolve("change"))) TestSupport.copyTree(dir.resolve("change"), root);
        if (Files.exists(dir.resolve("delete"))) {
            for (String line : Files.readAllLines(dir.resolve("delete"))) {
                if (!line.isBlank()) Files.delete(root.resolve(line.trim()));
            }
        }

        Run md = TestSupport.plinth("diff", "-r", root.toString(), "--base", "HEAD", "--fail-on", "medium", "--jobs", "1");
        if (name.equals("failing-base")) {
            assertEquals(1, md.exit(), md.err());
            assertEquals("", md.out());
            golden(dir.resolve("report.err"), md.err());
            assertTrue(md.err().contains("base revision HEAD"), md.err());
            return;
        }
        assertTrue(md.exit() == 0 || md.exit() == 1, md.err());
        golden(dir.resolve("report.md"), md.out());

        Run json = TestSupport.plinth("diff", "-r", root.toString(), "--base", "HEAD", "--format", "json");
        assertEquals(0, json.exit(), json.err()); // no --fail-on: risks do not fail the command
        if (name.equals("mixed")) golden(dir.resolve("report.json"), json.out());
        JsonNode report = new ObjectMapper().readTree(json.out());
        List<String> ids = new ArrayList<>();
        report.get("risks").forEach(r -> ids.add(r.get("id").asText()));
        if (name.startsWith("risk-")) {
            String id = name.substring("risk-".length());
            assertTrue(ids.contains(id), name + " flags " + ids);
            assertEquals(1, md.exit(), "--fail-on medium fails on " + ids);
        } else if (name.equals("moved")) {
            assertEquals(List.of(), ids);
            assertEquals(0, md.exit());
            List<String> statuses = new ArrayList<>();
            report.get("objects").forEach(o -> statuses.add(o.get("status").asText()));
            assertEquals(List.of("moved"), statuses, "equal quantities are no change; the ConfigMap moved");
        }
    }

    @Test
    void noRepositoryAnUnknownRevisionAndAMissingBaseAreReportedNotCrashes() throws Exception {
        Path root = tmp.resolve("plain");
        TestSupport.copyTree(CASES.resolve("base"), root);
        Run outside = TestSupport.plinth("diff", "-r", root.toString(), "--base", "main");
        assertEquals(1, outside.exit(), outside.err());
        assertTrue(outside.err().contains("is not in a Git repository"), outside.err());
        try (Git git = Git.init().setDirectory(root.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            git.commit().setMessage("base").setAuthor(AUTHOR).setCommitter(AUTHOR).setSign(false).call();
        }
        Run unknown = TestSupport.plinth("diff", "-r", root.toString(), "--base", "no-such-branch");
        assertEquals(1, unknown.exit(), unknown.err());
        assertTrue(unknown.err().contains("unknown revision 'no-such-branch'"), unknown.err());
        assertEquals(2, TestSupport.plinth("diff", "-r", root.toString()).exit(), "--base is required");
        Run same = TestSupport.plinth("diff", "-r", root.toString(), "--base", "main", "--fail-on", "medium");
        assertEquals(0, same.exit(), same.err());
        assertTrue(same.out().contains("No change to any rendered object."), same.out());
    }

    private static void golden(Path expected, String actual) throws IOException {
        if (UPDATE) {
            Files.writeString(expected, actual, StandardCharsets.UTF_8);
            return;
        }
        assertTrue(Files.exists(expected), expected + " missing: run with -Dgolden.update=true and review it");
        assertEquals(Files.readString(expected, StandardCharsets.UTF_8), actual, expected.toString());
    }
}
