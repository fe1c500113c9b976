package dev.plinth.gitops;

import dev.plinth.check.k8s.ClusterCrds;
import dev.plinth.check.k8s.CrdSchemas;

import dev.plinth.Compiler;
import dev.plinth.TestSupport;
import dev.plinth.diag.Diagnostic;
import dev.plinth.diag.Diagnostics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GitOps engine admission over real renders: the example platform and small platforms, with
 * the generated objects as they are and as a hand-edited AppProject, Application or
 * Kustomization makes them, one kind of finding at a time.
 */
class EngineAdmissionTest {
    @TempDir
    Path tmp;

    private static Compiler.Result inspect(Path root) {
        return Compiler.inspect(Compiler.Options.of(root));
    }

    private static Diagnostics admit(Compiler.Result r, List<GitOps.GitOpsObject> gitops) {
        return EngineAdmission.check(r.rendered(), gitops, new ClusterCrds(CrdSchemas.empty(), Map.of()), r.rendered().platform().loc());
    }

    /** The gitops objects with those matching {@code which} changed by {@code edit} (on a deep copy). */
    @SuppressWarnings("unchecked")
    private static List<GitOps.GitOpsObject> edited(List<GitOps.GitOpsObject> objects, Predicate<GitOps.GitOpsObject> which,
                                                    Consumer<Map<String, Object>> edit) {
        List<GitOps.GitOpsObject> out = new ArrayList<>();
        for (GitOps.GitOpsObject o : objects) {
            if (!which.test(o)) {
                out.add(o);
                continue;
            }
            Map<String, Object> body = (Map<String, Object>) copy(o.body());
            edit.accept(body);
            out.add(new GitOps.GitOpsObject(o.file(), body));
        }
        return out;
    }

