package dev.plinth.hardening;

import dev.plinth.TestSupport;
import dev.plinth.TestSupport.Run;
import dev.plinth.definitions.EvaluationLimits;
import dev.plinth.definitions.JsonnetEngine;
import dev.plinth.definitions.Library;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Definitions are evaluated within limits (time, depth) and deterministically (locale); Helm
 * charts that would differ on every render, or read out of the root, are refused by name.
 */
class EvaluationLimitsTest {
    @TempDir
    Path tmp;

    private JsonnetEngine engine(long millis, int depth) {
        return new JsonnetEngine(new Library(tmp, List.of()), new EvaluationLimits(millis, depth));
    }

    @Test
    void aBuiltInThatRunsLongIsStoppedAtTheLimit() {
        long start = System.nanoTime();
        JsonnetEngine.EvaluationError e = assertThrows(JsonnetEngine.EvaluationError.class,
                () -> engine(1500, 5000).evaluate("std.length(std.range(0, 2e9))"));
        assertTrue(e.getMessage().contains("longer than 1 s"), e.getMessage());
        assertTrue(System.nanoTime() - start < 10_000_000_000L, "stopped within the limit and its grace");
        // the engine is still usable afterwards
        assertEquals(List.of(0L, 1L, 2L), uncheckedEvaluate(engine(1500, 5000), "std.range(0, 2)"));
    }

    @Test
    void anEndlessLoopAndEndlessRecursionFailWithTheirLimit() {
        JsonnetEngine.EvaluationError loop = assertThrows(JsonnetEngine.EvaluationError.class,
                () -> engine(1000, 5000).evaluate("local l(n) = if n < 0 then 0 else l(n + 1); l(0)"));
        assertTrue(loop.getMessage().contains("longer than") || loop.getMessage().contains("deeper")
                || loop.getMessage().contains("stack overflow"), loop.getMessage());
        JsonnetEngine.EvaluationError deep = assertThrows(JsonnetEngine.EvaluationError.class,
                () -> engine(60_000, 300).evaluate("local f(n) = 1 + f(n + 1); f(0)"));
        assertTrue(deep.getMessage().contains("deeper than 300"), deep.getMessage());
        // on a stack like the render's workers' (16 MiB), recursion within the default depth works
        Object[] result = new Object[1];
        Thread worker = new Thread(null, () -> result[0] = uncheckedEvaluate(engine(60_000, 5000),
                "local f(n) = if n == 0 then 0 else 1 + f(n - 1); f(500)"), "worker", 16L << 20);
        worker.start();
        try {
            worker.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertEquals(500L, result[0]);
    }

    private static Object uncheckedEvaluate(JsonnetEngine e, String program) {
        try {
            return e.evaluate(program);
        } catch (JsonnetEngine.EvaluationError x) {
            throw new AssertionError(x.describe());
        }
    }

    @Test
    void asciiLowerAndUpperIgnoreTheLocale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("tr-TR"));
            assertEquals("title-i", uncheckedEvaluate(engine(60_000, 5000), "std.asciiLower('TITLE-I')"));
            assertEquals("TITLE-I", uncheckedEvaluate(engine(60_000, 5000), "std.asciiUpper('title-i')"));
            assertEquals("ÄBİ", uncheckedEvaluate(engine(60_000, 5000), "std.asciiUpper('Äbİ')"));
            assertEquals(true, uncheckedEvaluate(engine(60_000, 5000), "std.objectHasAll(std, 'length') && std.objectHasAll(std, 'asciiLower') && !std.objectHas(std, 'asciiLower')"));
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void aDefinitionThatLoopsFailsNamingTheComponentAndTheDefinition() {
        Path root = tmp.resolve("platform");
        TestSupport.writeLiveEnvironment(root, "1.30", "team");
        TestSupport.write(root.resolve("library/components/spin.libsonnet"), """
                {
                  description: 'loops',
                  parameters: {n: {type: 'integer', default: 2000000000}},
                  render(ctx, props)::
                    [{apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'x'}, data: {n: std.toString(std.length(std.range(0, props.n)))}}],
                }
                """);
        TestSupport.write(root.resolve("environments/live/apps/spin.yaml"), """
                apiVersion: plinth.dev/v1alpha1
                kind: Application
                metadata: {name: spin, tenant: team}
                spec:
                  components:
                    - name: spinner
                      type: spin
                """);
        String before = System.getProperty(EvaluationLimits.TIMEOUT_PROPERTY);
        System.setProperty(EvaluationLimits.TIMEOUT_PROPERTY, "6");
        try {
            long start = System.nanoTime();
            Run r = TestSupport.render(root, tmp.resolve("out"), false);
            assertEquals(1, r.exit(), r.out() + r.err());
            assertTrue(r.err().contains("environments/live/apps/spin.yaml:6:7: error: component 'spinner' (type spin)")
                    && r.err().contains("longer than 6 s"), r.err());
            assertTrue(System.nanoTime() - start < 60_000_000_000L);
            // with literal arguments sjsonnet computes the call when it parses the file: the definition is named
            TestSupport.write(root.resolve("library/components/spin.libsonnet"), """
                    {
                      description: 'loops',
                      parameters: {},
                      render(ctx, props):: [{apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'x'}, data: {n: std.toString(std.length(std.range(0, 2e9)))}}],
                    }
                    """);
            Run parsed = TestSupport.render(root, tmp.resolve("out"), false);
            assertEquals(1, parsed.exit(), parsed.out() + parsed.err());
            assertTrue(parsed.err().contains("component type 'spin' is broken: library/components/spin.libsonnet")
                    && parsed.err().contains("longer than 6 s"), parsed.err());
        } finally {
            if (before == null) System.clearProperty(EvaluationLimits.TIMEOUT_PROPERTY);
            else System.setProperty(EvaluationLimits.TIMEOUT_PROPERTY, before);
        }
    }

