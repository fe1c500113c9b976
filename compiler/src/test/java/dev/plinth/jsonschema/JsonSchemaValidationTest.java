package dev.plinth.jsonschema;

import dev.plinth.Compiler;
import dev.plinth.TestSupport;
import dev.plinth.diag.PlinthException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generated JSON Schemas against a validator other than Plinth's own: ajv, through
 * tests/schema/validate.js. Every golden input's and the example's spec files validate, except
 * the golden error cases below; the corpus of wrong specs in tests/schema/invalid/ does not.
 * Skips where node or ajv is missing, unless PLINTH_REQUIRE_AJV is set (.ci/run sets it after
 * installing ajv, so CI never skips).
 */
class JsonSchemaValidationTest {
    /** Where .ci/run installs ajv and yaml (npm install --prefix target/schema-validator). */
    static final Path MODULES = TestSupport.projectRoot().resolve("target/schema-validator/node_modules");

    /**
     * Golden error cases whose spec files are not checked as valid, and why. The files of the
     * schema-error cases are checked to be refused instead.
     */
    static final Map<String, String> LEFT_OUT = Map.of(
            "09-error-yaml", "the files are not YAML (a duplicate key, a broken flow map, tabs) or have the wrong apiVersion and kind",
            "10-error-alias-bomb", "an alias bomb: no YAML parser should expand it",
            "14-error-jsonnet", "its library has a broken definition, so plinth schema -r fails for it (JsonSchemasTest)");
    /** Golden error cases with schema errors: each of these files must be refused by the JSON Schema too. */
    static final Map<String, List<String>> REFUSED = Map.of(
            "09-error-yaml", List.of("environments/live/apps/wrong-kind.yaml"),
            "11-error-schema", List.of("environments/live/apps/app.yaml", "environments/live/environment.yaml",
                    "environments/live/tenants/t.yaml", "platform.yaml"),
            "16-error-properties", List.of("environments/live/apps/app.yaml"),
            "17-error-types", List.of("environments/live/apps/app.yaml"));

    @TempDir
    Path tmp;

    @Test
    void ajvAcceptsEveryGoodSpecAndRefusesEveryWrongOne() throws Exception {
        boolean required = System.getenv("PLINTH_REQUIRE_AJV") != null;
        String missing = !commandWorks("node", "--version") ? "node is not on PATH"
                : !Files.isDirectory(MODULES.resolve("ajv")) || !Files.isDirectory(MODULES.resolve("yaml"))
                ? "ajv and yaml are not installed in " + MODULES + " (npm install --prefix target/schema-validator ajv@8.20.0 yaml@2.9.1)"
                : null;
        if (missing != null) {
            assertTrue(!required, "PLINTH_REQUIRE_AJV is set but " + missing);
            Assumptions.abort("skipping the JSON Schema validation with ajv: " + missing);
        }
        Path golden = TestSupport.projectRoot().resolve("tests/golden");
        List<String> builtinCases = new ArrayList<>();
        List<String> ownLibraryRoots = new ArrayList<>();
        for (Path c : list(golden)) {
            String name = c.getFileName().toString();
            Path input = c.resolve("input");
            if (!Files.isDirectory(input)) continue;
            List<String> refused = REFUSED.getOrDefault(name, List.of());
            for (String f : refused) {
                assertTrue(Files.exists(input.resolve(f)), f);
                builtinCases.add("rejected=" + input.resolve(f));
            }
            if (LEFT_OUT.containsKey(name)) continue;
            // a platform with its own library gets its own schemas, as plinth schema -r writes them
            boolean ownLibrary = Files.isDirectory(input.resolve("defs")) || Files.isDirectory(input.resolve("lib"))
                    || Files.isDirectory(input.resolve("library"));
            if (ownLibrary) {
                ownLibraryRoots.add(name);
                List<String> cases = new ArrayList<>();
                for (Path f : specFiles(input)) cases.add("valid=" + f);
                runValidator(JsonSchemas.forPlatform(input), cases);
                continue;
            }
            for (Path f : specFiles(input)) {
                if (!refused.contains(input.relativize(f).toString())) builtinCases.add("valid=" + f);
            }
        }
        assertEquals(List.of("06-user-defined-types", "g04-error-gitops-admission"), ownLibraryRoots);
        for (Path f : specFiles(TestSupport.projectRoot())) builtinCases.add("valid=" + f);
        for (Path f : list(corpus("valid"))) builtinCases.add("valid=" + f);
        List<Path> invalid = list(corpus("invalid"));
        assertTrue(invalid.size() >= 10, "the corpus of wrong specs: " + invalid);
        for (Path f : invalid) builtinCases.add("invalid=" + f);
        String out = runValidator(JsonSchemas.builtin(), builtinCases);
        assertTrue(out.contains("environments/prod/apps/"), "the example platform's apps were checked:\n" + out);
    }

