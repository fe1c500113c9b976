package dev.plinth.render;

import dev.plinth.TestSupport;
import dev.plinth.TestSupport.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Charts render to the same bytes wherever and whenever they render (issue 18): functions of the
 * clock, randomness or a cluster are refused unless a component allows them by name, and nothing
 * of the machine (time zone, locale, encoding, home and Helm folders, working directory, output
 * path, the order files were written in) reaches the output.
 */
class ChartDeterminismTest {
    private static final String CHART_CASE = "tests/golden/b12-helm-create-chart";

    @TempDir
    Path tmp;

    /** b08-helm with an extra template and the app's properties. */
    private Path helmPlatform(String template, String extraProperties) throws IOException {
        Path root = tmp.resolve("helm");
        TestSupport.copyTree(TestSupport.projectRoot().resolve("tests/golden/b08-helm/input"), root);
        Files.writeString(root.resolve("environments/live/apps/charts/web/templates/extra.yaml"), template);
        Files.writeString(root.resolve("environments/live/apps/app.yaml"), """
                apiVersion: plinth.dev/v1alpha1
                kind: Application
                metadata: {name: site, tenant: data}
                spec:
                  components:
                    - name: web
                      type: helm
                      properties:
                        chart: charts/web
                        values: {replicas: 3}
                """ + extraProperties);
        return root;
    }

