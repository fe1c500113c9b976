package dev.plinth.definitions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.plinth.values.JsonValues;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonnetEngineTest {
    @TempDir
    Path root;

    private JsonnetEngine engine() {
        return new JsonnetEngine(new Library(root, List.of(root.resolve("lib"))));
    }

    /**
     * A caller that can put an evaluation off gets null while the only lane (its parsed files) is
     * busy, rather than a new lane that parses everything again; later it gets that same lane.
     */
    @Test
    void evaluationsWaitForAFreeLaneWhenAskedInsteadOfMakingAnother() throws Exception {
        JsonnetEngine e = engine();
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.Future<Object> slow = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        }).submit(() -> {
            started.countDown();
            return e.evaluate("std.foldl(function(a, b) a + b, std.range(1, 3000000), 0)");
        });
        started.await();
        Thread.sleep(50); // for the other thread to take the lane: it makes the first one
        boolean sawBusy = false;
        while (!slow.isDone() && !sawBusy) sawBusy = e.evaluateTrackedIfLaneFree("1 + 1", null) == null;
        assertTrue(sawBusy, "the long evaluation was over before another could find its lane busy");
        assertEquals(4500001500000L, slow.get());
        assertEquals(2L, e.evaluateTrackedIfLaneFree("1 + 1", null).value());
        assertEquals(1, e.lanes(), "every evaluation used the one lane");
    }

    @Test
    void parseYamlWorksWithThePinnedSnakeYaml() throws Exception {
        // sjsonnet 0.4.9 breaks (NoSuchMethodError) with SnakeYAML 2.x on the classpath
        Object v = engine().evaluate("std.parseYaml('a: 1\\nb: [x, y]\\n')");
        assertEquals(Map.of("a", 1L, "b", List.of("x", "y")), v);
    }

    @Test
    void importsResolveFromUserRootsBeforeBuiltins() throws Exception {
        Files.createDirectories(root.resolve("lib/lib"));
        Files.writeString(root.resolve("lib/lib/mine.libsonnet"), "{ x: 42 }");
        assertEquals(42L, engine().evaluate("(import 'lib/mine.libsonnet').x"));
        assertEquals(true, engine().evaluate("std.isFunction((import 'lib/plinth.libsonnet').meta)"));
    }

    @Test
    void importsCannotEscapeTheLibraryRoots() throws Exception {
        Files.createDirectories(root.resolve("lib/components"));
        Files.writeString(root.resolve("secret.txt"), "s3cr3t");
        Files.writeString(root.resolve("lib/components/x.libsonnet"), "importstr '../../secret.txt'");
        JsonnetEngine e = engine();
        String path = root.toAbsolutePath().normalize().resolve("lib/components/x.libsonnet").toString();
        JsonnetEngine.EvaluationError err = assertThrows(JsonnetEngine.EvaluationError.class,
                () -> e.evaluate("import '" + path + "'"));
        assertTrue(err.getMessage().contains("only inside the library roots"), err.getMessage());
        assertEquals("lib/components/x.libsonnet", err.file());
        assertThrows(JsonnetEngine.EvaluationError.class, () -> e.evaluate("importstr '/etc/hostname'"));
    }

    @Test
    void runtimeErrorsNameTheDefinitionFileAndLine() throws Exception {
        Files.createDirectories(root.resolve("lib/components"));
        Files.writeString(root.resolve("lib/components/bad.libsonnet"), "{\n  f(x):: x.missing,\n}\n");
        JsonnetEngine.EvaluationError err = assertThrows(JsonnetEngine.EvaluationError.class,
                () -> engine().evaluate("(import 'components/bad.libsonnet').f({})"));
        assertEquals("lib/components/bad.libsonnet", err.file());
        assertEquals(2, err.line());
        assertTrue(err.getMessage().contains("missing"), err.getMessage());
    }

    @Test
    void integralNumbersBecomeLongs() throws Exception {
        assertEquals(List.of(2L, 0.5), engine().evaluate("[1 + 1, 1 / 2]"));
    }

    /**
     * What the unit data and the GitOps context are made of: JSON from {@link JsonValues}, read by
     * a driver with {@code std.parseJson} or inlined as Jsonnet source. Either way Jsonnet sees
     * the same values as in the JSON the compiler wrote before it had one writer ({@code 1} for
     * {@code 1.0}, {@code 0} for {@code -0.0}, lower-case and short escapes alike), so the output
     * does not change; only the text, the cache key, does.
     */
    @Test
    void jsonDataReadsAsTheSameValuesAsDataAndAsSource() throws Exception {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("one", 1.0);
        data.put("negativeZero", -0.0);
        data.put("big", 1e21);
        data.put("tenth", 0.1);
        data.put("long", 9007199254740991L);
        data.put("text", "\b\f\u000b\u001f\n\t\"\\ é \uD83D\uDE00 \u2028");
        data.put("list", List.of(1L, "x", true));
        String json = JsonValues.write(data);
        String old = "{\"one\":1,\"negativeZero\":0,\"big\":1.0E21,\"tenth\":0.1,\"long\":9007199254740991,"
                + "\"text\":\"\\u0008\\u000c\\u000b\\u001f\\n\\t\\\"\\\\ é \uD83D\uDE00 \u2028\",\"list\":[1,\"x\",true]}";
        Map<String, Object> expected = new LinkedHashMap<>(data);
        expected.put("one", 1L);
        expected.put("negativeZero", 0L);
        String driver = "std.parseJson(importstr \"" + JsonnetEngine.UNIT_DATA + "\")";
        JsonnetEngine e = engine();
        assertEquals(expected, e.evaluate(driver, json));
        assertEquals(expected, e.evaluate(driver, old));
        assertEquals(expected, e.evaluate(json));
        assertEquals(expected, e.evaluate(old));
        String shown = "local d = " + driver + "; [std.toString(d), std.manifestYamlDoc(d), '%s %d' % [d.one, d.negativeZero]]";
        assertEquals(e.evaluate(shown, old), e.evaluate(shown, json));
    }

    /** The interpreter's settings are sjsonnet's defaults, given by value rather than through a compiler-generated method. */
    @Test
    void theInterpreterGetsSjsonnetsDefaultSettings() throws Exception {
        Object defaults = sjsonnet.Settings.class.getMethod("default").invoke(null);
        int compared = 0;
        for (java.lang.reflect.Method m : sjsonnet.Settings.class.getDeclaredMethods()) {
            if (m.getParameterCount() != 0 || m.getReturnType() != boolean.class || java.lang.reflect.Modifier.isStatic(m.getModifiers())) continue;
            assertEquals(m.invoke(defaults), m.invoke(JsonnetEngine.SETTINGS), m.getName());
            compared++;
        }
        assertEquals(6, compared);
    }

    /** Each evaluation has its own data, imports and refusals, whichever thread runs it and whatever ran before. */
    @Test
    void evaluationsKeepTheirOwnState() throws Exception {
        Files.createDirectories(root.resolve("lib/lib"));
        for (int i = 0; i < 4; i++) Files.writeString(root.resolve("lib/lib/f" + i + ".libsonnet"), "{ n: " + i + " }");
        JsonnetEngine e = engine();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<String>> runs = new java.util.ArrayList<>();
            for (int k = 0; k < 200; k++) {
                int i = k % 4;
                long d = k;
                runs.add(pool.submit(() -> {
                    JsonnetEngine.Tracked t = e.evaluateTracked("(import 'lib/f" + i + ".libsonnet').n + std.parseJson(importstr \""
                            + JsonnetEngine.UNIT_DATA + "\").d", "{\"d\": " + d + "}");
                    List<String> imported = t.imports().stream().filter(f -> f.matches(".*/f[0-9]\\.libsonnet")).toList();
                    return t.value().equals(i + d) && imported.size() == 1 && imported.get(0).endsWith("/f" + i + ".libsonnet")
                            ? "" : t.value() + " " + t.imports();
                }));
            }
            for (java.util.concurrent.Future<String> r : runs) assertEquals("", r.get());
        } finally {
            pool.shutdownNow();
        }
        JsonnetEngine.EvaluationError escaped = assertThrows(JsonnetEngine.EvaluationError.class, () -> e.evaluate("import '/etc/hostname'"));
        assertTrue(escaped.getMessage().contains("/etc/hostname is outside"), escaped.getMessage());
        JsonnetEngine.EvaluationError missing = assertThrows(JsonnetEngine.EvaluationError.class, () -> e.evaluate("import 'lib/none.libsonnet'"));
        assertTrue(!missing.getMessage().contains("/etc/hostname"), "an earlier evaluation's refusal: " + missing.getMessage());
    }
}
