package dev.plinth.cli;

import dev.plinth.TestSupport;
import dev.plinth.TestSupport.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;

import static dev.plinth.cli.PlinthCli.INPUT_ERRORS;
import static dev.plinth.cli.PlinthCli.INTERNAL;
import static dev.plinth.cli.PlinthCli.OK;
import static dev.plinth.cli.PlinthCli.USAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command line contract (docs/spec.md, "Commands and errors"): exit status 0 success, 1
 * errors in the input, 2 wrong usage, 3 internal failure; error output; untouched output on error.
 * Every run here asserts its exit status.
 */
class CliTest {
    @TempDir
    Path tmp;

    private final Path example = TestSupport.projectRoot();

    @Test
    void rendersTheExamplePlatform() {
        Path out = tmp.resolve("out");
        Run r = TestSupport.plinth("render", "-r", example.toString(), "-o", out.toString());
        assertEquals(OK, r.exit(), r.err());
        assertTrue(r.out().startsWith("rendered 3 clusters"), r.out());
        Map<String, String> tree = TestSupport.readTree(out);
        assertTrue(tree.containsKey("clusters/prod-hz/tenants/analytics/apps/clickstream/deployment-api.yaml"));
        assertFalse(tree.keySet().stream().anyMatch(p -> p.startsWith("clusters/prod-sh/tenants/ml/")),
                "placement keeps ml off prod-sh");
    }

