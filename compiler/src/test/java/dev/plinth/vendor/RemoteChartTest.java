package dev.plinth.vendor;

import com.marcnuri.helm.Helm;
import com.sun.net.httpserver.HttpServer;
import dev.plinth.TestSupport;
import dev.plinth.TestSupport.Run;
import dev.plinth.render.ChartLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.plinth.cli.PlinthCli.INPUT_ERRORS;
import static dev.plinth.cli.PlinthCli.OK;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Remote charts (docs/spec.md, Remote charts): {@code plinth vendor} against a Helm repository and
 * an OCI registry served on the loopback address; render and validate afterwards with the server
 * stopped, from vendor/charts/ checked against plinth.lock.
 */
class RemoteChartTest {
    @TempDir
    Path tmp;

    private HttpServer server;
    private final Map<String, byte[]> served = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
    }

    /** The b08-helm platform, with its chart packaged and served, the app naming it by {@code chart} (YAML). */
    private Path platform(String chart) throws IOException {
        Path root = tmp.resolve("root");
        TestSupport.copyTree(TestSupport.projectRoot().resolve("tests/golden/b08-helm/input"), root);
        Path packaged = tmp.resolve("packaged");
        Files.createDirectories(packaged);
        new Helm(root.resolve("environments/live/apps/charts/web")).packageIt().withDestination(packaged).call();
        byte[] tgz = Files.readAllBytes(packaged.resolve("web-0.1.0.tgz"));
        String digest = ChartLock.digest(tgz).substring("sha256:".length());
        served.put("/stable/index.yaml", ("""
                apiVersion: v1
                entries:
                  web:
                    - {name: web, version: 0.2.0, urls: [web-0.2.0.tgz], digest: "%s"}
                    - {name: web, version: 0.1.0, urls: [charts/web-0.1.0.tgz], digest: "%s"}
                """.formatted("0".repeat(64), digest)).getBytes(StandardCharsets.UTF_8));
        served.put("/stable/charts/web-0.1.0.tgz", tgz);
        // an OCI registry that asks for an anonymous bearer token, as ghcr.io and Docker Hub do
        String layer = "sha256:" + digest;
        served.put("/v2/charts/web/manifests/0.1.0", ("""
                {"schemaVersion": 2, "config": {"mediaType": "application/vnd.cncf.helm.config.v1+json", "digest": "sha256:%s", "size": 2},
                 "layers": [{"mediaType": "application/vnd.cncf.helm.chart.content.v1.tar+gzip", "digest": "%s", "size": %d}]}
                """.formatted("1".repeat(64), layer, tgz.length)).getBytes(StandardCharsets.UTF_8));
        served.put("/v2/charts/web/blobs/" + layer, tgz);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            String path = exchange.getRequestURI().getPath();
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            byte[] body = served.get(path);
            if (path.equals("/token")) {
                body = "{\"token\": \"anonymous\"}".getBytes(StandardCharsets.UTF_8);
            } else if (path.startsWith("/v2/") && !"Bearer anonymous".equals(auth)) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"http://127.0.0.1:"
                        + server.getAddress().getPort() + "/token\",service=\"test\",scope=\"repository:charts/web:pull\"");
                exchange.sendResponseHeaders(401, -1);
                exchange.close();
                return;
            }
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        Path app = root.resolve("environments/live/apps/app.yaml");
        Files.writeString(app, Files.readString(app).replace("chart: charts/web",
                chart.replace("PORT", String.valueOf(server.getAddress().getPort()))));
        return root;
    }

    private static Run vendor(Path root) {
        return TestSupport.plinth("vendor", "-r", root.toString());
    }

    /** The local chart's render, which the vendored copy of the same chart must equal. */
    private Map<String, String> localRender() {
        Path out = tmp.resolve("local-out");
        Run r = TestSupport.render(TestSupport.projectRoot().resolve("tests/golden/b08-helm/input"), out, true);
        assertEquals(OK, r.exit(), r.err());
        return TestSupport.readTree(out);
    }

    @Test
    void aRepositoryChartIsVendoredPinnedAndRenderedWithoutTheNetwork() throws Exception {
        Path root = platform("chart: {repo: http://127.0.0.1:PORT/stable/, name: web, version: 0.1.0}");
        String repo = "http://127.0.0.1:" + server.getAddress().getPort() + "/stable";

        Run before = TestSupport.plinth("validate", "-r", root.toString());
        assertEquals(INPUT_ERRORS, before.exit(), before.out() + before.err());
        assertTrue(before.err().contains("environments/live/apps/app.yaml:9:16: error: component 'web': chart " + repo
                + " web 0.1.0 is not in plinth.lock: run plinth vendor"), before.err());
        assertEquals(0, requests.get(), "validate never uses the network");

        Run v = vendor(root);
        assertEquals(OK, v.exit(), v.err());
        assertEquals("downloaded vendor/charts/web-0.1.0.tgz\n1 chart pinned in plinth.lock\n", v.out());
        byte[] lock = Files.readAllBytes(root.resolve("plinth.lock"));
        assertEquals("""
                # Written by `plinth vendor`: the remote Helm charts in vendor/charts/, pinned by digest. Do not edit.
                charts:
                - digest: %s
                  name: web
                  source: %s
                  url: %s/charts/web-0.1.0.tgz
                  version: 0.1.0
                """.formatted(ChartLock.digest(served.get("/stable/charts/web-0.1.0.tgz")), repo, repo), new String(lock, StandardCharsets.UTF_8));
        assertArrayEquals(served.get("/stable/charts/web-0.1.0.tgz"), Files.readAllBytes(root.resolve("vendor/charts/web-0.1.0.tgz")));

        // a second run finds the chart vendored with its digest: same lock, no download
        int asked = requests.get();
        Run again = vendor(root);
        assertEquals(OK, again.exit(), again.err());
        assertEquals("1 chart pinned in plinth.lock\n", again.out());
        assertArrayEquals(lock, Files.readAllBytes(root.resolve("plinth.lock")));
        assertEquals(asked, requests.get());

        server.stop(0);
        server = null;
        Path out = tmp.resolve("out");
        Run render = TestSupport.render(root, out, true);
        assertEquals(OK, render.exit(), render.err());
        assertEquals(localRender(), TestSupport.readTree(out));

        // a changed archive is refused at the chart line
        Path archive = root.resolve("vendor/charts/web-0.1.0.tgz");
        byte[] tampered = Files.readAllBytes(archive);
        tampered[tampered.length - 1] ^= 1;
        Files.write(archive, tampered);
        Run bad = TestSupport.plinth("validate", "-r", root.toString());
        assertEquals(INPUT_ERRORS, bad.exit());
        assertTrue(bad.err().contains("app.yaml:9:16: error: component 'web': the digest of vendor/charts/web-0.1.0.tgz (sha256:"), bad.err());
        assertTrue(bad.err().contains("differs from plinth.lock"), bad.err());

        // a missing one too
        Files.delete(archive);
        Run missing = TestSupport.render(root, out, false);
        assertEquals(INPUT_ERRORS, missing.exit());
        assertTrue(missing.err().contains("app.yaml:9:16: error: component 'web': chart " + repo
                + " web 0.1.0 is not vendored (vendor/charts/web-0.1.0.tgz is missing or not a regular file): run plinth vendor"), missing.err());
    }

    @Test
    void anOciChartIsPulledWithAnAnonymousToken() throws Exception {
        Path root = platform("chart: oci://127.0.0.1:PORT/charts/web\n        version: 0.1.0");
        Run v = vendor(root);
        assertEquals(OK, v.exit(), v.err());
        String lock = Files.readString(root.resolve("plinth.lock"));
        String ref = "oci://127.0.0.1:" + server.getAddress().getPort() + "/charts/web";
        assertTrue(lock.contains("source: " + ref + "\n") && lock.contains("url: " + ref + ":0.1.0\n"), lock);
        server.stop(0);
        server = null;
        Path out = tmp.resolve("out");
        Run render = TestSupport.render(root, out, true);
        assertEquals(OK, render.exit(), render.err());
        assertEquals(localRender(), TestSupport.readTree(out));
    }

    @Test
    void aMirrorIsFetchedFromWhileTheLockRecordsTheDeclaredUrl() throws Exception {
        Path root = platform("chart: {repo: https://charts.example.com/stable, name: web, version: 0.1.0}");
        Run v = TestSupport.plinth("vendor", "-r", root.toString(),
                "--mirror", "https://charts.example.com/stable=http://127.0.0.1:" + server.getAddress().getPort() + "/stable");
        assertEquals(OK, v.exit(), v.err());
        String lock = Files.readString(root.resolve("plinth.lock"));
        assertTrue(lock.contains("  source: https://charts.example.com/stable\n")
                && lock.contains("  url: https://charts.example.com/stable/charts/web-0.1.0.tgz\n"), lock);
        assertFalse(lock.contains("127.0.0.1"), lock);
    }

    @Test
    void vendorReportsAnUnknownVersionAtTheChartLineAndWritesNothing() throws Exception {
        Path root = platform("chart: {repo: http://127.0.0.1:PORT/stable, name: web, version: 0.3.0}");
        Run v = vendor(root);
        assertEquals(INPUT_ERRORS, v.exit(), v.out());
        assertTrue(v.err().contains("app.yaml:9:16: error: cannot vendor chart http://127.0.0.1:" + server.getAddress().getPort()
                + "/stable web 0.3.0: the repository has no version 0.3.0 of chart 'web'"), v.err());
        assertFalse(Files.exists(root.resolve("plinth.lock")));
        assertFalse(Files.exists(root.resolve("vendor")));
    }

    @Test
    void aPublishedDigestThatDiffersIsAnError() throws Exception {
        Path root = platform("chart: {repo: http://127.0.0.1:PORT/stable, name: web, version: 0.2.0}");
        served.put("/stable/web-0.2.0.tgz", served.get("/stable/charts/web-0.1.0.tgz"));
        Run v = vendor(root);
        assertEquals(INPUT_ERRORS, v.exit(), v.out());
        assertTrue(v.err().contains("differs from the one index.yaml publishes"), v.err());
        assertFalse(Files.exists(root.resolve("vendor/charts/web-0.2.0.tgz")));
    }

    @Test
    void rangesAndStrayVersionsAreRefused() throws Exception {
        Path root = platform("chart: {repo: http://127.0.0.1:PORT/stable, name: web, version: ^0.1.0}");
        Run v = TestSupport.plinth("validate", "-r", root.toString());
        assertEquals(INPUT_ERRORS, v.exit(), v.out());
        assertTrue(v.err().contains("app.yaml:9:16: error: component 'web': version '^0.1.0' is not an exact chart version"), v.err());
        Path app = root.resolve("environments/live/apps/app.yaml");
        Files.writeString(app, Files.readString(app).replaceAll("chart: \\{.*}", "chart: oci://127.0.0.1/charts/web"));
        Run noVersion = TestSupport.plinth("validate", "-r", root.toString());
        assertTrue(noVersion.err().contains("app.yaml:9:16: error: component 'web': chart 'oci://127.0.0.1/charts/web' needs a 'version'"), noVersion.err());
    }
}
