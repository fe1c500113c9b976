package dev.plinth;

import dev.plinth.cli.PlinthCli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Helpers shared by the tests: the project root, running the CLI, reading whole trees. */
public final class TestSupport {
    private TestSupport() {
    }

    /** The repository root (set by surefire; falls back to the parent of the module dir). */
    public static Path projectRoot() {
        String p = System.getProperty("plinth.projectRoot");
        return (p == null ? Path.of("..") : Path.of(p)).toAbsolutePath().normalize();
    }

    /** Exit status, standard output and standard error of one CLI run. */
    public record Run(int exit, String out, String err) {
    }

    public static Run plinth(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = PlinthCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** {@code plinth render -r ROOT -o OUT}, with {@code --full} when asked. */
    public static Run render(Path root, Path out, boolean full) {
        List<String> args = new java.util.ArrayList<>(List.of("render", "-r", root.toString(), "-o", out.toString()));
        if (full) args.add("--full");
        return plinth(args.toArray(String[]::new));
    }

    /** Every regular file under dir, by '/'-separated relative path. */
    public static Map<String, String> readTree(Path dir) {
        Map<String, String> files = new TreeMap<>();
        if (!Files.isDirectory(dir)) return files;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(p).toString().replace('\\', '/'), Files.readString(p, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    public static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A platform of one environment, live, with one cluster, live-1, and tenants without network
     * isolation, under {@code root}/environments/live.
     */
    public static void writeLiveEnvironment(Path root, String kubeVersion, String... tenants) {
        write(root.resolve("environments/live/environment.yaml"), """
                apiVersion: plinth.dev/v1alpha1
                kind: Environment
                metadata: {name: live}
                spec:
                  clusters: [{name: live-1, kubeVersion: "%s"}]
                """.formatted(kubeVersion));
        for (String tenant : tenants) {
            write(root.resolve("environments/live/tenants/" + tenant + ".yaml"), """
                    apiVersion: plinth.dev/v1alpha1
                    kind: Tenant
                    metadata: {name: %s}
                    spec:
                      network: {isolation: none}
                    """.formatted(tenant));
        }
    }

    /** An app of one component, manifests, of type k8s-objects; {@code objects} are its list items, not indented. */
    public static String k8sObjectsApp(String name, String tenant, String objects) {
        return """
                apiVersion: plinth.dev/v1alpha1
                kind: Application
                metadata: {name: %s, tenant: %s}
                spec:
                  components:
                    - name: manifests
                      type: k8s-objects
                      properties:
                        objects:
                """.formatted(name, tenant) + objects.indent(10);
    }

    /**
     * The operators' upstream CRDs (../shared/crds) as {@code --crds} arguments after {@code args}:
     * one set of operator versions, Strimzi 1.2's ({@code strimzi}), or Strimzi 0.46's
     * ({@code strimzi-0.46}) when {@code strimzi046}, since two different CRDs of one kind are an
     * error. Null when ../shared/crds is missing.
     */
    public static String[] withUpstreamCrds(boolean strimzi046, String... args) {
        Path shared = projectRoot().resolve("../shared/crds").normalize();
        if (!Files.isDirectory(shared)) return null;
        List<String> out = new java.util.ArrayList<>(List.of(args));
        try (Stream<Path> s = Files.list(shared)) {
            for (Path folder : s.filter(Files::isDirectory).sorted().toList()) {
                String name = folder.getFileName().toString();
                if (name.equals(strimzi046 ? "strimzi" : "strimzi-0.46")) continue;
                out.add("--crds");
                out.add(folder.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toArray(String[]::new);
    }

    /** An app of one component, extras, of type k8s-objects reading one manifests file (a path relative to the app file). */
    public static String k8sObjectsFileApp(String name, String tenant, String file) {
        return """
                apiVersion: plinth.dev/v1alpha1
                kind: Application
                metadata: {name: %s, tenant: %s}
                spec:
                  components:
                    - name: extras
                      type: k8s-objects
                      properties:
                        files: [%s]
                """.formatted(name, tenant, file);
    }

    /**
     * A temporary directory for tests that cannot use JUnit's {@code @TempDir} (jqwik properties,
     * static set-up), deleted with everything in it when the test JVM exits.
     */
    public static Path tempDirectory(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void copyTree(Path from, Path to) {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Relative path to content, from alternating paths and contents. */
    public static java.util.SortedMap<String, String> files(String... pathsAndContents) {
        java.util.SortedMap<String, String> m = new TreeMap<>();
        for (int i = 0; i < pathsAndContents.length; i += 2) m.put(pathsAndContents[i], pathsAndContents[i + 1]);
        return m;
    }

    /** The input of golden case 02-webservice-traits (one app, one cluster) copied to {@code root}. */
    public static Path webservicePlatform(Path root) {
        copyTree(projectRoot().resolve("tests/golden/02-webservice-traits/input"), root);
        return root;
    }

    /** A new bare repository whose first branch will be main. */
    public static Path bareRepository(Path dir) {
        try {
            org.eclipse.jgit.api.Git.init().setBare(true).setDirectory(dir.toFile()).setInitialBranch("main").call().close();
        } catch (org.eclipse.jgit.api.errors.GitAPIException e) {
            throw new IllegalStateException(e);
        }
        return dir;
    }
}
