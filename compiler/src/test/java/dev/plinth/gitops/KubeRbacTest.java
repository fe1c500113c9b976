package dev.plinth.gitops;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The RBAC model of what Flux's impersonated account may do. */
class KubeRbacTest {

    private static Map<String, Object> binding(String namespace, String roleKind, String role) {
        return Map.of("apiVersion", "rbac.authorization.k8s.io/v1", "kind", "RoleBinding",
                "metadata", Map.of("name", "b-" + role, "namespace", namespace),
                "roleRef", Map.of("apiGroup", "rbac.authorization.k8s.io", "kind", roleKind, "name", role),
                "subjects", List.of(Map.of("kind", "ServiceAccount", "name", "deployer", "namespace", "team")));
    }

    private static boolean can(KubeRbac rbac, String verb, String group, String resource, String namespace) {
        return rbac.allows("team", "deployer", verb, group, resource, namespace, "x");
    }

    @Test
    void adminGrantsBuiltInNamespacedKindsOnly() {
        KubeRbac rbac = new KubeRbac();
        rbac.add(binding("team", "ClusterRole", "admin"));
        for (String verb : List.of("get", "create", "patch", "delete")) {
            assertTrue(can(rbac, verb, "apps", "deployments", "team"), verb);
            assertTrue(can(rbac, verb, "networking.k8s.io", "networkpolicies", "team"), verb);
            assertTrue(can(rbac, verb, "", "secrets", "team"), verb);
            assertTrue(can(rbac, verb, "rbac.authorization.k8s.io", "roles", "team"), verb);
            assertTrue(can(rbac, verb, "policy", "poddisruptionbudgets", "team"), verb);
        }
        // read-only through view: the tenant's own boundaries
        assertTrue(can(rbac, "get", "", "resourcequotas", "team"));
        assertFalse(can(rbac, "create", "", "resourcequotas", "team"));
        assertFalse(can(rbac, "patch", "", "limitranges", "team"));
        assertFalse(can(rbac, "create", "", "endpoints", "team"));
        assertFalse(can(rbac, "create", "discovery.k8s.io", "endpointslices", "team"));
        // no custom resources, nothing in another namespace, nothing cluster-scoped
        assertFalse(can(rbac, "create", "kafka.strimzi.io", "kafkas", "team"));
        assertFalse(can(rbac, "get", "apps", "deployments", "other"));
        assertFalse(can(rbac, "create", "", "namespaces", null));
        // another subject has nothing
        assertFalse(rbac.allows("team", "someone", "get", "apps", "deployments", "team", "x"));
    }

    @Test
    void aggregatedClusterRolesAndRoles() {
        KubeRbac rbac = new KubeRbac();
        rbac.add(binding("team", "ClusterRole", "admin"));
        rbac.add(Map.of("apiVersion", "rbac.authorization.k8s.io/v1", "kind", "ClusterRole",
                "metadata", Map.of("name", "kafka-edit", "labels", Map.of(KubeRbac.EDIT_LABEL, "true")),
                "rules", List.of(Map.of("apiGroups", List.of("kafka.strimzi.io"), "resources", List.of("*"), "verbs", List.of("*")))));
        rbac.add(Map.of("apiVersion", "rbac.authorization.k8s.io/v1", "kind", "ClusterRole",
                "metadata", Map.of("name", "unlabelled"),
                "rules", List.of(Map.of("apiGroups", List.of("flink.apache.org"), "resources", List.of("*"), "verbs", List.of("*")))));
        // aggregated to edit, so to admin
        assertTrue(can(rbac, "create", "kafka.strimzi.io", "kafkas", "team"));
        assertFalse(can(rbac, "create", "flink.apache.org", "flinkdeployments", "team"));
        // a Role bound in one namespace
        rbac.add(Map.of("apiVersion", "rbac.authorization.k8s.io/v1", "kind", "Role",
                "metadata", Map.of("name", "crs", "namespace", "team"),
                "rules", List.of(Map.of("apiGroups", List.of("sparkoperator.k8s.io"), "resources", List.of("sparkapplications"),
                        "verbs", List.of("get", "create", "patch", "delete")))));
        rbac.add(binding("team", "Role", "crs"));
        assertTrue(can(rbac, "patch", "sparkoperator.k8s.io", "sparkapplications", "team"));
        assertFalse(can(rbac, "list", "sparkoperator.k8s.io", "sparkapplications", "team"));
        assertFalse(can(rbac, "patch", "sparkoperator.k8s.io", "scheduledsparkapplications", "team"));
        assertTrue(rbac.knowsClusterRole("kafka-edit"));
        assertFalse(rbac.knowsClusterRole("strimzi-cluster-operator"));
    }

    @Test
    void resourceNames() {
        assertEquals("networkpolicies", KubeRbac.resourceOf("NetworkPolicy", null));
        assertEquals("ingresses", KubeRbac.resourceOf("Ingress", null));
        assertEquals("endpoints", KubeRbac.resourceOf("Endpoints", null));
        assertEquals("kafkanodepools", KubeRbac.resourceOf("KafkaNodePool", null));
        assertEquals("gateways", KubeRbac.resourceOf("Gateway", null));
        assertEquals("queues", KubeRbac.resourceOf("Queue", ""));
        assertEquals("kafkas", KubeRbac.resourceOf("Kafka", "kafkas"));
        assertEquals("flows", KubeRbac.resourceOf("Flow", "flows"));
    }
}