    @Test
    void outputIsByteIdenticalAcrossRunsLocalesAndTimeZones() {
        Locale locale = Locale.getDefault();
        TimeZone zone = TimeZone.getDefault();
        try {
            Run a = TestSupport.plinth("render", "-r", example.toString(), "-o", tmp.resolve("a").toString());
            assertEquals(OK, a.exit(), a.err());
            Locale.setDefault(new Locale("tr", "TR")); // dotless i: toLowerCase traps
            TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kathmandu"));
            Run b = TestSupport.plinth("render", "-r", example.toString(), "-o", tmp.resolve("b").toString());
            assertEquals(OK, b.exit(), b.err());
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
        Run first = TestSupport.plinth("render", "-r", root.toString(), "-o", out.toString());
        assertEquals(OK, first.exit(), first.err());
        Map<String, String> before = TestSupport.readTree(out);

        TestSupport.write(root.resolve("environments/live/apps/broken.yaml"), "apiVersion: plinth.dev/v1alpha1\nkind: [\n");
        Run r = TestSupport.plinth("render", "-r", root.toString(), "-o", out.toString());
        assertEquals(INPUT_ERRORS, r.exit(), r.err());
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
        assertEquals(INPUT_ERRORS, r.exit(), r.err());
        assertTrue(r.err().contains("apps/shop.yaml:32:30: error: file 'dashboards/frontend.json' links outside the platform root"), r.err());
        assertTrue(r.err().contains("apps/raw.yaml:6:7: error: component type k8s-objects rendered an object with an invalid apiVersion 'v1' or kind '../../../../escape'"), r.err());
    }

    @Test
    void anOutputInsideARegularFileIsAnInputErrorNotACrash() throws Exception {
        Path file = Files.writeString(tmp.resolve("plain"), "x");
        for (String command : new String[]{"render", "verify"}) {
            Run r = TestSupport.plinth(command, "-r", platform().toString(), "-o", file.resolve("out").toString());
            assertEquals(INPUT_ERRORS, r.exit(), command + ": " + r.out() + r.err());
            assertTrue(r.err().contains("which is not a directory"), r.err());
        }
    }

    @Test
    void findingsAsJsonForBots() {
        Path root = TestSupport.projectRoot().resolve("tests/golden/v09-images-pinned/input");
        Run r = TestSupport.plinth("validate", "-r", root.toString(), "--format", "json");
        assertEquals(INPUT_ERRORS, r.exit(), r.err());
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
    void validateWritesNothing() {
        Path out = tmp.resolve("out");
        Run r = TestSupport.plinth("validate", "-r", example.toString(), "-o", out.toString());
        assertEquals(OK, r.exit(), r.err());
        assertTrue(r.out().contains("prod-hz analytics: limits.memory 67Gi/256Gi, pods 39/400, requests.cpu 20.8/64"), r.out());
        assertTrue(r.out().endsWith("valid: 3 clusters, 552 files\n"), r.out());
        assertFalse(out.toFile().exists());
    }

    @Test
    void renderingOneEnvironmentKeepsTheOthersOutput() {
        Path out = tmp.resolve("out");
        Run all = TestSupport.plinth("render", "-r", example.toString(), "-o", out.toString());
        assertEquals(OK, all.exit(), all.err());
        Map<String, String> full = TestSupport.readTree(out);
        Run r = TestSupport.plinth("render", "-r", example.toString(), "-e", "dev", "-o", out.toString());
        assertEquals(OK, r.exit(), r.err());
        assertTrue(r.out().contains("rendered 1 cluster"), r.out());
        assertEquals(full, TestSupport.readTree(out));
    }

    /** A platform of one app and one cluster (golden case 02's input) under tmp/p. */
    private Path platform() {
        return TestSupport.webservicePlatform(tmp.resolve("p"));
    }

    /** The arguments with ROOT (the platform of {@link #platform}) and TMP replaced, split at spaces. */
    private String[] args(String line) {
        Path root = platform();
        return java.util.Arrays.stream(line.split(" ")).filter(a -> !a.isEmpty())
                .map(a -> a.replace("ROOT", root.toString()).replace("TMP", tmp.toString())).toArray(String[]::new);
    }

    @ParameterizedTest(name = "plinth {0}")
    @CsvSource(delimiter = '|', textBlock = """
            ''                                                  | Usage: plinth
            nosuch                                              | Unmatched argument at index 0: 'nosuch'
            render --no-such-option                             | Unknown option: '--no-such-option'
            render -r ROOT -o TMP/o --format xml                | Invalid value for option '--format': expected one of [text, json]
            render -r ROOT -o TMP/o --jobs many                 | Invalid value for option '--jobs': 'many' is not an int
            render -r ROOT -o TMP/o -e staging                  | plinth: unknown environment 'staging' (known: live)
            render -r TMP/missing -o TMP/o                      | is not a directory
            render -r ROOT -o TMP/o --jobs 0                    | plinth: --jobs must be 1 or more, not 0
            render -r ROOT -o TMP/o --jobs -3                   | plinth: --jobs must be 1 or more, not -3
            render -r ROOT -o TMP/o --crds TMP/nocrds           | plinth: --crds
            diff -r TMP/missing --base main                     | is not a directory
            validate -r ROOT --bogus                            | Unknown option: '--bogus'
            validate -r ROOT -e staging                         | plinth: unknown environment 'staging' (known: live)
            validate -r TMP/missing                             | is not a directory
            publish -r ROOT                                     | Missing required option: '--to=<to>'
            publish -r ROOT -o TMP/o --to TMP/remote --branch a..b | plinth: --branch 'a..b' is not a valid branch name
            publish -r ROOT -o TMP/o --to TMP/remote --path ../up  | plinth: --path '../up' must be a directory inside the repository
            verify -r ROOT --bogus                              | Unknown option: '--bogus'
            verify -r ROOT -o TMP/o -e staging                  | plinth: unknown environment 'staging' (known: live)
            verify -r ROOT --to TMP/remote --branch a~b         | plinth: --branch 'a~b' is not a valid branch name
            diff -r ROOT                                        | Missing required option: '--base=<base>'
            diff -r ROOT --base main --fail-on low              | Invalid value for option '--fail-on': expected one of [high, medium]
            diff -r ROOT --base main --format html              | Invalid value for option '--format': expected one of [markdown, json]
            """)
    void wrongUsageExitsTwoAndWritesNothing(String line, String message) {
        Run r = TestSupport.plinth(args(line));
        assertEquals(USAGE, r.exit(), r.out() + r.err());
        assertTrue(r.err().startsWith(line.isEmpty() ? "Usage: plinth" : "plinth: "), r.err());
        assertTrue(r.err().contains(message), r.err());
        assertEquals("", r.out());
        assertFalse(Files.exists(tmp.resolve("o")), "no output");
        assertFalse(Files.exists(tmp.resolve("remote")), "no target repository");
    }

    @ParameterizedTest(name = "plinth {0}")
    @CsvSource(delimiter = '|', textBlock = """
            --help           | Usage: plinth [-hV] [COMMAND]
            --version        | plinth 0.1.0
            render --help    | Usage: plinth render
            validate --help  | Usage: plinth validate
            publish --help   | Usage: plinth publish
            verify --help    | Usage: plinth verify
            diff --help      | Usage: plinth diff
            """)
    void helpAndVersionExitZero(String line, String first) {
        Run r = TestSupport.plinth(line.split(" "));
        assertEquals(OK, r.exit(), r.err());
        assertTrue(r.out().startsWith(first), r.out());
        assertEquals("", r.err());
    }

    /** An app whose ConfigMap has a key the API server refuses: one error[api-validation]. */
    private Path platformWithAFinding() {
        Path root = platform();
        TestSupport.write(root.resolve("environments/live/apps/bad.yaml"), TestSupport.k8sObjectsApp("bad", "web",
                "- {apiVersion: v1, kind: ConfigMap, metadata: {name: settings}, data: {'a key': x}}\n"));
        return root;
    }

    @Test
    void findingsOfTheChecksExitOneForRenderAndValidate() {
        Path root = platformWithAFinding();
        for (String command : new String[]{"render", "validate"}) {
            Run r = TestSupport.plinth(command, "-r", root.toString(), "-o", tmp.resolve("o").toString());
            assertEquals(INPUT_ERRORS, r.exit(), command + ": " + r.err());
            assertTrue(r.err().contains("error[api-validation]: Invalid value 'a key'"), r.err());
            assertTrue(r.err().endsWith("1 error\n"), r.err());
            assertEquals("", r.out());
            assertFalse(Files.exists(tmp.resolve("o")), command + " wrote nothing");
        }
    }

    @Test
    void publishWithInputErrorsExitsOneAndPublishesNothing() {
        Path root = platformWithAFinding();
        Path remote = TestSupport.bareRepository(tmp.resolve("remote.git"));
        Run r = TestSupport.plinth("publish", "-r", root.toString(), "-o", tmp.resolve("o").toString(), "--to", remote.toString());
        assertEquals(INPUT_ERRORS, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("error[api-validation]"), r.err());
        assertFalse(r.out().contains("published"), r.out());
        try (org.eclipse.jgit.api.Git git = org.eclipse.jgit.api.Git.open(remote.toFile())) {
            assertEquals(List.of(), git.branchList().call(), "the target repository has no branch");
        } catch (java.io.IOException | org.eclipse.jgit.api.errors.GitAPIException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void verifyExitsOneWhenTheOutputIsStaleOrTheInputHasErrors() throws Exception {
        Path root = platform();
        Path out = tmp.resolve("o");
        assertEquals(OK, TestSupport.render(root, out, false).exit());
        Run fresh = TestSupport.plinth("verify", "-r", root.toString(), "-o", out.toString());
        assertEquals(OK, fresh.exit(), fresh.err());

        Path file = out.resolve("clusters/live-1/kustomization.yaml");
        Files.writeString(file, Files.readString(file) + "# edited\n");
        Run stale = TestSupport.plinth("verify", "-r", root.toString(), "-o", out.toString());
        assertEquals(INPUT_ERRORS, stale.exit(), stale.err());
        assertTrue(stale.out().contains("stale: "), stale.out());
        assertTrue(stale.out().endsWith("1 stale file: render and commit again\n"), stale.out());

        platformWithAFinding();
        Run broken = TestSupport.plinth("verify", "-r", root.toString(), "-o", out.toString());
        assertEquals(INPUT_ERRORS, broken.exit(), broken.err());
        assertTrue(broken.err().contains("error[api-validation]"), broken.err());
    }

    @Test
    void diffExitsOneWithoutARepositoryOrRevision() {
        Run r = TestSupport.plinth("diff", "-r", platform().toString(), "--base", "main");
        assertEquals(INPUT_ERRORS, r.exit(), r.err());
        assertTrue(r.err().contains("error: cannot diff against main: ") && r.err().contains("is not in a Git repository"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void anInternalFailureExitsThreeWithItsTrace() throws Exception {
        // --emit-jsonnet (a benchmark aid) writing under a regular file: an I/O failure no input explains
        Files.writeString(tmp.resolve("file"), "x");
        Run r = TestSupport.plinth("validate", "-r", platform().toString(), "--emit-jsonnet", tmp.resolve("file/programs.json").toString());
        assertEquals(INTERNAL, r.exit(), r.out() + r.err());
        assertTrue(r.err().startsWith("plinth: internal error: java.io.UncheckedIOException"), r.err());
        assertTrue(r.err().contains("\tat dev.plinth.cli.PlinthCli"), "the stack trace follows: " + r.err());
    }
}
