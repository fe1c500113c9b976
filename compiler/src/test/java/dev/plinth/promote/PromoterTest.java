package dev.plinth.promote;

import dev.plinth.Compiler;
import dev.plinth.TestSupport;
import dev.plinth.TestSupport.Run;
import dev.plinth.diag.PlinthException;
import dev.plinth.diff.Differ;
import dev.plinth.promote.Promoter.Change;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.plinth.cli.PlinthCli.INPUT_ERRORS;
import static dev.plinth.cli.PlinthCli.OK;
import static dev.plinth.cli.PlinthCli.USAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code plinth promote}: the smallest edit of the target's environment file, and what a render
 * of the result changes. The fixture is golden case 05 (environments extending each other) with a
 * second concrete environment, staging, beside prod.
 */
class PromoterTest {
    @TempDir
    Path tmp;
    Path root;

    static final String STAGING = """
            apiVersion: plinth.dev/v1alpha1
            kind: Environment
            metadata: {name: staging}
            spec:
              extends: [regional]
              clusters:
                - {name: st-1, kubeVersion: "1.31", labels: {zone: a, tier: gold}}
              overrides:
                # staging tries the new api first
                - target: {app: api, component: server}
                  properties: {image: "registry.example.com/api@sha256:%s"}
                - target: {app: tool, component: runner}
                  properties:
                    image: registry.example.com/tool:2.1.0   # the new runner
            """.formatted("a".repeat(64));

    @BeforeEach
    void fixture() {
        root = tmp.resolve("platform");
        TestSupport.copyTree(TestSupport.projectRoot().resolve("tests/golden/05-extends-overrides-placement/input"), root);
        TestSupport.write(root.resolve("environments/staging/environment.yaml"), STAGING);
    }

    private String prod() throws Exception {
        return Files.readString(root.resolve("environments/prod/environment.yaml"));
    }

    @Test
    void anExistingOverrideGetsItsImageInPlaceAndANewOneIsAppended() throws Exception {
        String before = prod();
        Promoter.Plan p = Compiler.promote(root, "staging", "prod", null, null, false);
        assertEquals(List.of(
                new Change("api", "server", "image", "registry.example.com/api:1.1.0", "registry.example.com/api@sha256:" + "a".repeat(64)),
                new Change("tool", "runner", "image", "registry.example.com/tool:2.0.0", "registry.example.com/tool:2.1.0")), p.changes());
        // the flow map of the api/server override gets the image first; tool's override targets the
        // whole app (no component), so the runner gets an override of its own, appended
        String expected = before
                .replace("properties: {replicas: 6,", "properties: {image: registry.example.com/api@sha256:" + "a".repeat(64) + ", replicas: 6,")
                + "    - target: {app: tool, component: runner}\n"
                + "      properties: {image: registry.example.com/tool:2.1.0}\n";
        assertEquals(expected, prod());
        // once promoted, nothing is left to do
        assertEquals(List.of(), Compiler.promote(root, "staging", "prod", null, null, false).changes());
        assertEquals(expected, prod());
    }

    @Test
    void aBlockOverrideIsUpdatedInPlaceWithItsCommentsKept() throws Exception {
        TestSupport.write(root.resolve("environments/staging/environment.yaml"), STAGING.replace("tool:2.1.0", "tool:2.0.0"));
        // prod now promotes into staging: the api's digest and the tool's tag, each in place
        Compiler.promote(root, "prod", "staging", null, null, false);
        String staging = Files.readString(root.resolve("environments/staging/environment.yaml"));
        assertEquals(STAGING.replace("\"registry.example.com/api@sha256:" + "a".repeat(64) + "\"", "\"registry.example.com/api:1.1.0\"")
                .replace("tool:2.1.0", "tool:2.0.0"), staging);
        assertTrue(staging.contains("# staging tries the new api first") && staging.contains("tool:2.0.0   # the new runner"), staging);
    }

