package dev.plinth.maven;

import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The goals through a real {@code mvn}, as a platform repository runs them: a golden case's
 * platform with a pom that declares the plugin, the plugin and compiler jars this build made
 * (in a local repository of the tests' own, target/it/repo, beside copies of the POMs and
 * Maven's own artifacts read from the build's local repository as a file: repository, so
 * nothing is downloaded and the build's local repository is not written), and the output, log lines and
 * exit status checked. Runs after package (the integration-test phase); skipped when no mvn is
 * found.
 */
class PlatformGoalsIT {
    private static final String VERSION = System.getProperty("plinth.version", "0.1.0-SNAPSHOT");
    private static final Path PROJECT = Path.of(System.getProperty("plinth.projectRoot", "..")).toAbsolutePath().normalize();
    private static final Path GOLDEN = PROJECT.resolve("tests/golden/02-webservice-traits");
    private static final String BAD_PORT_ERROR =
            "[ERROR] environments/live/apps/shop.yaml:10:15: error: properties.port: 70000 is greater than the maximum 65535";

    private static String mvn;
    private static Path work;
    private static Path repo;
    private static Path settings;

    record Run(int exit, String output) {
        Run expect(int status) {
            if (status == 0) assertEquals(0, exit, output);
            else assertNotEquals(0, exit, output);
            return this;
        }

        Run contains(String text) {
            assertTrue(output.contains(text), "expected '" + text + "' in:\n" + output);
            return this;
        }

        Run lacks(String text) {
            assertFalse(output.contains(text), "did not expect '" + text + "' in:\n" + output);
            return this;
        }
    }

    @BeforeAll
    static void setUp() throws IOException {
        // set by the integration-test execution only: -Dtest=... runs this class in the test phase too
        Assumptions.assumeTrue(System.getProperty("plinth.itDirectory") != null,
                "PlatformGoalsIT runs in the integration-test phase, after package (mvn verify)");
        mvn = findMaven();
        Assumptions.assumeTrue(mvn != null, "no mvn found (maven.home or PATH): the goals are not run through Maven");
        work = Path.of(System.getProperty("plinth.itDirectory")).toAbsolutePath();
        delete(work);
        repo = work.resolve("repo");
        // what the plugin needs: its jar, the runnable compiler jar and their POMs
        install("plinth-parent", PROJECT.resolve("parent/pom.xml"), null, null);
        install("plinth-compiler", PROJECT.resolve("compiler/pom.xml"), "cli", PROJECT.resolve("compiler/target/plinth-compiler-" + VERSION + "-cli.jar"));
        install("platform-maven-plugin", PROJECT.resolve("maven-plugin/pom.xml"), null,
                PROJECT.resolve("maven-plugin/target/platform-maven-plugin-" + VERSION + ".jar"));
        String outerRepo = Path.of(System.getProperty("plinth.localRepository",
                System.getProperty("user.home") + "/.m2/repository")).toAbsolutePath().toUri().toString();
        settings = work.resolve("settings.xml");
        // The build's local repository as a remote one, before Maven Central: releases only (the
        // plugin's snapshots are the ones installed above), without checksums (a local repository
        // has no checksum files). Central serves only what it lacks: nothing in this build.
        String buildLocal = "<id>build-local-repository</id><url>" + outerRepo + "</url>"
                + "<releases><checksumPolicy>ignore</checksumPolicy></releases><snapshots><enabled>false</enabled></snapshots>";
        Files.writeString(settings, """
                <settings>
                  <profiles>
                    <profile>
                      <id>build-local-repository</id>
                      <repositories><repository>%s</repository></repositories>
                      <pluginRepositories><pluginRepository>%s</pluginRepository></pluginRepositories>
                    </profile>
                  </profiles>
                  <activeProfiles><activeProfile>build-local-repository</activeProfile></activeProfiles>
                </settings>
                """.formatted(buildLocal, buildLocal));
    }

    private static String findMaven() {
        String home = System.getProperty("maven.home");
        if (home != null && Files.isExecutable(Path.of(home, "bin", "mvn"))) return Path.of(home, "bin", "mvn").toString();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "mvn"))) return Path.of(dir, "mvn").toString();
        }
        return null;
    }

    /** The artifact as `mvn install` would lay it out (a locally installed snapshot). */
    private static void install(String artifactId, Path pom, String classifier, Path jar) throws IOException {
        Path dir = repo.resolve("dev/plinth/" + artifactId + "/" + VERSION);
        Files.createDirectories(dir);
        Files.copy(pom, dir.resolve(artifactId + "-" + VERSION + ".pom"));
        if (jar != null) {
            assertTrue(Files.isRegularFile(jar), jar + " is missing: the build packs it before this test runs");
            Files.copy(jar, dir.resolve(artifactId + "-" + VERSION + (classifier == null ? "" : "-" + classifier) + ".jar"));
        }
    }

    /** A copy of the golden case's platform with a pom that declares the plugin. */
    private static Path platform(String name) throws IOException {
        Path dir = work.resolve(name);
        copy(GOLDEN.resolve("input"), dir);
        Files.writeString(dir.resolve("pom.xml"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>example</groupId>
                  <artifactId>shop-platform</artifactId>
                  <version>1</version>
                  <packaging>pom</packaging>
                  <build>
                    <plugins>
                      <plugin>
                        <groupId>dev.plinth</groupId>
                        <artifactId>platform-maven-plugin</artifactId>
                        <version>%s</version>
                      </plugin>
                    </plugins>
                  </build>
                </project>
                """.formatted(VERSION));
        return dir;
    }

    private static Run mvn(Path dir, String... args) throws IOException, InterruptedException {
        // no class-data archive but where a test asks for one: making it takes seconds
        List<String> cmd = new ArrayList<>(List.of(mvn, "-B", "-s", settings.toString(), "-Dmaven.repo.local=" + repo,
                "-Dplatform.cds=false"));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile(work, "mvn-", ".log");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        p.getOutputStream().close();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("mvn took more than 300 s: " + String.join(" ", cmd));
        }
        return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    @Test
    void renderValidateAndVerifyInAForkedJvmThatMakesAndMapsTheClassDataArchive() throws Exception {
        Path platform = platform("render");
        Path cds = work.resolve("cds");
        mvn(platform, "platform:render", "-Dplatform.cds=true", "-Dplatform.cdsDirectory=" + cds).expect(0)
                .contains("rendered 1 cluster").lacks("class-data archive");
        assertEquals(tree(GOLDEN.resolve("expected")), tree(platform.resolve("rendered")));
        // the second run makes the archive, and every run maps it: with -Xshare:on a JVM that cannot fails
        mvn(platform, "platform:validate", "platform:render", "platform:verify", "-Dplatform.cds=true", "-Dplatform.cdsDirectory=" + cds,
                "-Dplatform.jvmArgs=" + PlinthRun.DEFAULT_JVM_ARGS + " -Xshare:on").expect(0)
                .contains("class-data archive: making").contains("valid: 1 cluster").contains("up to date: 1 cluster")
                .contains("up to date: the committed output equals a fresh render");
        try (Stream<Path> files = Files.list(cds)) {
            assertEquals(1, files.filter(f -> f.toString().endsWith(".jsa")).count(), "one archive in " + cds);
        }
    }

    @Test
    void aBadSpecFailsTheBuildWithItsFileLineAndColumnForkedOrNot() throws Exception {
        Path platform = platform("bad");
        Path shop = platform.resolve("environments/live/apps/shop.yaml");
        Files.writeString(shop, Files.readString(shop).replace("port: 3000", "port: 70000"));
        mvn(platform, "platform:render").expect(1).contains(BAD_PORT_ERROR)
                .contains("plinth render failed (exit status 1): 1 error").contains("BUILD FAILURE");
        assertFalse(Files.exists(platform.resolve("rendered")), "nothing rendered");
        mvn(platform, "platform:validate", "-Dplatform.fork=false").expect(1).contains(BAD_PORT_ERROR)
                .contains("plinth validate failed (exit status 1): 1 error");
    }

    @Test
    void propertiesNameTheRootOutputEnvironmentAndFormatWithoutAProject() throws Exception {
        Path platform = platform("properties");
        Files.delete(platform.resolve("pom.xml"));
        Path elsewhere = Files.createDirectories(work.resolve("elsewhere"));
        Path output = work.resolve("properties-output");
        Run r = mvn(elsewhere, "-q", "dev.plinth:platform-maven-plugin:" + VERSION + ":render", "-Dplatform.root=" + platform,
                "-Dplatform.output=" + output, "-Dplatform.env=live", "-Dplatform.format=json", "-Dplatform.jobs=1",
                "-Dplatform.full=true").expect(0);
        assertTrue(r.output().contains("\"ok\" : true") && r.output().contains("\"findings\" : [ ]"), "the findings as JSON:\n" + r.output());
        assertEquals(tree(GOLDEN.resolve("expected")), tree(output));
        mvn(elsewhere, "dev.plinth:platform-maven-plugin:" + VERSION + ":validate", "-Dplatform.root=" + platform,
                "-Dplatform.env=nowhere").expect(1).contains("nowhere");
        mvn(elsewhere, "dev.plinth:platform-maven-plugin:" + VERSION + ":validate", "-Dplatform.root=" + platform,
                "-Dplatform.flows=true").expect(0).contains("allowed  dns");
        Path schemas = work.resolve("schemas");
        mvn(elsewhere, "dev.plinth:platform-maven-plugin:" + VERSION + ":schema", "-Dplatform.root=" + platform,
                "-Dplatform.output=" + schemas).expect(0).contains("wrote 5 schemas into " + schemas);
        assertTrue(Files.readString(schemas.resolve("application.schema.json")).contains("\"component-webservice\""));
    }

    @Test
    void publishDiffAndVerifyAgainstGitRepositories() throws Exception {
        Path platform = platform("git");
        Path remote = work.resolve("remote.git");
        Git.init().setBare(true).setDirectory(remote.toFile()).setInitialBranch("main").call().close();
        mvn(platform, "platform:publish", "-Dplatform.to=" + remote, "-Dplatform.branch=rendered").expect(0)
                .contains("published ").contains(" rendered as ");
        try (Git git = Git.open(remote.toFile())) {
            assertNotNull(git.getRepository().resolve("refs/heads/rendered"), "the branch was pushed");
        }
        try (Git git = Git.init().setDirectory(platform.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            git.commit().setMessage("base").setAuthor("ci", "ci@plinth.dev").setCommitter("ci", "ci@plinth.dev").setSign(false).call();
        }
        Path shop = platform.resolve("environments/live/apps/shop.yaml");
        Files.writeString(shop, Files.readString(shop).replace("{min: 3, max: 12", "{min: 2, max: 12"));
        // in Maven's JVM: the report on standard output, then verify finding the rendered output stale
        mvn(platform, "platform:diff", "platform:verify", "-Dplatform.base=HEAD", "-Dplatform.fork=false").expect(1)
                .contains("`capacity-lowered`").contains("[ERROR] stale: clusters/live-1/tenants/web/apps/shop/horizontalpodautoscaler-frontend.yaml")
                .contains("plinth verify failed (exit status 1): 1 stale file: render and commit again");
        // forked: the report into a file, and the build failing on the risk it flags
        Path report = work.resolve("diff.md");
        mvn(platform, "platform:diff", "-Dplatform.base=HEAD", "-Dplatform.output=" + report, "-Dplatform.failOn=medium").expect(1)
                .contains("[INFO] diff report written to " + report + ": 1 objects differ, 1 risk")
                .contains("plinth diff failed (exit status 1): a risk at or above medium is flagged in the report");
        assertTrue(Files.readString(report).contains("capacity-lowered"));
    }

    private static Map<String, String> tree(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.put(dir.relativize(f).toString(), Files.readString(f, StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(target);
                else Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static void delete(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
