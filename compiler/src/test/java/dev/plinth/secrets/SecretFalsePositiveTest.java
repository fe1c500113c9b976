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
        timeScans(root, out);
        assertTrue(c.objects()[0] > 1000, "scanned " + c.objects()[0]);
        assertEquals(List.of(), c.flagged());
    }

    /** The scanner's cost per object, warmed (printed for the benchmark notes; not asserted). */
    private static void timeScans(Path root, Path out) throws IOException {
        List<Map<?, ?>> bodies = new ArrayList<>();
        Load load = new Load(LoadSettings.builder().build());
        List<Path> dirs = new ArrayList<>(List.of(out));
        try (Stream<Path> goldens = Files.list(root.resolve("tests/golden"))) {
            goldens.map(g -> g.resolve("expected")).filter(Files::isDirectory).forEach(dirs::add);
        }
        for (Path dir : dirs) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                    for (Object doc : load.loadAllFromString(Files.readString(f))) if (doc instanceof Map<?, ?> m) bodies.add(m);
                }
            }
        }
        int[] n = new int[1];
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long t0 = System.nanoTime();
            for (Map<?, ?> b : bodies) SecretScanner.scan("", String.valueOf(b.get("kind")), b, false, (p, v, w, k) -> n[0]++);
            best = Math.min(best, System.nanoTime() - t0);
        }
        System.out.printf("secret detectors: %.1f microseconds per object (%d objects)%n", best / 1000.0 / bodies.size(), bodies.size());
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
