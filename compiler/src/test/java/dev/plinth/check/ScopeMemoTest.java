package dev.plinth.check;

import dev.plinth.TestSupport;
import dev.plinth.TestSupport.Run;
import dev.plinth.values.CheckedFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checks across objects keep their findings per namespace: a render replays those of the
 * namespaces nothing changed in (through the waivers as they are now) and checks the others again.
 */
class ScopeMemoTest {
    private static final String LONELY = TestSupport.k8sObjectsApp("lonely", "team", """
            - apiVersion: v1
              kind: Service
              metadata: {name: lonely}
              spec: {selector: {app: nobody}, ports: [{port: 80}]}
            """);
    private static final String WAIVER = "  waivers:\n    - {check: references, reason: the pods run outside the cluster}\n";

    @TempDir
    Path tmp;

    @Test
    void findingsOfUnchangedNamespacesAreReplayedAndOthersCheckedAgain() throws IOException {
        Path root = tmp.resolve("platform");
        TestSupport.writeLiveEnvironment(root, "1.29", "team", "other");
        Path lonely = root.resolve("environments/live/apps/lonely.yaml");
        TestSupport.write(lonely, LONELY + WAIVER);
        Path config = root.resolve("environments/live/apps/config.yaml");
        TestSupport.write(config, configApp("v1"));
        Path out = tmp.resolve("out");

        assertEquals(0, TestSupport.render(root, out, false).exit());
        String message = "selects no pods of any workload in team";
        Path kept = shardHolding(out.resolveSibling("out.plinth-cache/scopes"), message);
        assertTrue(kept != null, "the waived finding is kept with its namespace");

        // another namespace changes; team's findings are replayed (marked here to tell), and with
        // the waiver gone they are reported
        // (written with a checksum that fits: what a damaged disk did would make the file ignored)
        CheckedFile.write(kept, withLengths(CheckedFile.read(kept).replace(message, "KEPT: " + message)));
        TestSupport.write(config, configApp("v2"));
        TestSupport.write(lonely, LONELY);
        Run replayed = TestSupport.render(root, out, false);
        assertEquals(1, replayed.exit(), replayed.err());
        assertTrue(replayed.err().contains("error[references]: KEPT: " + message), replayed.err());

        // a change in team's namespace: checked again
        TestSupport.write(lonely, LONELY.replace("{port: 80}", "{port: 8080}"));
        Run checked = TestSupport.render(root, out, false);
        Run full = TestSupport.render(root, tmp.resolve("full"), true);
        assertEquals(1, checked.exit());
        assertFalse(checked.err().contains("KEPT"), checked.err());
        assertEquals(full.err(), checked.err());
    }

    /**
     * A ServiceMonitor that selects Services of another namespace makes the references check
     * run over the whole cluster: a change to that namespace alone must still reach it.
     */
    @Test
    void aServiceMonitorOfAnotherNamespaceIsCheckedWhenOnlyThatNamespaceChanges() throws IOException {
        Path root = tmp.resolve("platform");
        TestSupport.writeLiveEnvironment(root, "1.29", "team", "other");
        TestSupport.write(root.resolve("environments/live/environment.yaml"), """
                apiVersion: plinth.dev/v1alpha1
                kind: Environment
                metadata: {name: live}
                spec:
                  clusters: [{name: live-1, kubeVersion: "1.29", operators: {monitoring.coreos.com: v1}}]
                """);
        TestSupport.write(root.resolve("environments/live/apps/watcher.yaml"), TestSupport.k8sObjectsApp("watcher", "team", """
                - apiVersion: monitoring.coreos.com/v1
                  kind: ServiceMonitor
                  metadata: {name: shared}
                  spec:
                    selector: {matchLabels: {app: shared}}
                    namespaceSelector: {matchNames: [other]}
                    endpoints: [{port: web}]
                """));
        Path shared = root.resolve("environments/live/apps/shared.yaml");
        TestSupport.write(shared, sharedService("web"));
        Path out = tmp.resolve("out");
        Run first = TestSupport.render(root, out, false);
        assertEquals(0, first.exit(), first.err());

        TestSupport.write(shared, sharedService("http"));
        Run again = TestSupport.render(root, out, false);
        assertEquals(1, again.exit(), again.err());
        assertTrue(again.err().contains("no selected Service has a port named 'web'"), again.err());
        assertEquals(TestSupport.render(root, tmp.resolve("full"), true).err(), again.err());
    }

    private static String sharedService(String port) {
        return TestSupport.k8sObjectsApp("shared", "other", """
                - apiVersion: v1
                  kind: Service
                  metadata: {name: shared, labels: {app: shared}}
                  spec: {ports: [{name: %s, port: 80}]}
                """.formatted(port));
    }

    private static String configApp(String version) {
        return TestSupport.k8sObjectsApp("config", "other", """
                - apiVersion: v1
                  kind: ConfigMap
                  metadata: {name: settings}
                  data: {version: %s}
                """.formatted(version));
    }

    /** The shard file of the cache folder whose text holds {@code text}, or null. */
    private static Path shardHolding(Path folder, String text) throws IOException {
        try (var files = java.nio.file.Files.list(folder)) {
            for (Path f : files.toList()) {
                String read = CheckedFile.read(f);
                if (read != null && read.contains(text)) return f;
            }
        }
        return null;
    }

    /** A shard's text with each entry's length prefix made right again after an edit. */
    private static String withLengths(String text) {
        StringBuilder sb = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\d+ (.*)$").matcher(line);
            if (sb.length() > 0) sb.append('\n');
            sb.append(m.matches() ? m.group(1).length() + " " + m.group(1) : line);
        }
        return sb.toString();
    }
}
