package dev.plinth.cli;

import dev.plinth.TestSupport;
import dev.plinth.TestSupport.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line contract of SPEC §5: exit statuses, error output, untouched output on error. */
class CliTest {
    @TempDir
    Path tmp;

    private final Path example = TestSupport.projectRoot();

    @Test
    void rendersTheExamplePlatform() {
        Path out = tmp.resolve("out");
        Run r = TestSupport.plinth("render", "-r", example.toString(), "-o", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("rendered 3 clusters"), r.out());
        Map<String, String> tree = TestSupport.readTree(out);
        assertTrue(tree.containsKey("clusters/prod-hz/tenants/analytics/apps/clickstream/deployment-api.yaml"));
        assertFalse(tree.keySet().stream().anyMatch(p -> p.startsWith("clusters/prod-sh/tenants/ops/")),
                "placement keeps ops off prod-sh");
    }

    @Test
    void outputIsByteIdenticalAcrossRunsLocalesAndTimeZones() {
        Locale locale = Locale.getDefault();
        TimeZone zone = TimeZone.getDefault();
        try {
            TestSupport.plinth("render", "-r", example.toString(), "-o", tmp.resolve("a").toString());
            Locale.setDefault(new Locale("tr", "TR")); // dotless i: toLowerCase traps
            TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kathmandu"));
            TestSupport.plinth("render", "-r", example.toString(), "-o", tmp.resolve("b").toString());
        } finally {
            Locale.setDefault(locale);
            TimeZone.setDefault(zone);
        }
        assertEquals(TestSupport.readTree(tmp.resolve("a")), TestSupport.readTree(tmp.resolve("b")));
    }

    @Test
    void inputErrorsExitOneAndLeaveTheOutputUntouched() {
        Path root = tmp.resolve("p");
        TestSupport.copyTree(TestSupport.projectRoot().resolve("tests/golden/02-webservice-traits/input"), root);
        Path out = tmp.resolve("out");
        assertEquals(0, TestSupport.plinth("render", "-r", root.toString(), "-o", out.toString()).exit());
        Map<String, String> before = TestSupport.readTree(out);

        TestSupport.write(root.resolve("environments/live/apps/broken.yaml"), "apiVersion: plinth.dev/v1alpha1\nkind: [\n");
        Run r = TestSupport.plinth("render", "-r", root.toString(), "-o", out.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith("environments/live/apps/broken.yaml:3:1: error: invalid YAML"), r.err());
        assertTrue(r.err().endsWith("1 error\n"), r.err());
        assertEquals(before, TestSupport.readTree(out));
    }

    @Test
    void filesAndKindsCannotLeadOutOfTheirTrees() throws Exception {
        Path root = tmp.resolve("p");
        TestSupport.copyTree(TestSupport.projectRoot().resolve("tests/golden/02-webservice-traits/input"), root);
        Path dashboard = root.resolve("environments/live/apps/dashboards/frontend.json");
        java.nio.file.Files.delete(dashboard);
        TestSupport.write(tmp.resolve("secret.json"), "{\"secret\": true}");
        java.nio.file.Files.createSymbolicLink(dashboard, tmp.resolve("secret.json"));
        TestSupport.write(root.resolve("environments/live/apps/raw.yaml"), """
                apiVersion: plinth.dev/v1alpha1
                kind: Application
                metadata: {name: raw, tenant: web}
                spec:
                  components:
                    - name: objs
                      type: k8s-objects
                      properties:
                        objects:
                          - {apiVersion: v1, kind: ../../../../escape, metadata: {name: x}}
                """);
        Run r = TestSupport.plinth("render", "-r", root.toString(), "-o", tmp.resolve("out").toString());
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("apps/shop.yaml:32:30: error: file 'dashboards/frontend.json' links outside the platform root"), r.err());
        assertTrue(r.err().contains("apps/raw.yaml:6:7: error: component type k8s-objects rendered an object with an invalid apiVersion 'v1' or kind '../../../../escape'"), r.err());
    }

    @Test
    void findingsAsJsonForBots() {
        Path root = TestSupport.projectRoot().resolve("tests/golden/v09-images-pinned/input");
        Run r = TestSupport.plinth("validate", "-r", root.toString(), "--format", "json");
        assertEquals(1, r.exit());
        assertTrue(r.out().contains("""
                    "file" : "environments/live/apps/files/objects.yaml",
                    "line" : 13,
                    "column" : 18,
                    "severity" : "error",
                    "check" : "images-pinned",
                    "message" : "image 'registry.example.com/web:latest' of container web uses the latest tag; pin a version tag or a digest",
                    "cluster" : "live-1",
                    "namespace" : "t",
                    "kind" : "Deployment",
                    "name" : "web",
                    "path" : "spec.template.spec.containers[0].image"
                """), r.out());
        assertTrue(r.out().contains("\"errors\" : 2"), r.out());
        assertEquals("", r.err());
    }

    @Test
    void wrongUsageExitsTwo() {
        assertEquals(2, TestSupport.plinth("render", "--no-such-option").exit());
        assertEquals(2, TestSupport.plinth().exit());
        Run r = TestSupport.plinth("render", "-r", example.toString(), "-e", "staging", "-o", tmp.resolve("o").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("unknown environment 'staging'"), r.err());
    }

    @Test
    void validateWritesNothing() {
        Path out = tmp.resolve("out");
        Run r = TestSupport.plinth("validate", "-r", example.toString(), "-o", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("prod-hz analytics: limits.memory 67Gi/256Gi, pods 39/400, requests.cpu 20.8/64"), r.out());
        assertTrue(r.out().endsWith("valid: 3 clusters, 457 files\n"), r.out());
        assertFalse(out.toFile().exists());
    }

    @Test
    void renderingOneEnvironmentKeepsTheOthersOutput() {
        Path out = tmp.resolve("out");
        TestSupport.plinth("render", "-r", example.toString(), "-o", out.toString());
        Map<String, String> full = TestSupport.readTree(out);
        Run r = TestSupport.plinth("render", "-r", example.toString(), "-e", "dev", "-o", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("rendered 1 clusters"), r.out());
        assertEquals(full, TestSupport.readTree(out));
    }
}
