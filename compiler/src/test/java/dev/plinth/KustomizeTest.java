package dev.plinth;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Builds every cluster directory of the example render with the real {@code kubectl kustomize}
 * and checks that each rendered object comes out exactly once (SPEC §4). Skips, saying so,
 * where kubectl is not installed; CI installs it.
 */
class KustomizeTest {
    @TempDir
    Path tmp;

    @Test
    void everyClusterBuildsWithEveryObjectExactlyOnce() throws Exception {
        Assumptions.assumeTrue(kubectlAvailable(), "kubectl not found on PATH: skipping the kustomize build test");
        Path out = tmp.resolve("out");
        assertEquals(0, TestSupport.plinth("render", "-r", TestSupport.projectRoot().toString(), "-o", out.toString()).exit());
        List<Path> clusters;
        try (var s = Files.list(out.resolve("clusters"))) {
            clusters = s.sorted().toList();
        }
        assertEquals(3, clusters.size());
        for (Path cluster : clusters) {
            Map<String, Integer> expected = new TreeMap<>();
            try (var s = Files.walk(cluster)) {
                for (Path f : s.filter(p -> p.toString().endsWith(".yaml") && !p.getFileName().toString().equals("kustomization.yaml")).toList()) {
                    identities(Files.readString(f)).forEach(id -> expected.merge(id, 1, Integer::sum));
                }
            }
            Map<String, Integer> built = new TreeMap<>();
            identities(kustomize(cluster)).forEach(id -> built.merge(id, 1, Integer::sum));
            assertTrue(expected.size() > 10, "too few objects in " + cluster);
            assertEquals(expected, built, "kubectl kustomize " + cluster.getFileName());
            assertTrue(built.values().stream().allMatch(n -> n == 1), "an object appears twice: " + built);
        }
    }

    private static List<String> identities(String yaml) {
        List<String> ids = new ArrayList<>();
        for (Object doc : new Load(LoadSettings.builder().build()).loadAllFromString(yaml)) {
            if (!(doc instanceof Map<?, ?> m)) continue;
            Map<?, ?> meta = (Map<?, ?>) m.get("metadata");
            ids.add(m.get("apiVersion") + " " + m.get("kind") + " " + meta.get("namespace") + "/" + meta.get("name"));
        }
        return ids;
    }

    private static boolean kubectlAvailable() {
        try {
            Process p = new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String kustomize(Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("kubectl", "kustomize", dir.toString()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize timed out");
        assertEquals(0, p.exitValue(), "kubectl kustomize " + dir + " failed:\n" + err);
        return out;
    }
}
