package dev.plinth.check;

import org.junit.jupiter.api.Test;

import static dev.plinth.check.CheckFixture.error;
import static dev.plinth.check.CheckFixture.warning;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * api-version: the cluster's Kubernetes version serves each built-in apiVersion; removed is an
 * error, deprecated a warning naming the replacement, newer than the cluster an error.
 */
class ApiVersionCheckTest {
    private static final String CHECK = "api-version";
    private static final String CAPACITY = """
            apiVersion: storage.k8s.io/v1beta1
            kind: CSIStorageCapacity
            metadata: {name: capacity}
            storageClassName: standard
            """;

    private static CheckFixture.Result on(String kubeVersion, String yaml) {
        return CheckFixture.app(yaml).kubeVersion(kubeVersion).run(CHECK);
    }

    @Test
    void aServedVersionIsFine() {
        on("1.23", CAPACITY).none();
        on("1.31", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  selector: {matchLabels: {app: web}}
                  template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: "web:1"}]}}
                """).none();
    }

    @Test
    void deprecatedFromItsMinorIsAWarningNamingTheReplacement() {
        on("1.24", CAPACITY).only(warning("CSIStorageCapacity/team/capacity", "apiVersion",
                "storage.k8s.io/v1beta1 CSIStorageCapacity is deprecated since Kubernetes 1.24 and removed in 1.27; use storage.k8s.io/v1"));
        on("1.26.3", CAPACITY).only(warning("CSIStorageCapacity/team/capacity", "apiVersion", "deprecated since Kubernetes 1.24"));
    }

    @Test
    void removedFromItsMinorIsAnError() {
        on("1.27", CAPACITY).only(error("CSIStorageCapacity/team/capacity", "apiVersion",
                "storage.k8s.io/v1beta1 CSIStorageCapacity was removed in Kubernetes 1.27 and the cluster runs 1.27; use storage.k8s.io/v1"));
        on("v1.30", """
                apiVersion: policy/v1beta1
                kind: PodDisruptionBudget
                metadata: {name: web}
                spec: {minAvailable: 1, selector: {matchLabels: {app: web}}}
                """).only(error("PodDisruptionBudget/team/web", "apiVersion", "was removed in Kubernetes 1.25 and the cluster runs v1.30; use policy/v1"));
    }

    @Test
    void newerThanTheClusterIsAnError() {
        on("1.22", """
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: web}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                  maxReplicas: 3
                """).only(error("HorizontalPodAutoscaler/team/web", "apiVersion",
                "autoscaling/v2 HorizontalPodAutoscaler is served from Kubernetes 1.23 and the cluster runs 1.22"));
    }

    @Test
    void onlyTheKindsOfAnEntryAreConcerned() {
        // policy/v1beta1 PodSecurityPolicy and PodDisruptionBudget are rows; a ConfigMap in v1 is no row at all
        on("1.25", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings}
                data: {a: b}
                """).none();
    }

    @Test
    void theFindingIsPlacedAtTheApiVersionLineAndCanBeWaived() {
        CheckFixture.Finding f = on("1.27", CAPACITY).only(error("CSIStorageCapacity/team/capacity", "apiVersion", "was removed"));
        assertEquals("environments/live/apps/web.yaml:1:13", f.loc());
        CheckFixture.app(CAPACITY).kubeVersion("1.27").waiver("web", CHECK).run(CHECK).none();
    }

    @Test
    void tenantAndPlatformObjectsAreCheckedToo() {
        CheckFixture.cluster().kubeVersion("1.25").tenant("team").tenantObjects("team", """
                apiVersion: policy/v1beta1
                kind: PodDisruptionBudget
                metadata: {name: tenant-pdb}
                spec: {minAvailable: 1, selector: {matchLabels: {app: web}}}
                """).platformObjects("""
                apiVersion: rbac.authorization.k8s.io/v1beta1
                kind: ClusterRole
                metadata: {name: reader}
                rules: []
                """).run(CHECK).exactly(
                error("PodDisruptionBudget/team/tenant-pdb", "apiVersion", "removed in Kubernetes 1.25"),
                error("ClusterRole/reader", "apiVersion", "removed in Kubernetes 1.22"));
    }
}
