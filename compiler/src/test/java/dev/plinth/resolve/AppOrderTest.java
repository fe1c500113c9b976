package dev.plinth.resolve;

import dev.plinth.TestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The order between apps ({@code spec.dependsOn} and uses of other apps): a dependency on an app
 * that does not exist, and a cycle, are errors at the line that names it or closes it.
 */
class AppOrderTest {
    @TempDir
    Path tmp;

    private static final String IMAGE = "registry.example.com/x@sha256:" + "0".repeat(64);

    /** An app of tenant t whose spec starts with {@code spec} (indented two spaces), then one webservice of its name. */
    private static String app(String name, String spec) {
        return """
                apiVersion: plinth.dev/v1alpha1
                kind: Application
                metadata: {name: %s, tenant: t}
                spec:
                %s
                  components:
                    - name: %s
                      type: webservice
                      properties: {image: "%s", resources: {requests: {cpu: 100m, memory: 64Mi}}}
                """.formatted(name, spec.indent(2).stripTrailing(), name, IMAGE);
    }

    private Path platform(String... namesAndSpecs) {
        Path root = tmp.resolve("p" + tmp.toFile().list().length);
        TestSupport.writeLiveEnvironment(root, "1.32", "t");
        for (int i = 0; i < namesAndSpecs.length; i += 2) {
            TestSupport.write(root.resolve("environments/live/apps/" + namesAndSpecs[i] + ".yaml"), app(namesAndSpecs[i], namesAndSpecs[i + 1]));
        }
        return root;
    }

    private static String errors(Path root) {
        TestSupport.Run run = TestSupport.plinth("validate", "-r", root.toString());
        assertEquals(1, run.exit(), run.err());
        return run.err();
    }

    private static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    @Test
    void anUnknownAppIsAnErrorAtItsEntry() {
        String err = errors(platform("a", "dependsOn:\n  - b\n  - ghost", "b", "dependsOn: []"));
        assertTrue(err.contains("environments/live/apps/a.yaml:7:7: error: application 'a' depends on app 'ghost', which does not exist in environment 'live'"), err);
        assertTrue(err.contains("1 error"), err);
    }

    @Test
    void aCycleThroughDependsOnAndUsesIsAnErrorAtTheEntryThatClosesIt() {
        // a waits for b, b uses c, c waits for a: closed by c's entry into a, the first name
        Path root = platform("a", "dependsOn: [b]", "b", "dependsOn: []", "c", "dependsOn:\n  - a");
        TestSupport.write(root.resolve("environments/live/apps/b.yaml"), TestSupport.readTree(root).get("environments/live/apps/b.yaml")
                .replace("resources: {requests: {cpu: 100m, memory: 64Mi}}}", "resources: {requests: {cpu: 100m, memory: 64Mi}}}\n      uses: [{app: c, component: c}]"));
        String err = errors(root);
        assertTrue(err.contains("environments/live/apps/c.yaml:6:7: error: cycle in the order of apps (dependsOn and uses): a -> b -> c -> a"), err);
        assertEquals(1, count(err, "cycle in the order of apps"), err);
    }

    @Test
    void aCycleIsNamedFromItsFirstAppWhereverTheSearchEntersIt() {
        // the search starts at aa, enters the cycle at c, and still reports b -> c -> b at c's entry into b
        String err = errors(platform("aa", "dependsOn: [c]", "b", "dependsOn: [c]", "c", "dependsOn: [b]"));
        assertTrue(err.contains("environments/live/apps/c.yaml:5:15: error: cycle in the order of apps (dependsOn and uses): b -> c -> b"), err);
        assertEquals(1, count(err, "cycle in the order of apps"), err);
    }

    @Test
    void anAppThatDependsOnItselfIsACycle() {
        String err = errors(platform("a", "dependsOn: [a]"));
        assertTrue(err.contains("environments/live/apps/a.yaml:5:15: error: cycle in the order of apps (dependsOn and uses): a -> a"), err);
    }

    @Test
    void dependenciesWithoutACycleValidate() {
        TestSupport.Run run = TestSupport.plinth("validate", "-r", platform("a", "dependsOn: [b, c]", "b", "dependsOn: [c]", "c", "dependsOn: []").toString());
        assertEquals(0, run.exit(), run.err());
    }
}