    private Path helmPlatform(String template) throws IOException {
        Path root = tmp.resolve("helm");
        TestSupport.copyTree(TestSupport.projectRoot().resolve("tests/golden/b08-helm/input"), root);
        Files.writeString(root.resolve("environments/live/apps/charts/web/templates/extra.yaml"), template);
        return root;
    }

    @Test
    void chartsCallingNonDeterministicFunctionsAreRefusedAtTheirLine() throws IOException {
        Path root = helmPlatform("""
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: extra
                  annotations:
                    note: "now is {{ "now" }} and {{ .Values.now | default "x" }}"
                data:
                  {{- /* randAlphaNum in a comment is fine */ -}}
                  token: {{ randAlphaNum 16 | quote }}
                  cluster: {{ (lookup "v1" "Namespace" "" "default").metadata.name | default "none" | quote }}
                """);
        Run r = TestSupport.render(root, tmp.resolve("out"), false);
        assertEquals(1, r.exit(), r.out() + r.err());
        String file = "environments/live/apps/charts/web/templates/extra.yaml";
        assertTrue(r.err().contains(file + ":9: calls randAlphaNum"), r.err());
        assertTrue(r.err().contains(file + ":10: calls lookup"), r.err());
        assertTrue(!r.err().contains(":6: calls now"), r.err());
        assertTrue(r.err().contains("chart 'charts/web'"), r.err());
    }

    @Test
    void aChartFileLinkedOutOfTheRootIsRefused() throws IOException {
        Path root = helmPlatform("# nothing\n");
        Path secret = tmp.resolve("secret.txt");
        Files.writeString(secret, "password");
        Files.createSymbolicLink(root.resolve("environments/live/apps/charts/web/passwd"), secret);
        Run r = TestSupport.render(root, tmp.resolve("out"), false);
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("environments/live/apps/charts/web/passwd is a symbolic link out of the platform root"), r.err());
        assertTrue(!TestSupport.readTree(tmp.resolve("out")).values().stream().anyMatch(t -> t.contains("password")));
    }
}
