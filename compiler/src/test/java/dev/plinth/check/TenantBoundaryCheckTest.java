package dev.plinth.check;

import org.junit.jupiter.api.Test;

import static dev.plinth.check.CheckFixture.error;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** tenant-boundary: an app's objects live only in its tenant's namespaces; apps render no cluster-scoped objects. */
class TenantBoundaryCheckTest {
    private static final String CHECK = "tenant-boundary";

    private static final String WEB_READER = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: web-reader}\nrules: []\n";

    private static CheckFixture teams() {
        return CheckFixture.cluster().tenant("team", "team", "team-jobs").tenant("other").app("web", "team");
    }

    @Test
    void objectsInAnyOfTheTenantsNamespacesPass() {
        teams().objects("web", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: a}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: b, namespace: team-jobs}
                """).run(CHECK).none();
    }

    @Test
    void anObjectInAnotherTenantsNamespaceIsAnError() {
        CheckFixture.Finding f = teams().objects("web", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: a, namespace: other}
                """).run(CHECK).only(error("ConfigMap/other/a", "metadata.namespace",
                "object in namespace 'other', outside tenant 'team' (its namespaces: team, team-jobs)"));
        assertEquals("environments/live/apps/web.yaml:3:32", f.loc(), "placed at the namespace's line");
    }

    @Test
    void anObjectInANamespaceNoTenantHasIsAnError() {
        teams().objects("web", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: kube-system}\n").run(CHECK)
                .only(error("ConfigMap/kube-system/a", "metadata.namespace", "object in namespace 'kube-system', outside tenant 'team'"));
    }

    @Test
    void appsRenderNoClusterScopedObjects() {
        teams().objects("web", WEB_READER).run(CHECK).only(error("ClusterRole/web-reader", "",
                "application 'web' renders cluster-scoped ClusterRole 'web-reader'; cluster-scoped objects belong to the platform"));
    }

    @Test
    void tenantAndPlatformObjectsAreNotBound() {
        teams().tenantObjects("team", """
                apiVersion: v1
                kind: Namespace
                metadata: {name: team}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: shared, namespace: other}
                """).platformObjects(WEB_READER).run(CHECK).none();
    }

    @Test
    void aTenantWaiverSuppressesTheFindingsOfItsApps() {
        teams().objects("web", WEB_READER + """
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: a, namespace: other}
                """).waiver("team", CHECK).run(CHECK).none();
    }
}