    private static Object copy(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), copy(x)));
            return out;
        }
        if (v instanceof List<?> l) return new ArrayList<>(l.stream().map(EngineAdmissionTest::copy).toList());
        return v;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(Map<String, Object> body) {
        return (Map<String, Object>) body.get("spec");
    }

    private static boolean kind(GitOps.GitOpsObject o, String kind) {
        return kind.equals(o.body().get("kind"));
    }

    private static List<String> messages(Diagnostics d) {
        return d.sorted().stream().map(Diagnostic::format).toList();
    }

    // ---- the example platform

    @Test
    void theExamplesGitOpsObjectsAdmitEveryObject() {
        Compiler.Result r = inspect(TestSupport.projectRoot());
        assertTrue(r.gitops().size() > 20, "the example has Argo CD objects");
        assertEquals(List.of(), messages(admit(r, r.gitops())));
    }

    /**
     * The AppProjects and Applications as the generator made them before the fix: NetworkPolicy
     * blacklisted in tenant projects, and app Applications without a destination namespace.
     */
    @Test
    void theExampleUnderTheOldTenantProjectsIsRefused() {
        Compiler.Result r = inspect(TestSupport.projectRoot());
        List<GitOps.GitOpsObject> old = edited(r.gitops(),
                o -> kind(o, "AppProject") && !o.file().endsWith("appproject-platform.yaml"),
                b -> ((List<Object>) spec(b).get("namespaceResourceBlacklist"))
                        .add(Map.of("group", "networking.k8s.io", "kind", "NetworkPolicy")));
        old = edited(old, o -> kind(o, "Application"), b -> ((Map<String, Object>) spec(b).get("destination")).remove("namespace"));
        List<Diagnostic> found = admit(r, old).sorted();
        List<Diagnostic> netpols = found.stream().filter(d -> d.message().contains("networking.k8s.io:NetworkPolicy is not permitted")).toList();
        assertEquals(63, netpols.size(), String.join("\n", messages(admit(r, old))));
        assertTrue(netpols.stream().allMatch(d -> d.subject().kind().equals("NetworkPolicy")
                && d.loc().file().startsWith("environments/") && d.checkId().equals(EngineAdmission.CHECK)));
        // every tenant app's Application is refused as a whole: its destination namespace is empty
        List<Diagnostic> apps = found.stream().filter(d -> d.message().contains("namespace '' do not match")).toList();
        assertEquals(18, apps.size());
        assertTrue(apps.stream().allMatch(d -> d.loc().file().equals("platform.yaml")));
        assertEquals(63 + 18, found.size(), String.join("\n", messages(admit(r, old))));
    }

    // ---- small platforms

    private Path platform(String engine) {
        Path root = tmp.resolve(engine);
        TestSupport.write(root.resolve("platform.yaml"), """
                apiVersion: plinth.dev/v1alpha1
                kind: Platform
                metadata: {name: p}
                spec:
                  gitops: {engine: %s, repoURL: "https://git.example.com/rendered.git", revision: main}
                """.formatted(engine));
        TestSupport.write(root.resolve("environments/live/environment.yaml"), """
                apiVersion: plinth.dev/v1alpha1
                kind: Environment
                metadata: {name: live}
                spec:
                  clusters: [{name: live-1, kubeVersion: "1.30", server: "https://10.0.0.1:6443", operators: {strimzi: "0.45"}}]
                """);
        TestSupport.write(root.resolve("environments/live/tenants/t.yaml"), """
                apiVersion: plinth.dev/v1alpha1
                kind: Tenant
                metadata: {name: t}
                spec:
                  namespaces: [t, t-batch]
                """);
        TestSupport.write(root.resolve("environments/live/apps/app.yaml"), TestSupport.k8sObjectsApp("app", "t", """
                - {apiVersion: v1, kind: ConfigMap, metadata: {name: settings, namespace: t}, data: {a: b}}
                - {apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: open, namespace: t-batch},
                   spec: {podSelector: {}, policyTypes: [Ingress]}}
                - {apiVersion: kafka.strimzi.io/v1beta2, kind: KafkaTopic, metadata: {name: events, namespace: t},
                   spec: {partitions: 3, replicas: 3}}
                """));
        return root;
    }

    @Test
    void argoCdFindings() {
        Compiler.Result r = inspect(platform("argocd"));
        assertEquals(List.of(), messages(admit(r, r.gitops())));
        Predicate<GitOps.GitOpsObject> tenantProject = o -> o.file().endsWith("appproject-t.yaml");
        Predicate<GitOps.GitOpsObject> appApplication = o -> o.file().endsWith("application-live-1-t-app.yaml");

        // an object not permitted in the project: a whitelist without custom resources
        List<String> m = messages(admit(r, edited(r.gitops(), tenantProject,
                b -> spec(b).put("namespaceResourceWhitelist", List.of(Map.of("group", "", "kind", "*"),
                        Map.of("group", "networking.k8s.io", "kind", "*"))))));
        assertEquals(1, m.size(), String.join("\n", m));
        assertTrue(m.get(0).startsWith("environments/live/apps/app.yaml:"), m.get(0));
        assertTrue(m.get(0).contains("error[gitops-admission]: Argo CD refuses it: resource kafka.strimzi.io:KafkaTopic is not permitted"
                + " in project t (no namespaceResourceWhitelist entry matches kafka.strimzi.io/KafkaTopic; Application live-1-t-app)"
                + " (live-1 t KafkaTopic/events)"), m.get(0));

        // a destination (namespace) not permitted: the project lists only the first namespace
        m = messages(admit(r, edited(r.gitops(), tenantProject,
                b -> spec(b).put("destinations", List.of(Map.of("server", "https://10.0.0.1:6443", "namespace", "t"))))));
        assertEquals(1, m.size(), String.join("\n", m));
        assertTrue(m.get(0).contains("namespace t-batch is not permitted in project 't'") && m.get(0).contains("NetworkPolicy/open"), m.get(0));

        // the Application itself: wrong cluster, a repository the project does not list
        m = messages(admit(r, edited(r.gitops(), appApplication, b -> ((Map<String, Object>) spec(b).get("destination"))
                .put("server", "https://10.9.9.9:6443"))));
        assertTrue(m.stream().anyMatch(x -> x.startsWith("platform.yaml:") && x.contains("do not match any of the allowed destinations")), String.join("\n", m));
        assertTrue(m.stream().anyMatch(x -> x.contains("syncs objects rendered for cluster live-1 (https://10.0.0.1:6443) to https://10.9.9.9:6443")));
        m = messages(admit(r, edited(r.gitops(), tenantProject, b -> spec(b).put("sourceRepos", List.of("https://git.example.com/other*")))));
        assertEquals(1, m.size(), String.join("\n", m));
        assertTrue(m.get(0).contains("application repo https://git.example.com/rendered.git is not permitted in project 't'"));

        // a cluster-scoped object in a tenant project; an object no Application syncs; one synced twice
        m = messages(admit(r, edited(r.gitops(), appApplication, b -> spec(b).put("project", "nope"))));
        assertTrue(m.stream().anyMatch(x -> x.contains("is in project 'nope', which no generated AppProject defines")));
        assertTrue(m.stream().anyMatch(x -> x.contains("no Argo CD Application or Flux Kustomization syncs") && x.contains("ConfigMap/settings")));
        List<GitOps.GitOpsObject> twice = new ArrayList<>(r.gitops());
        twice.addAll(edited(r.gitops().stream().filter(appApplication).toList(), o -> true, b -> { }).stream()
                .map(o -> new GitOps.GitOpsObject(o.file().replace("app.yaml", "app-copy.yaml"), o.body())).toList());
        m = messages(admit(r, twice));
        assertEquals(4, m.size(), String.join("\n", m));
        assertTrue(m.get(0).contains("synced by 2 GitOps objects"));
        // the copy has the same name: one Application to Argo CD
        assertTrue(m.get(3).startsWith("platform.yaml:") && m.get(3).contains("the same Application argocd/live-1-t-app as"
                + " gitops/argocd/applications/live-1/application-live-1-t-app.yaml"), m.get(3));
    }

    @Test
    void findingsCannotBeWaived() {
        Path root = platform("argocd");
        String app = TestSupport.k8sObjectsApp("app", "t", "- {apiVersion: v1, kind: ConfigMap, metadata: {name: settings, namespace: t}}\n")
                .replace("spec:\n", "spec:\n  waivers: [{check: gitops-admission, reason: \"the project is managed elsewhere\"}]\n");
        TestSupport.write(root.resolve("environments/live/apps/app.yaml"), app);
        TestSupport.Run run = TestSupport.plinth("validate", "-r", root.toString());
        assertEquals(1, run.exit(), run.err());
        assertTrue(run.err().contains("environments/live/apps/app.yaml:5:")
                && run.err().contains("error: waiver names check 'gitops-admission', which cannot be waived"), run.err());
    }

    @Test
    void fluxFindings() {
        Compiler.Result r = inspect(platform("flux"));
        // the generator grants the deployer the custom resources its apps render
        assertTrue(r.gitops().stream().anyMatch(o -> o.file().equals("gitops/flux-tenants/live-1/t/role-t-batch-plinth-deployer-custom-resources.yaml")));
        assertEquals(List.of(), messages(admit(r, r.gitops())));

        // the layout before the tenant folders: the bootstrap applied the objects in the tenant's
        // namespaces, which the tenant unit creates only later, so its dry run fails for good
        List<GitOps.GitOpsObject> flat = r.gitops().stream()
                .filter(o -> !o.file().endsWith("kustomization-live-1-t-apps.yaml"))
                .map(o -> new GitOps.GitOpsObject(o.file().replace("gitops/flux-tenants/live-1/t/", "gitops/flux/live-1/"), o.body()))
                .toList();
        List<String> order = messages(admit(r, flat));
        assertEquals(6, order.size(), String.join("\n", order)); // GitRepository, Kustomization, 2 Roles, 2 RoleBindings
        assertTrue(order.stream().allMatch(x -> x.contains("on a new cluster Flux cannot apply it: its namespace")
                && x.contains("is created by Kustomization flux-system/live-1-t-tenant, which the bootstrap Kustomization of"
                + " ./gitops/flux/live-1 (on live-1) does not depend on")), String.join("\n", order));

        // missing permission: without the Role, admin does not cover KafkaTopics
        List<GitOps.GitOpsObject> withoutRole = r.gitops().stream().filter(o -> !o.file().contains("plinth-deployer-custom-resources")).toList();
        List<String> m = messages(admit(r, withoutRole));
        assertEquals(1, m.size(), String.join("\n", m));
        assertTrue(m.get(0).contains("error[gitops-admission]: Flux applies it as ServiceAccount t/plinth-deployer, which may not get, list,"
                + " create, patch, delete kafkatopics.kafka.strimzi.io in namespace t (Kustomization t/live-1-t-app) (live-1 t KafkaTopic/events)"), m.get(0));

        Predicate<GitOps.GitOpsObject> appKustomization = o -> o.file().endsWith("kustomization-live-1-t-app.yaml");
        // namespace mismatch: a targetNamespace moves the objects of t-batch
        m = messages(admit(r, edited(r.gitops(), appKustomization, b -> spec(b).put("targetNamespace", "t"))));
        assertEquals(1, m.size(), String.join("\n", m));
        assertTrue(m.get(0).contains("Flux moves it from namespace t-batch to t (targetNamespace of Kustomization t/live-1-t-app)"));

        // the impersonated account does not exist; a source in another namespace; a missing dependency
        m = messages(admit(r, edited(r.gitops(), appKustomization, b -> spec(b).put("serviceAccountName", "ghost"))));
        assertTrue(m.stream().anyMatch(x -> x.contains("impersonates ServiceAccount t/ghost, which is not rendered")), String.join("\n", m));
        assertTrue(m.stream().anyMatch(x -> x.contains("as ServiceAccount t/ghost, which may not") && x.contains("ConfigMap/settings")));
        m = messages(admit(r, edited(r.gitops(), appKustomization, b -> {
            ((Map<String, Object>) spec(b).get("sourceRef")).put("namespace", "flux-system");
            spec(b).put("dependsOn", List.of(Map.of("name", "gone", "namespace", "flux-system")));
        })));
        assertTrue(m.stream().anyMatch(x -> x.contains("refers to source flux-system/plinth in another namespace")), String.join("\n", m));
        assertTrue(m.stream().anyMatch(x -> x.contains("depends on Kustomization flux-system/gone")));

        // a Role the account writes may not grant more than it holds
        Map<String, Object> widen = Map.of("apiVersion", "rbac.authorization.k8s.io/v1", "kind", "Role",
                "metadata", Map.of("name", "widen", "namespace", "t"),
                "rules", List.of(Map.of("apiGroups", List.of(""), "resources", List.of("resourcequotas"), "verbs", List.of("patch"))));
        Map<String, Object> narrow = Map.of("apiVersion", "rbac.authorization.k8s.io/v1", "kind", "Role",
                "metadata", Map.of("name", "narrow", "namespace", "t"),
                "rules", List.of(Map.of("apiGroups", List.of(""), "resources", List.of("configmaps"), "verbs", List.of("get"))));
        Path root = platform("flux-rbac");
        TestSupport.write(root.resolve("platform.yaml"), """
                apiVersion: plinth.dev/v1alpha1
                kind: Platform
                metadata: {name: p}
                spec:
                  gitops: {engine: flux, repoURL: "https://git.example.com/rendered.git", revision: main}
                """);
        TestSupport.write(root.resolve("environments/live/apps/app.yaml"), TestSupport.k8sObjectsApp("app", "t",
                "- " + dev.plinth.values.JsonValues.write(widen) + "\n- " + dev.plinth.values.JsonValues.write(narrow) + "\n"));
        Compiler.Result rbac = inspect(root);
        m = messages(admit(rbac, rbac.gitops()));
        assertEquals(1, m.size(), String.join("\n", m));
        assertTrue(m.get(0).contains("the API server refuses it as an escalation: it grants patch on resourcequotas, which ServiceAccount"
                + " t/plinth-deployer does not hold in t") && m.get(0).contains("Role/widen"), m.get(0));
    }
}
