package dev.plinth.render;

import com.sun.jna.Library;
import com.sun.jna.Native;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Keeps Helm's template engine away from every cluster. helm-java's native library builds a
 * Kubernetes client from the process environment (KUBECONFIG, ~/.kube/config, the in-cluster
 * service account), and a chart's {@code lookup}, even one assembled at render time and passed to
 * {@code tpl}, which no inspection of the templates can see, then reads objects of that cluster
 * (Secrets included) into the output. Before the library loads (its Go runtime copies the
 * environment when it starts), this points the process's environment at a kubeconfig without
 * credentials whose server is a closed local port, and removes what names another cluster or
 * identity; a lookup then fails, and nothing is read. It changes the environment of the process
 * (the JVM that renders: the CLI's, a goal's fork, or Maven's with {@code platform.fork=false});
 * Java's view of the environment ({@link System#getenv}) is a copy made at start and does not
 * change.
 */
final class HelmIsolation {
    /** No Kubernetes API server listens there: port 1 on the loopback address is closed. */
    static final String NOWHERE = "https://127.0.0.1:1";
    /** Variables that name a cluster, credentials or an identity to impersonate. */
    private static final List<String> REMOVED = List.of("KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT",
            "HELM_KUBECONTEXT", "HELM_KUBETOKEN", "HELM_KUBEASUSER", "HELM_KUBEASGROUPS", "HELM_KUBECAFILE",
            "HELM_KUBETLS_SERVER_NAME", "HELM_KUBEINSECURE_SKIP_TLS_VERIFY");

    private static boolean done;

    private HelmIsolation() {
    }

    /** The C library's environment functions. */
    private interface LibC extends Library {
        int setenv(String name, String value, int overwrite);

        int unsetenv(String name);
    }

    /** Once per process, before the first use of helm-java. */
    static synchronized void apply() {
        if (done) return;
        try {
            Path kubeconfig = Files.createTempFile("plinth-kubeconfig", ".yaml");
            kubeconfig.toFile().deleteOnExit();
            Files.writeString(kubeconfig, """
                    apiVersion: v1
                    kind: Config
                    clusters: [{name: none, cluster: {server: "%s"}}]
                    contexts: [{name: none, context: {cluster: none, user: none}}]
                    users: [{name: none, user: {}}]
                    current-context: none
                    """.formatted(NOWHERE));
            LibC c = Native.load("c", LibC.class);
            c.setenv("KUBECONFIG", kubeconfig.toString(), 1);
            c.setenv("HELM_KUBEAPISERVER", NOWHERE, 1);
            for (String name : REMOVED) c.unsetenv(name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the empty kubeconfig that keeps Helm off every cluster", e);
        }
        done = true;
    }
}
