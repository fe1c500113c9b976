package dev.plinth.render;

import dev.plinth.TestSupport;
import dev.plinth.TestSupport.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A custom resource whose CRD (among the platform's) is cluster-scoped gets no namespace, so an
 * app that renders one is caught by the tenant-boundary check; and when the CRD's scope changes,
 * no unit's kept YAML (which has the namespace in it, or not) is reused.
 */
class CustomResourceScopeTest {
    @TempDir
    Path tmp;

    private static final String CRD = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: gates.example.com}
            spec:
              group: example.com
              names: {kind: Gate, plural: gates}
              scope: %s
              versions:
                - name: v1
                  served: true
                  storage: true
                  schema:
                    openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
            """;

    private static final String APP = TestSupport.k8sObjectsApp("raw", "team", """
            - {apiVersion: example.com/v1, kind: Gate, metadata: {name: front}, spec: {open: true}}
            """);

    @Test
    void aNamespaceOnAClusterScopedObjectIsDroppedAndANullOneFilledIn() {
        Path root = platform();
        Path app = root.resolve("environments/live/apps/raw.yaml");
        TestSupport.write(app, APP.replace("{apiVersion: example.com/v1, kind: Gate, metadata: {name: front}, spec: {open: true}}",
                "{apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRole, metadata: {name: front, namespace: team}, rules: []}"));
        Run refused = TestSupport.render(root, tmp.resolve("out"), false);
        assertEquals(1, refused.exit(), refused.err());
        assertTrue(refused.err().contains("error[tenant-boundary]: application 'raw' renders cluster-scoped ClusterRole 'front'"),
                refused.err());

        TestSupport.write(app, APP.replace("{apiVersion: example.com/v1, kind: Gate, metadata: {name: front}, spec: {open: true}}",
                "{apiVersion: v1, kind: ConfigMap, metadata: {name: front, namespace: null}, data: {a: b}}"));
        Run ok = TestSupport.render(root, tmp.resolve("out"), false);
        assertEquals(0, ok.exit(), ok.err());
        String configMap = TestSupport.readTree(tmp.resolve("out")).entrySet().stream()
                .filter(e -> e.getKey().endsWith("configmap-front.yaml")).map(Map.Entry::getValue).findFirst().orElseThrow();
        assertTrue(configMap.contains("namespace: team"), configMap);
    }

    @Test
    void aClusterScopedCustomResourceGetsNoNamespaceAndIsOutsideTheTenant() {
        Path root = platform();
        Path app = root.resolve("environments/live/apps/raw.yaml");
        TestSupport.write(app, APP);
        Path out = tmp.resolve("out");

        Run refused = TestSupport.render(root, out, false);
        assertEquals(1, refused.exit(), refused.err());
        assertTrue(refused.err().contains("error[tenant-boundary]: application 'raw' renders cluster-scoped Gate 'front'"),
                refused.err());

        TestSupport.write(app, APP + "  waivers:\n    - {check: tenant-boundary, reason: the platform team's gate}\n");
        assertEquals(0, TestSupport.render(root, out, false).exit());
        String gate = gateFile(out);
        assertFalse(gate.contains("namespace:"), gate);

        // the same unit, now namespaced: its kept YAML (without a namespace) must not be reused
        TestSupport.write(root.resolve("crds/gates.yaml"), CRD.formatted("Namespaced"));
        assertEquals(0, TestSupport.render(root, out, false).exit());
        Path full = tmp.resolve("full");
        assertEquals(0, TestSupport.render(root, full, true).exit());
        assertEquals(TestSupport.readTree(full), TestSupport.readTree(out));
        assertTrue(gateFile(out).contains("namespace: team"), gateFile(out));
    }

    @Test
    void crdsGivenOnlyToValidateWithDoNotChangeWhatIsRendered() {
        Path root = platform();
        TestSupport.deleteTree(root.resolve("crds"));
        TestSupport.write(root.resolve("environments/live/apps/raw.yaml"), APP);
        // --crds: a cluster-scoped CRD of a kind the platform has no CRD for, and a document that
        // is not the shape of a CRD
        Path extra = tmp.resolve("extra");
        TestSupport.write(extra.resolve("gates.yaml"), CRD.formatted("Cluster").replace("gates.example.com", "gates2.example.com")
                + "---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: odd}\nspec: [not, a, map]\n");
        Run with = TestSupport.plinth("render", "-r", root.toString(), "-o", tmp.resolve("with").toString(), "--crds", extra.toString());
        assertEquals(0, with.exit(), with.err());
        assertEquals(0, TestSupport.render(root, tmp.resolve("without"), true).exit());
        assertEquals(TestSupport.readTree(tmp.resolve("without")), TestSupport.readTree(tmp.resolve("with")));
        assertTrue(gateFile(tmp.resolve("with")).contains("namespace: team"));

        // the same kind in spec.crds, defined otherwise: two schemas for one kind are an error
        TestSupport.write(root.resolve("crds/gates.yaml"), CRD.formatted("Namespaced"));
        Run both = TestSupport.plinth("validate", "-r", root.toString(), "--crds", extra.toString());
        assertEquals(1, both.exit(), both.err());
        assertTrue(both.err().contains("two different CRDs of Gate (example.com): crds/gates.yaml and "), both.err());
    }

    @Test
    void aBrokenCrdFileAndABrokenAppAreBothReported() {
        Path root = platform();
        TestSupport.write(root.resolve("crds/broken.yaml"), "kind: CustomResourceDefinition\nspec: {names: [\n");
        TestSupport.write(root.resolve("environments/live/apps/raw.yaml"), APP.replace("type: k8s-objects", "type: no-such-type"));
        Run r = TestSupport.render(root, tmp.resolve("out"), false);
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("crds/broken.yaml"), r.err());
        assertTrue(r.err().contains("no-such-type"), r.err());
    }

    /** A platform with a CRD of scope Cluster (spec.crds) and a tenant; apps are added by each test. */
    private Path platform() {
        Path root = tmp.resolve("platform");
        TestSupport.write(root.resolve("platform.yaml"), """
                apiVersion: plinth.dev/v1alpha1
                kind: Platform
                metadata: {name: scopes}
                spec:
                  crds: [crds]
                """);
        TestSupport.write(root.resolve("crds/gates.yaml"), CRD.formatted("Cluster"));
        TestSupport.write(root.resolve("environments/live/environment.yaml"), """
                apiVersion: plinth.dev/v1alpha1
                kind: Environment
                metadata: {name: live}
                spec:
                  clusters:
                    - {name: live-1, kubeVersion: "1.31", operators: {example.com: "1"}}
                """);
        TestSupport.write(root.resolve("environments/live/tenants/team.yaml"), """
                apiVersion: plinth.dev/v1alpha1
                kind: Tenant
                metadata: {name: team}
                spec:
                  network: {isolation: none}
                """);
        return root;
    }

    private static String gateFile(Path out) {
        Map<String, String> tree = TestSupport.readTree(out);
        return tree.entrySet().stream().filter(e -> e.getKey().endsWith("gate-front.yaml")).map(Map.Entry::getValue)
                .findFirst().orElseThrow(() -> new AssertionError("no gate-front.yaml in " + tree.keySet()));
    }
}