    @Test
    void filtersNarrowThePromotionAndUnknownNamesAreInputErrors() throws Exception {
        Promoter.Plan p = Compiler.promote(root, "staging", "prod", "tool", null, true);
        assertEquals(Set.of("tool/runner"), Set.copyOf(p.changes().stream().map(c -> c.app() + "/" + c.component()).toList()));
        p = Compiler.promote(root, "staging", "prod", "api", "server", true);
        assertEquals(List.of("api"), p.changes().stream().map(Change::app).toList());
        String before = prod();
        assertEquals(before, p.before());
        assertEquals(before, prod(), "a dry run writes nothing");
        PlinthException e = assertThrows(PlinthException.class, () -> Compiler.promote(root, "staging", "prod", "nope", null, true));
        assertTrue(e.diagnostics().sorted().get(0).format().startsWith("environments/staging/environment.yaml:1:1: error: "
                + "environment 'staging' renders no application 'nope' (known: api, tool)"), e.diagnostics().sorted().toString());
        e = assertThrows(PlinthException.class, () -> Compiler.promote(root, "staging", "prod", "api", "nope", true));
        assertTrue(e.diagnostics().sorted().get(0).message().contains("application 'api' has no component 'nope'"));
        assertThrows(Compiler.UsageException.class, () -> Compiler.promote(root, "staging", "qa", null, null, true));
        assertThrows(Compiler.UsageException.class, () -> Compiler.promote(root, "staging", "common", null, null, true));
    }

    @Test
    void newOverridesStartAListAndFlowListsTakeFlowItems() {
        String noOverrides = "kind: Environment\nspec:\n  extends: [a]\n  clusters: [{name: c}]\n# end\n";
        Change c = new Change("api", "server", "image", null, "r/api:2");
        assertEquals("kind: Environment\nspec:\n  extends: [a]\n  clusters: [{name: c}]\n  overrides:\n"
                        + "    - target: {app: api, component: server}\n      properties: {image: r/api:2}\n# end\n",
                Promoter.edit("e.yaml", noOverrides, List.of(c)));
        assertEquals("spec: {overrides: [{target: {app: x}}, {target: {app: api, component: server}, properties: {image: r/api:2}}]}\n",
                Promoter.edit("e.yaml", "spec: {overrides: [{target: {app: x}}]}\n", List.of(c)));
        // nested values: a chart's version inside an existing override's chart map, a new key beside it
        String helm = "spec:\n  overrides:\n  - target: {app: a, component: db}\n    properties:\n      chart:\n        name: pg\n        version: '1.0.0' # pinned\n";
        assertEquals(helm.replace("'1.0.0'", "'1.2.0'").replace("        name: pg\n", "        name: pg\n"),
                Promoter.edit("e.yaml", helm, List.of(new Change("a", "db", "chart.version", "1.0.0", "1.2.0"))));
        assertEquals(helm + "      image:\n        tag: \"7.4\"\n",
                Promoter.edit("e.yaml", helm, List.of(new Change("a", "db", "image.tag", null, "7.4"))));
    }

    @Test
    void whatIsPromotedIsEveryImageAndChartVersion() {
        var props = dev.plinth.yaml.YamlReader.readAll("x", """
                image: r/a:1
                replicas: 2
                values: {image: {repository: r/b, tag: "2"}, other: {version: 3}}
                chart: {repo: https://charts.example.com, name: pg, version: 1.2.3}
                sidecars: [{image: r/c:1}]
                """, new dev.plinth.diag.Diagnostics()).get(0);
        assertEquals(Map.of("image", "r/a:1", "values.image.repository", "r/b", "values.image.tag", "2", "chart.version", "1.2.3"),
                Promoter.promoted(props));
        var oci = dev.plinth.yaml.YamlReader.readAll("x", "chart: oci://r.example.com/charts/pg\nversion: 1.2.3\n",
                new dev.plinth.diag.Diagnostics()).get(0);
        assertEquals(Map.of("version", "1.2.3"), Promoter.promoted(oci));
    }

