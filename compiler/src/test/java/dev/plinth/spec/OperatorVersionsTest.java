package dev.plinth.spec;

import dev.plinth.TestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A cluster's operator versions are read the same however they are written, and a wrong one is an input error. */
class OperatorVersionsTest {
    @TempDir
    Path tmp;

    private Path strimziPlatform(String version) throws IOException {
        Path root = tmp.resolve("platform-" + Math.abs(version.hashCode()));
        TestSupport.copyTree(TestSupport.projectRoot().resolve("tests/golden/b01-kafka-strimzi-1/input"), root);
        Path env = root.resolve("environments/live/environment.yaml");
        String text = Files.readString(env);
        assertTrue(text.contains("strimzi: \"1.2\""), "the golden case names Strimzi 1.2");
        Files.writeString(env, text.replace("strimzi: \"1.2\"", "strimzi: " + version));
        return root;
    }

    @Test
    void versionsWithAVOrMoreDigitsRenderAsTheShortForm() throws IOException {
        Map<String, String> expected = TestSupport.readTree(TestSupport.projectRoot().resolve("tests/golden/b01-kafka-strimzi-1/expected"));
        for (String written : new String[] {"v1.2.0", "\"1.2.0\"", "v1.2", "1.2.0-rc1"}) {
            Path out = tmp.resolve("out-" + Math.abs(written.hashCode()));
            TestSupport.Run run = TestSupport.render(strimziPlatform(written), out, true);
            assertEquals(0, run.exit(), written + ": " + run.err());
            assertEquals(expected, TestSupport.readTree(out), written + " renders as 1.2 does");
        }
    }

    @Test
    void aVersionThatIsNotOneIsAnErrorAtItsLine() throws IOException {
        Path root = strimziPlatform("latest");
        TestSupport.Run run = TestSupport.plinth("validate", "-r", root.toString());
        assertEquals(1, run.exit(), run.err());
        String line = Files.readAllLines(root.resolve("environments/live/environment.yaml")).stream()
                .filter(l -> l.contains("strimzi: latest")).findFirst().orElseThrow();
        int column = line.indexOf("latest") + 1;
        assertTrue(run.err().contains("environments/live/environment.yaml:6:" + column
                        + ": error: operators.strimzi: 'latest' is not a version (write it as 1.10, 1.10.0 or v1.10.0)"),
                run.err());
        assertTrue(!run.err().contains("Internal Error"), run.err());
    }

    @Test
    void anUnquotedVersionIsExplained() throws IOException {
        Path root = strimziPlatform("1.10");
        TestSupport.Run run = TestSupport.plinth("validate", "-r", root.toString());
        assertEquals(1, run.exit(), run.err());
        assertTrue(run.err().contains("operators.strimzi: expected string, got number 1.1 (quote it"), run.err());
    }
}