    /**
     * Plinth agrees with the corpus: each wrong spec is an error to {@code plinth validate}, and
     * the good ones validate. So the schemas are checked against Plinth's own behaviour both ways.
     */
    @Test
    void plinthAgreesWithTheCorpus() throws Exception {
        for (Path f : list(corpus("valid"))) Compiler.validate(Compiler.Options.of(platformWith(f)));
        for (Path f : list(corpus("invalid"))) {
            assertThrows(PlinthException.class, () -> Compiler.validate(Compiler.Options.of(platformWith(f))), f.toString());
        }
    }

    /** A one-cluster platform holding the corpus file: as platform.yaml, environment.yaml or an app file. */
    private Path platformWith(Path corpusFile) throws IOException {
        Path root = Files.createTempDirectory(tmp, "p");
        String text = Files.readString(corpusFile, StandardCharsets.UTF_8);
        Path env = root.resolve("environments/live");
        TestSupport.write(env.resolve("environment.yaml"), """
                apiVersion: plinth.dev/v1alpha1
                kind: Environment
                metadata: {name: live}
                spec:
                  clusters:
                    - {name: live-1, kubeVersion: "1.31"}
                """);
        if (!text.contains("\nkind: Tenant")) {
            TestSupport.write(env.resolve("tenants/web.yaml"), "apiVersion: plinth.dev/v1alpha1\nkind: Tenant\nmetadata: {name: web}\n");
        }
        if (text.contains("\nkind: Platform")) TestSupport.write(root.resolve("platform.yaml"), text);
        else if (text.contains("\nkind: Environment")) TestSupport.write(env.resolve("environment.yaml"), text);
        else TestSupport.write(env.resolve("apps/" + corpusFile.getFileName()), text);
        return root;
    }

    /** Writes the schemas and runs validate.js over the cases; fails with its report unless every case is as expected. */
    private String runValidator(SortedMap<String, String> schemas, List<String> cases) throws Exception {
        Path dir = Files.createTempDirectory(tmp, "schemas");
        for (Map.Entry<String, String> s : schemas.entrySet()) Files.writeString(dir.resolve(s.getKey()), s.getValue());
        List<String> command = new ArrayList<>(List.of("node", TestSupport.projectRoot().resolve("tests/schema/validate.js").toString(),
                MODULES.toString(), dir.toString()));
        command.addAll(cases);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "validate.js did not finish");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains(cases.size() + " files, 0 surprises"), out);
        return out;
    }

    private static Path corpus(String kind) {
        return TestSupport.projectRoot().resolve("tests/schema").resolve(kind);
    }

    /** The spec files of a platform root, as the load finds them (docs/spec.md, Files). */
    static List<Path> specFiles(Path root) throws IOException {
        List<Path> out = new ArrayList<>();
        if (Files.exists(root.resolve("platform.yaml"))) out.add(root.resolve("platform.yaml"));
        Path envs = root.resolve("environments");
        if (!Files.isDirectory(envs)) return out;
        for (Path env : list(envs)) {
            if (Files.exists(env.resolve("environment.yaml"))) out.add(env.resolve("environment.yaml"));
            for (String folder : List.of("tenants", "apps")) {
                Path dir = env.resolve(folder);
                if (!Files.isDirectory(dir)) continue;
                try (Stream<Path> s = Files.walk(dir)) {
                    s.filter(f -> Files.isRegularFile(f) && (f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")))
                            .filter(f -> !isData(dir, f))
                            .sorted().forEach(out::add);
                }
            }
        }
        return out;
    }

    /** Inside a {@code files} folder or a Helm chart: data that specs refer to, not specs. */
    private static boolean isData(Path specDir, Path file) {
        for (Path d = file.getParent(); !d.equals(specDir); d = d.getParent()) {
            if (d.getFileName().toString().equals("files") || Files.exists(d.resolve("Chart.yaml"))) return true;
        }
        return false;
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean commandWorks(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

}