    private static final String RANDOM_AND_CLUSTER = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: extra
            data:
              seed: {{ randNumeric 9 | quote }}
              host: {{ getHostByName "localhost" | quote }}
              cluster: {{ (lookup "v1" "Namespace" "" "default").metadata | default "none" | quote }}
            """;

    @Test
    void aRefusedCallIsReportedAtTheChartLineNamingChartFileAndLine() throws IOException {
        Path root = helmPlatform(RANDOM_AND_CLUSTER, "        allowNonDeterministic: [randNumeric]\n");
        Run r = TestSupport.render(root, tmp.resolve("out"), false);
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("environments/live/apps/app.yaml:9:16: error: chart 'charts/web' of component 'web' is refused: "
                + "environments/live/apps/charts/web/templates/extra.yaml:8: calls lookup, whose result depends on a cluster or the network"
                + ", so the chart renders differently every time (lookup cannot be allowed: Helm would ask a cluster)"), r.err());
        assertTrue(r.err().contains("extra.yaml:7: calls getHostByName, whose result depends on a cluster or the network"
                + ", so the chart renders differently every time (allowNonDeterministic: [getHostByName] accepts that)"), r.err());
        assertTrue(!r.err().contains("calls randNumeric"), r.err()); // allowed by name
    }

    @Test
    void allowedFunctionsRenderAndBreakTheByteIdenticalPromiseAsDocumented() throws IOException {
        Path root = helmPlatform(RANDOM_AND_CLUSTER.replaceAll("(?m)^  cluster:.*\n", ""), "        allowNonDeterministic: [getHostByName, randNumeric]\n");
        Run first = TestSupport.render(root, tmp.resolve("out1"), false);
        Run second = TestSupport.render(root, tmp.resolve("out2"), false);
        assertEquals(0, first.exit(), first.out() + first.err());
        assertEquals(0, second.exit(), second.out() + second.err());
        String cm1 = configMap(tmp.resolve("out1"));
        String cm2 = configMap(tmp.resolve("out2"));
        assertTrue(cm1.matches("(?s).*seed: '[0-9]{9}'\\n.*"), cm1);
        assertTrue(cm1.contains("host: ''"), cm1); // Helm's DNS lookups are off: getHostByName gives nothing
        assertNotEquals(cm1, cm2); // a new token every render
    }

    private static String configMap(Path out) {
        return TestSupport.readTree(out).entrySet().stream().filter(e -> e.getKey().endsWith("/configmap-extra.yaml"))
                .map(Map.Entry::getValue).findFirst().orElseThrow(() -> new AssertionError(TestSupport.readTree(out).keySet()));
    }

    @Test
    void anUnknownNameInTheAllowListIsAnErrorAtItsLine() throws IOException {
        // lookup may not be allowed: the Helm inside Plinth would ask the cluster KUBECONFIG names
        Path root = helmPlatform("# nothing\n", "        allowNonDeterministic:\n          - uuidv4\n          - env\n          - lookup\n");
        Run r = TestSupport.render(root, tmp.resolve("out"), false);
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("environments/live/apps/app.yaml:13:13: error:") && r.err().contains("'env' is not one of"), r.err());
        assertTrue(r.err().contains("environments/live/apps/app.yaml:14:13: error:") && r.err().contains("'lookup' is not one of"), r.err());
        assertTrue(!r.err().contains("uuidv4'"), r.err());
    }

    /** Same JVM: another time zone, locale, platform path, output path and file order. */
    @Test
    void aChartRendersToTheSameBytesUnderAnotherZoneLocalePathAndFileOrder() throws IOException {
        Path a = tmp.resolve("a");
        TestSupport.copyTree(TestSupport.projectRoot().resolve(CHART_CASE + "/input"), a);
        Path b = tmp.resolve("elsewhere/deeper/b");
        copyInReverseOrder(TestSupport.projectRoot().resolve(CHART_CASE + "/input"), b);
        Run first = TestSupport.render(a, tmp.resolve("out"), true);
        assertEquals(0, first.exit(), first.out() + first.err());
        Locale locale = Locale.getDefault();
        TimeZone zone = TimeZone.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("tr-TR"));
            TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Kiritimati"));
            Run second = TestSupport.render(b, tmp.resolve("other/place/out"), true);
            assertEquals(0, second.exit(), second.out() + second.err());
        } finally {
            Locale.setDefault(locale);
            TimeZone.setDefault(zone);
        }
        assertSameBytes(tmp.resolve("out"), tmp.resolve("other/place/out"));
        assertSameBytes(TestSupport.projectRoot().resolve(CHART_CASE + "/expected"), tmp.resolve("out"));
    }

    /**
     * Another process, as on another machine: TZ, LANG/LC_ALL, HOME and Helm's folders, the JVM's
     * locale, zone and default encoding, the working directory, and a relative platform path.
     */
    @Test
    void aChartRendersToTheSameBytesInAProcessWithAnotherEnvironment() throws IOException, InterruptedException {
        Path here = tmp.resolve("here");
        TestSupport.copyTree(TestSupport.projectRoot().resolve(CHART_CASE + "/input"), here.resolve("platform"));
        Path home = Files.createDirectories(tmp.resolve("home"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.language=tr", "-Duser.country=TR", "-Duser.timezone=Asia/Kathmandu", "-Dfile.encoding=ISO-8859-1",
                "-Duser.home=" + home, "-cp", System.getProperty("java.class.path"), "dev.plinth.cli.PlinthCli",
                "render", "-r", "platform", "-o", "rendered/out"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(here.toFile()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("process.log").toFile());
        Map<String, String> env = pb.environment();
        env.put("TZ", "America/St_Johns");
        env.put("LANG", "tr_TR.UTF-8");
        env.put("LC_ALL", "tr_TR.UTF-8");
        env.put("HOME", home.toString());
        env.put("XDG_CACHE_HOME", home.resolve("xdg-cache").toString());
        env.put("HELM_CACHE_HOME", home.resolve("helm-cache").toString());
        env.put("HELM_CONFIG_HOME", home.resolve("helm-config").toString());
        env.put("HELM_DATA_HOME", home.resolve("helm-data").toString());
        env.put("HELM_NAMESPACE", "somewhere-else");
        env.put("HELM_KUBEVERSION", "v1.20.0");
        env.put("KUBECONFIG", home.resolve("no-such-kubeconfig").toString());
        Process p = pb.start();
        assertEquals(0, p.waitFor(), Files.readString(tmp.resolve("process.log"), StandardCharsets.ISO_8859_1));
        assertSameBytes(TestSupport.projectRoot().resolve(CHART_CASE + "/expected"), here.resolve("rendered/out"));
    }

    /** The two trees hold the same files with the same bytes. */
    private static void assertSameBytes(Path expected, Path actual) throws IOException {
        List<String> want = files(expected);
        assertEquals(want, files(actual));
        for (String f : want) {
            assertTrue(java.util.Arrays.equals(Files.readAllBytes(expected.resolve(f)), Files.readAllBytes(actual.resolve(f))),
                    f + " differs:\n" + Files.readString(actual.resolve(f)));
        }
    }

    private static List<String> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(f -> dir.relativize(f).toString().replace('\\', '/')).sorted().toList();
        }
    }

    /** A copy whose folders and files are created in reverse name order, so listings come out in another order where the file system keeps creation order. */
    private static void copyInReverseOrder(Path from, Path to) throws IOException {
        List<Path> all;
        try (Stream<Path> s = Files.walk(from)) {
            all = s.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path f : all) {
            Path target = to.resolve(from.relativize(f).toString());
            if (Files.isDirectory(f)) {
                Files.createDirectories(target);
            } else {
                Files.createDirectories(target.getParent());
                Files.copy(f, target);
            }
        }
    }
}