    @Test
    void theCliPrintsTheDiffOnADryRunAndExitsAsDocumented() throws Exception {
        String before = prod();
        Run r = TestSupport.plinth("promote", "-r", root.toString(), "--from", "staging", "--to", "prod", "--app", "api", "--dry-run");
        assertEquals(OK, r.exit(), r.err());
        assertEquals("""
                --- a/environments/prod/environment.yaml
                +++ b/environments/prod/environment.yaml
                @@ -16,6 +16,6 @@
                       clusters: [eu-1, eu-3]
                   overrides:
                     - target: {app: api, component: server}
                -      properties: {replicas: 6, resources: {requests: {cpu: 500m}}}
                +      properties: {image: registry.example.com/api@sha256:%s, replicas: 6, resources: {requests: {cpu: 500m}}}
                     - target: {app: tool}
                       properties: {args: [--prod]}
                """.formatted("a".repeat(64)), r.out());
        assertEquals(before, prod());
        assertEquals(USAGE, TestSupport.plinth("promote", "-r", root.toString(), "--from", "staging", "--to", "qa").exit());
        assertEquals(USAGE, TestSupport.plinth("promote", "-r", root.toString(), "--from", "prod", "--to", "prod").exit());
        Run bad = TestSupport.plinth("promote", "-r", root.toString(), "--from", "staging", "--to", "prod", "--component", "nope");
        assertEquals(INPUT_ERRORS, bad.exit(), bad.err());
        assertTrue(bad.err().contains("environments/staging/environment.yaml:1:1: error: no application of environment 'staging' has a component 'nope'"), bad.err());
        Path file = root.resolve("environments/prod/environment.yaml");
        assertTrue(file.toFile().setWritable(false));
        // (root may write anyway: then there is nothing to see)
        if (!Files.isWritable(file)) try {
            Run ro = TestSupport.plinth("promote", "-r", root.toString(), "--from", "staging", "--to", "prod");
            assertEquals(INPUT_ERRORS, ro.exit(), ro.err());
            assertTrue(ro.err().contains("environments/prod/environment.yaml:1:1: error: environments/prod/environment.yaml is not writable"), ro.err());
        } finally {
            file.toFile().setWritable(true);
        }
        Run ok = TestSupport.plinth("promote", "-r", root.toString(), "--from", "staging", "--to", "prod");
        assertEquals(OK, ok.exit(), ok.err());
        assertTrue(ok.out().endsWith("wrote environments/prod/environment.yaml\n"), ok.out());
        Run again = TestSupport.plinth("promote", "-r", root.toString(), "--from", "staging", "--to", "prod");
        assertEquals("nothing to promote: 'prod' already renders what 'staging' does\n", again.out());
        Run oneApp = TestSupport.plinth("promote", "-r", root.toString(), "--from", "staging", "--to", "prod", "--app", "api");
        assertEquals("nothing to promote for app 'api': 'prod' already renders what 'staging' does\n", oneApp.out());
    }

    @Test
    void aRenderOfTheResultChangesExactlyThePromotedImagesInTheTarget() {
        Compiler.Options prodOnly = new Compiler.Options(root, List.of("prod"), tmp.resolve("out"), 1, List.of());
        Compiler.Result before = Compiler.inspect(prodOnly);
        Compiler.promote(root, "staging", "prod", null, null, false);
        Compiler.Result after = Compiler.inspect(prodOnly);
        Differ.Report d = Differ.diff("before", "0".repeat(40), before.snapshot(), after.snapshot());
        Set<String> changed = new java.util.TreeSet<>();
        for (Differ.ObjectDiff o : d.objects()) {
            assertEquals("changed", o.status(), o.toString());
            for (Differ.Change c : o.changes()) {
                assertTrue(c.path().endsWith(".image"), c.toString());
                changed.add(o.cluster() + " " + o.kind() + "/" + o.name() + " " + c.after());
            }
        }
        // api runs on eu-1 and eu-3, tool on eu-2 (placement of golden 05)
        String digest = "registry.example.com/api@sha256:" + "a".repeat(64);
        assertEquals(Set.of("eu-1 Deployment/server " + digest, "eu-3 Deployment/server " + digest,
                "eu-2 Deployment/runner registry.example.com/tool:2.1.0"), changed);
    }
}
