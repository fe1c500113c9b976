package dev.plinth.render;

import com.sun.net.httpserver.HttpServer;
import dev.plinth.TestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A chart cannot read a cluster, whatever the environment of the render names: a {@code lookup}
 * the template inspection cannot see (a values string handed to {@code tpl}) reaches no API
 * server, although KUBECONFIG and the in-cluster variables point at one that would answer.
 */
class HelmIsolationTest {
    @TempDir
    Path tmp;

    @Test
    void aLookupThroughTplReachesNoCluster() throws IOException, InterruptedException {
        AtomicInteger requests = new AtomicInteger();
        HttpServer api = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        api.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] secret = """
                    {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db", "namespace": "default"},
                     "data": {"password": "czNjcjN0LWxlYWtlZA=="}}""".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, secret.length);
            exchange.getResponseBody().write(secret);
            exchange.close();
        });
        api.start();
        try {
            String server = "http://127.0.0.1:" + api.getAddress().getPort();
            Path kubeconfig = tmp.resolve("kubeconfig");
            Files.writeString(kubeconfig, """
                    apiVersion: v1
                    kind: Config
                    clusters: [{name: ci, cluster: {server: "%s"}}]
                    contexts: [{name: ci, context: {cluster: ci, user: ci}}]
                    users: [{name: ci, user: {token: ci-token}}]
                    current-context: ci
                    """.formatted(server));
            Path platform = tmp.resolve("platform");
            TestSupport.copyTree(TestSupport.projectRoot().resolve("tests/golden/b08-helm/input"), platform);
            Path chart = platform.resolve("environments/live/apps/charts/web");
            // the inspection reads templates; this lookup only exists once tpl has run
            Files.writeString(chart.resolve("values.yaml"), Files.readString(chart.resolve("values.yaml"))
                    + "\nprobe: '{{ (lookup \"v1\" \"Secret\" \"default\" \"db\") | toJson }}'\n");
            Files.writeString(chart.resolve("templates/probe.yaml"), """
                    apiVersion: v1
                    kind: ConfigMap
                    metadata: {name: probe}
                    data:
                      found: {{ tpl .Values.probe . | quote }}
                    """);
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "dev.plinth.cli.PlinthCli",
                    "render", "-r", platform.toString(), "-o", tmp.resolve("out").toString()));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("log").toFile());
            pb.environment().put("KUBECONFIG", kubeconfig.toString());
            pb.environment().put("HELM_KUBEAPISERVER", server);
            pb.environment().put("KUBERNETES_SERVICE_HOST", "127.0.0.1");
            pb.environment().put("KUBERNETES_SERVICE_PORT", String.valueOf(api.getAddress().getPort()));
            pb.environment().put("HOME", Files.createDirectories(tmp.resolve("home")).toString());
            pb.start().waitFor();
            String log = Files.readString(tmp.resolve("log"));
            assertEquals(0, requests.get(), "the render asked the API server; its log:\n" + log);
            String out = TestSupport.readTree(tmp.resolve("out")).toString();
            assertFalse(out.contains("czNjcjN0") || out.contains("s3cr3t"), out);
        } finally {
            api.stop(0);
        }
    }
}
