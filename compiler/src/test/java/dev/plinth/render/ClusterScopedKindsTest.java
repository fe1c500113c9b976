package dev.plinth.render;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.model.annotation.Group;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which kinds get no namespace decides what the tenant-boundary check sees: a cluster-scoped kind
 * missing from the list would be stamped with the app's namespace and pass as the tenant's own.
 * The built-in kinds of the list are exactly those of fabric8's Kubernetes model that are not
 * Namespaced, so that a newer model cannot add one unnoticed.
 */
class ClusterScopedKindsTest {
    @Test
    void theBuiltInKindsAreThoseTheKubernetesModelServesWithoutANamespace() throws IOException {
        Set<String> model = new TreeSet<>();
        Set<String> builtInGroups = new TreeSet<>();
        ClassLoader cl = getClass().getClassLoader();
        Enumeration<URL> lists = cl.getResources("META-INF/services/io.fabric8.kubernetes.api.model.KubernetesResource");
        while (lists.hasMoreElements()) {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(lists.nextElement().openStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    Class<?> c;
                    try {
                        c = Class.forName(line.trim(), false, cl);
                    } catch (ClassNotFoundException | LinkageError e) {
                        continue;
                    }
                    Group g = c.getAnnotation(Group.class);
                    if (g == null || !HasMetadata.class.isAssignableFrom(c)) continue;
                    String group = g.value().isEmpty() ? "core" : g.value();
                    builtInGroups.add(group);
                    if (!Namespaced.class.isAssignableFrom(c)) model.add(group + "/" + c.getSimpleName());
                }
            }
        }
        assertTrue(model.containsAll(List.of("core/Namespace", "flowcontrol.apiserver.k8s.io/FlowSchema",
                "rbac.authorization.k8s.io/ClusterRole")), "the model was read: " + model);

        Set<String> listedBuiltIns = new TreeSet<>();
        for (String kind : listed()) {
            if (builtInGroups.contains(kind.substring(0, kind.indexOf('/')))) listedBuiltIns.add(kind);
        }
        assertEquals(model, listedBuiltIns);
        assertTrue(Renderer.isClusterScoped("flowcontrol.apiserver.k8s.io/v1", "FlowSchema"));
        assertTrue(Renderer.isClusterScoped("v1", "Namespace"));
        assertFalse(Renderer.isClusterScoped("apps/v1", "Deployment"));
    }

    private static List<String> listed() throws IOException {
        List<String> out = new ArrayList<>();
        try (var in = Renderer.class.getResourceAsStream("/dev/plinth/render/cluster-scoped-kinds.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                line = line.trim();
                if (!line.isEmpty() && !line.startsWith("#")) out.add(line);
            }
        }
        return out;
    }
}
