package dev.plinth.golden;

import dev.plinth.TestSupport;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Golden tests: every folder of {@code tests/golden/} is a case. Its {@code input/} is a
 * platform root (or, when the folder has a file {@code root}, the path in it relative to the
 * project root). A case either renders, and the whole output tree must equal {@code expected/},
 * or fails, and exit status plus standard error must equal {@code expected-errors.txt}.
 *
 * <p>Run with {@code -Dgolden.update=true} to rewrite the expected files from the actual
 * output; review the diff before committing.
 */
class GoldenTest {
    private static final boolean UPDATE = Boolean.getBoolean("golden.update");

    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicTest> goldenCases() throws IOException {
        Path golden = TestSupport.projectRoot().resolve("tests/golden");
        List<Path> cases;
        try (Stream<Path> s = Files.list(golden)) {
            cases = s.filter(Files::isDirectory).sorted().toList();
        }
        assertTrue(cases.size() >= 10, "expected at least 10 golden cases, found " + cases.size());
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.getFileName().toString(), () -> runCase(c)));
    }

    private void runCase(Path caseDir) throws IOException {
        Path root = Files.exists(caseDir.resolve("root"))
                ? TestSupport.projectRoot().resolve(Files.readString(caseDir.resolve("root")).trim())
                : caseDir.resolve("input");
        Path out = tmp.resolve(caseDir.getFileName().toString());
        TestSupport.Run run = TestSupport.plinth("render", "-r", root.toString(), "-o", out.toString());
        Path expectedTree = caseDir.resolve("expected");
        Path expectedErrors = caseDir.resolve("expected-errors.txt");
        String actualErrors = "exit " + run.exit() + "\n" + run.err();

        if (UPDATE) {
            TestSupport.deleteTree(expectedTree);
            Files.deleteIfExists(expectedErrors);
            if (run.exit() == 0) TestSupport.copyTree(out, expectedTree);
            else Files.writeString(expectedErrors, actualErrors, StandardCharsets.UTF_8);
            return;
        }
        if (Files.exists(expectedErrors)) {
            assertEquals(Files.readString(expectedErrors, StandardCharsets.UTF_8), actualErrors,
                    "errors of " + caseDir.getFileName());
            assertTrue(!Files.exists(out), "a failed render must not create the output");
            return;
        }
        assertEquals(0, run.exit(), "render failed:\n" + run.err());
        compareTrees(TestSupport.readTree(expectedTree), TestSupport.readTree(out));
    }

    static void compareTrees(Map<String, String> expected, Map<String, String> actual) {
        List<String> problems = new ArrayList<>();
        for (String f : new TreeSet<>(expected.keySet())) {
            if (!actual.containsKey(f)) problems.add("missing: " + f);
        }
        for (String f : new TreeSet<>(actual.keySet())) {
            if (!expected.containsKey(f)) problems.add("unexpected: " + f);
            else if (!expected.get(f).equals(actual.get(f))) problems.add("differs: " + f + "\n" + firstDifference(expected.get(f), actual.get(f)));
        }
        if (!problems.isEmpty()) {
            fail(problems.size() + " file(s) differ from the golden tree (rerun with -Dgolden.update=true and review):\n"
                    + String.join("\n", problems.subList(0, Math.min(20, problems.size()))));
        }
    }

    private static String firstDifference(String a, String b) {
        String[] x = a.split("\n", -1);
        String[] y = b.split("\n", -1);
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            String l = i < x.length ? x[i] : "<end>";
            String r = i < y.length ? y[i] : "<end>";
            if (!l.equals(r)) return "  line " + (i + 1) + ":\n  - " + l + "\n  + " + r;
        }
        return "";
    }

}
