package dev.plinth.check;

import org.junit.jupiter.api.Test;

import static dev.plinth.check.CheckFixture.error;

/** unique-object: one object per API group, kind, namespace and name per cluster. */
class UniqueObjectCheckTest {
    private static final String CHECK = "unique-object";

    private static String configMap(String name, String namespace) {
        return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: " + name + (namespace == null ? "" : ", namespace: " + namespace)
                + "}\ndata: {a: b}\n";
    }

    private static CheckFixture twoApps() {
        return CheckFixture.cluster().tenant("team", "team", "team-jobs").app("web", "team").app("jobs", "team", "team-jobs");
    }

    @Test
    void distinctObjectsPass() {
        twoApps().objects("web", configMap("settings", null) + "---\n" + configMap("other", null))
                .objects("jobs", configMap("settings", null)) // same name, other namespace
                .objects("web", """
                        apiVersion: v1
                        kind: Secret
                        metadata: {name: settings}
                        """) // same name, other kind
                .run(CHECK).none();
    }

    @Test
    void theSecondOfTwoEqualObjectsIsAnErrorNamingTheFirstsSpecLine() {
        twoApps().objects("web", configMap("settings", null)).objects("jobs", configMap("settings", "team"))
                .run(CHECK).only(error("ConfigMap/team/settings", "metadata.name",
                        "duplicate object: ConfigMap/team/settings is also rendered by environments/live/apps/web.yaml:1:1"));
    }

    @Test
    void theVersionDoesNotMakeAnotherObject() {
        CheckFixture.app("""
                apiVersion: autoscaling/v1
                kind: HorizontalPodAutoscaler
                metadata: {name: web}
                spec: {scaleTargetRef: {kind: Deployment, name: web}, maxReplicas: 2}
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: web}
                spec: {scaleTargetRef: {kind: Deployment, name: web}, maxReplicas: 3}
                """).run(CHECK).only(error("HorizontalPodAutoscaler/team/web", "metadata.name", "duplicate object"));
    }

    @Test
    void theGroupDoesMakeAnotherObject() {
        CheckFixture.cluster().operator("example.com").tenant("team").app("web", "team").objects("web", """
                apiVersion: example.com/v1
                kind: Service
                metadata: {name: web}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec: {ports: [{port: 80}]}
                """).run(CHECK).none();
    }

    @Test
    void clusterScopedObjectsAreUniqueAcrossTheCluster() {
        String role = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: reader}\nrules: []\n";
        CheckFixture.cluster().tenant("team").tenantObjects("team", role).platformObjects(role).run(CHECK)
                .only(error("ClusterRole/reader", "metadata.name", "is also rendered by environments/live/tenants/team.yaml:1:1"));
    }

    @Test
    void aWaiverOfTheSecondObjectsAppSuppressesIt() {
        twoApps().objects("web", configMap("settings", null)).objects("jobs", configMap("settings", "team"))
                .waiver("jobs", CHECK).run(CHECK).none();
    }
}
