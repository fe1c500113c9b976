package dev.plinth.secrets;

import dev.plinth.TestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The false-positive rate of the secret detectors, measured where there is no secret: the
 * example platform at the repository root (rendered, so its checks ran) and every golden
 * output. docs/policies.md quotes the counts this prints.
 */
class SecretFalsePositiveTest {
    private record Counts(int[] objects, int[] strings, List<String> flagged) {
        Counts() {
            this(new int[1], new int[1], new ArrayList<>());
        }
    }

    @Test
    void theExamplePlatformAndEveryGoldenOutputHaveNoFinding(@TempDir Path tmp) throws IOException {
        Path root = TestSupport.projectRoot();
        Path out = tmp.resolve("out");
        TestSupport.Run run = TestSupport.render(root, out, true);
        assertEquals(0, run.exit(), run.err()); // the no-plaintext-secrets check ran over every object
        Counts c = new Counts();
        scanTree(out, c);
        try (Stream<Path> goldens = Files.list(root.resolve("tests/golden"))) {
            for (Path g : goldens.sorted().toList()) {
                if (Files.isDirectory(g.resolve("expected"))) scanTree(g.resolve("expected"), c);
            }
        }
        System.out.printf("secret detectors: %d findings over %d objects, %d strings and keys (example platform and golden outputs)%n",
                c.flagged().size(), c.objects()[0], c.strings()[0]);
        assertTrue(c.objects()[0] > 1000, "scanned " + c.objects()[0]);
        assertEquals(List.of(), c.flagged());
    }

    private static void scanTree(Path dir, Counts c) throws IOException {
        Load load = new Load(LoadSettings.builder().build());
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                for (Object doc : load.loadAllFromString(Files.readString(f))) {
                    if (!(doc instanceof Map<?, ?> body)) continue;
                    c.objects()[0]++;
                    c.strings()[0] += count(body);
                    String apiVersion = String.valueOf(body.get("apiVersion"));
                    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
                    SecretScanner.scan(group, String.valueOf(body.get("kind")), body, false,
                            (path, value, what, key) -> c.flagged().add(dir.relativize(f) + " " + path + ": " + what));
                }
            }
        }
    }

    private static int count(Object v) {
        if (v instanceof Map<?, ?> m) {
            int n = 0;
            for (Map.Entry<?, ?> e : m.entrySet()) n += 1 + count(e.getValue());
            return n;
        }
        if (v instanceof List<?> l) return l.stream().mapToInt(SecretFalsePositiveTest::count).sum();
        return v instanceof String ? 1 : 0;
    }
}
