package dev.plinth.yaml;

import dev.plinth.Compiler;
import dev.plinth.TestSupport;
import dev.plinth.gitops.GitOps.GitOpsObject;
import dev.plinth.render.RenderedObject;
import dev.plinth.render.RenderedPlatform.RenderedCluster;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The emitter against SnakeYAML, both ways, over every golden output tree
 * ({@code tests/golden/CASE/expected}): each YAML file read by SnakeYAML (YAML 1.1 and 1.2) and
 * written again by {@link YamlWriter} gives the file's bytes, and both readers read the same data;
 * each object the case renders, written by {@link YamlWriter}, is one of the golden files and
 * reads back, with either reader, as the object itself. A difference in quoting, escaping or
 * number formats fails one way or the other.
 */
class EmitterDifferentialTest {
    @TempDir
    Path tmp;

    /** The golden cases that render (those with an expected tree), by name. */
    private static List<Path> cases() throws IOException {
        try (Stream<Path> s = Files.list(TestSupport.projectRoot().resolve("tests/golden"))) {
            return s.filter(c -> Files.isDirectory(c.resolve("expected"))).sorted().toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyGoldenFileReadBySnakeYamlIsWrittenAgainToItsBytes() throws IOException {
        List<Path> cases = cases();
        assertTrue(cases.size() >= 20, "golden cases with an output tree: " + cases.size());
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.getFileName().toString(), () -> {
            Map<String, String> tree = TestSupport.readTree(c.resolve("expected"));
            int yaml = 0;
            for (Map.Entry<String, String> f : tree.entrySet()) {
                if (!f.getKey().endsWith(".yaml")) continue;
                yaml++;
                String text = f.getValue();
                Object read = SnakeYamlOracle.yaml11(text);
                if (!(read instanceof Map<?, ?> object)) {
                    fail(f.getKey() + " is not one mapping");
                    return;
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> body = (Map<String, Object>) object;
                assertEquals(text, YamlWriter.writeObject(body), () -> f.getKey() + " written again from what SnakeYAML read");
                assertEquals(SnakeYamlOracle.plain(read), SnakeYamlOracle.plain(SnakeYamlOracle.yaml12(text)),
                        () -> f.getKey() + ": YAML 1.1 and 1.2 read different data");
            }
            assertTrue(yaml > 0, "no YAML file in " + c);
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyRenderedObjectIsAGoldenFileThatReadsBackAsItself() throws IOException {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.getFileName().toString(), () -> {
            Path root = Files.exists(c.resolve("root"))
                    ? TestSupport.projectRoot().resolve(Files.readString(c.resolve("root")).trim()) : c.resolve("input");
            Compiler.Result r = Compiler.validate(new Compiler.Options(root, List.of(), tmp.resolve(c.getFileName().toString()), 2,
                    List.of(), true, null));
            Set<String> golden = new HashSet<>(TestSupport.readTree(c.resolve("expected")).values());
            List<Map<String, Object>> bodies = new ArrayList<>();
            for (RenderedCluster cluster : r.rendered().clusters()) {
                for (RenderedObject o : cluster.objects()) bodies.add(o.body());
            }
            for (GitOpsObject o : r.gitops()) bodies.add(o.body());
            for (Map<String, Object> body : bodies) {
                String yaml = YamlWriter.writeObject(body);
                assertTrue(golden.contains(yaml), () -> "not a golden file of " + c.getFileName() + ":\n" + yaml);
                SnakeYamlOracle.readsAs(body, yaml);
            }
            assertTrue(!bodies.isEmpty(), "no object rendered");
        }));
    }
}
