package dev.plinth.gitops;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The AppProject model against the cases of Argo CD's own tests
 * ({@code pkg/apis/application/v1alpha1/types_test.go}: TestAppProject_IsSourcePermitted,
 * IsNegatedSourcePermitted, IsDestinationPermitted, IsNegatedDestinationPermitted, and the
 * group/kind allow and deny list cases), restated as data.
 */
class ArgoProjectTest {

    private static ArgoProject sources(String... repos) {
        return new ArgoProject("p", List.of(repos), List.of(), null, null, null, null);
    }

    @Test
    void sourceRepos() {
        Object[][] cases = {
                {List.of("*"), "https://github.com/argoproj/test.git", true},
                {List.of("https://github.com/argoproj/test.git"), "https://github.com/argoproj/test.git", true},
                {List.of("ssh://git@GITHUB.com:argoproj/test"), "ssh://git@github.com:argoproj/test", true},
                {List.of("https://github.com/argoproj/*"), "https://github.com/argoproj/argoproj.git", true},
                {List.of("https://github.com/test1/test.git", "https://github.com/test2/test.git"), "https://github.com/test2/test.git", true},
                {List.of("https://github.com/argoproj/test1.git"), "https://github.com/argoproj/test2.git", false},
                {List.of("https://github.com/argoproj/*.git"), "https://github.com/argoproj1/test2.git", false},
                {List.of("https://github.com/argoproj/foo"), "https://github.com/argoproj/foo1", false},
                {List.of("https://gitlab.com/group/*"), "https://gitlab.com/group/repo/owner", false},
                {List.of("https://gitlab.com/group/*/*"), "https://gitlab.com/group/repo/owner", true},
                {List.of("https://gitlab.com/group/*/*/*"), "https://gitlab.com/group/sub-group/repo/owner", true},
                {List.of("https://gitlab.com/group/**"), "https://gitlab.com/group/sub-group/repo/owner", true},
                // negation
                {List.of("!https://github.com/argoproj/test.git"), "https://github.com/argoproj/test.git", false},
                {List.of("!ssh://git@GITHUB.com:argoproj/test"), "ssh://git@github.com:argoproj/test", false},
                {List.of("!https://github.com/argoproj/*"), "https://github.com/argoproj/argoproj.git", false},
                {List.of("https://github.com/test1/test.git", "!https://github.com/test2/test.git"), "https://github.com/test2/test.git", false},
                {List.of("!https://github.com/argoproj/foo*"), "https://github.com/argoproj/foo1", false},
                {List.of("!https://gitlab.com/group/**"), "https://gitlab.com/group/sub-group/repo/owner", false},
                {List.of("https://github.com/argoproj/test1.git", "*"), "https://github.com/argoproj/test2.git", true},
                {List.of("!https://github.com/argoproj/*.git", "*"), "https://github.com/argoproj1/test2.git", true},
                // scp-style and ssh:// forms of one repository compare equal
                {List.of("git@git.example.com:platform/rendered.git"), "ssh://git@git.example.com/platform/rendered", true},
                {List.of("git@git.example.com:platform/*"), "ssh://git@git.example.com/other/rendered", false},
                {List.of("git@git.example.com:platform/rendered.git"), "git@git.example.com:platform/rendered", true},
        };
        for (Object[] c : cases) {
            @SuppressWarnings("unchecked")
            List<String> repos = (List<String>) c[0];
            assertEquals(c[2], sources(repos.toArray(String[]::new)).sourcePermitted((String) c[1]), repos + " " + c[1]);
        }
    }

    private static ArgoProject.Destination dest(String server, String namespace) {
        return new ArgoProject.Destination(server, "", namespace);
    }

    private static boolean permitted(List<ArgoProject.Destination> dests, String server, String name, String namespace) {
        return new ArgoProject("p", List.of(), dests, null, null, null, null).destinationPermitted(server, name, namespace);
    }

    @Test
    void destinations() {
        String local = "https://kubernetes.default.svc";
        assertTrue(permitted(List.of(dest(local, "default")), local, "", "default"));
        assertFalse(permitted(List.of(dest(local, "default")), local, "", "kube-system"));
        assertFalse(permitted(List.of(dest("https://my-cluster", "default")), local, "", "default"));
        assertTrue(permitted(List.of(dest(local, "*")), local, "", "kube-system"));
        assertTrue(permitted(List.of(dest("https://*.default.svc", "default")), local, "", "default"));
        assertFalse(permitted(List.of(dest("https://team1-*", "default")), "https://test2-dev-cluster", "", "default"));
        assertTrue(permitted(List.of(dest(local, "test-*")), local, "", "test-foo"));
        assertFalse(permitted(List.of(dest(local, "test-*")), local, "", "test"));
        assertTrue(permitted(List.of(dest("*", "*")), local, "", "test"));
        assertTrue(permitted(List.of(new ArgoProject.Destination("", "test", "*")), "", "test", "test"));
        assertFalse(permitted(List.of(new ArgoProject.Destination("", "test2", "*")), "", "test", "test"));
        assertTrue(permitted(List.of(new ArgoProject.Destination(local, "host-cluster", "!{kube-system,argocd}"),
                        new ArgoProject.Destination("https://eks", "destination-cluster-01", "*")), "https://eks", "", "kube-system"));
        // the destination of an Application without a namespace: only "*" (or an empty pattern) admits it
        assertFalse(permitted(List.of(dest(local, "analytics")), local, "", ""));
        assertTrue(permitted(List.of(dest(local, "*")), local, "", ""));
    }

    @Test
    void negatedDestinations() {
        String local = "https://kubernetes.default.svc";
        assertFalse(permitted(List.of(dest("!" + local, "default")), local, "", "default"));
        assertTrue(permitted(List.of(dest(local, "!default")), local, "", "kube-system"));
        assertTrue(permitted(List.of(dest("!https://my-cluster", "default")), local, "", "default"));
        assertFalse(permitted(List.of(dest("!" + local, "*")), local, "", "kube-system"));
        assertFalse(permitted(List.of(dest("!https://*.default.svc", "default")), local, "", "default"));
        assertTrue(permitted(List.of(dest("!https://team1-*", "default")), "https://test2-dev-cluster", "", "default"));
        assertFalse(permitted(List.of(dest(local, "!test-*")), local, "", "test-foo"));
        assertTrue(permitted(List.of(dest(local, "!test-*")), local, "", "test"));
        assertFalse(permitted(List.of(new ArgoProject.Destination("", "!test", "*")), "", "test", "test"));
        assertTrue(permitted(List.of(new ArgoProject.Destination("", "!test2", "*")), "", "test", "test"));
        // a deny entry refuses even after an allow entry matched, in either order
        assertFalse(permitted(List.of(dest("*", "kube-system"), dest("*", "!kube-system")), local, "", "kube-system"));
        assertFalse(permitted(List.of(dest("*", "*"), dest("*", "!kube-system")), local, "", "kube-system"));
        assertFalse(permitted(List.of(dest(local, "*"), dest("!" + local, "*")), local, "", "kube-system"));
        assertFalse(permitted(List.of(dest("*", "*"), dest("!" + local, "kube-system")), local, "", "kube-system"));
        assertTrue(permitted(List.of(dest("*", "*"), dest("!" + local, "kube-system"), dest("*", "!kube-system")), local, "", "default"));
        assertFalse(permitted(List.of(dest("*", "*"), dest("!" + local, "kube-system"), dest("*", "!kube-system")),
                "https://test-dev-cluster", "", "kube-system"));
        assertFalse(permitted(List.of(new ArgoProject.Destination("", "test", "*"), new ArgoProject.Destination("", "!test", "*")),
                "", "test", "test"));
        // a server deny entry refuses only where its namespace matched (argo-cd#19804)
        assertTrue(permitted(List.of(dest("*", "test"), dest("!https://test-server", "other")), "https://test-server", "", "test"));
        assertTrue(permitted(List.of(dest("*", "*"), dest("https://test-server", "!other")), "https://other-test-server", "", "other"));
    }

    private static Map<String, Object> gk(String group, String kind) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("group", group);
        m.put("kind", kind);
        return m;
    }

    private static ArgoProject project(Map<String, Object> spec) {
        return ArgoProject.of(Map.of("metadata", Map.of("name", "p"), "spec", spec));
    }

    @Test
    void namespacedKindsAllowAndDenyLists() {
        // no lists: every namespaced kind, no cluster-scoped one
        ArgoProject open = project(Map.of());
        assertTrue(open.groupKindPermitted("apps", "Deployment", "d", true));
        assertFalse(open.groupKindPermitted("", "Namespace", "n", false));
        // an empty whitelist admits nothing, an absent one everything
        assertFalse(project(Map.of("namespaceResourceWhitelist", List.of())).groupKindPermitted("apps", "Deployment", "d", true));
        // whitelist with globs (Go filepath.Match)
        ArgoProject white = project(Map.of("namespaceResourceWhitelist", List.of(gk("apps", "*"), gk("*.k8s.io", "Network?olicy"))));
        assertTrue(white.groupKindPermitted("apps", "StatefulSet", "s", true));
        assertTrue(white.groupKindPermitted("networking.k8s.io", "NetworkPolicy", "n", true));
        assertFalse(white.groupKindPermitted("", "ConfigMap", "c", true));
        // the deny list wins over the allow list
        Map<String, Object> both = new LinkedHashMap<>();
        both.put("namespaceResourceWhitelist", List.of(gk("*", "*")));
        both.put("namespaceResourceBlacklist", List.of(gk("", "ResourceQuota"), gk("", "Limit*")));
        ArgoProject p = project(both);
        assertFalse(p.groupKindPermitted("", "ResourceQuota", "q", true));
        assertFalse(p.groupKindPermitted("", "LimitRange", "l", true));
        assertTrue(p.groupKindPermitted("networking.k8s.io", "NetworkPolicy", "n", true));
        // the core group is "", which "*" matches and "core" does not
        assertTrue(project(Map.of("namespaceResourceBlacklist", List.of(gk("core", "ResourceQuota"))))
                .groupKindPermitted("", "ResourceQuota", "q", true));
        // a malformed pattern matches nothing
        assertFalse(project(Map.of("namespaceResourceWhitelist", List.of(gk("apps", "[Deployment"))))
                .groupKindPermitted("apps", "[Deployment", "d", true));
    }

    @Test
    void clusterScopedKinds() {
        assertFalse(project(Map.of("clusterResourceWhitelist", List.of())).groupKindPermitted("", "Namespace", "n", false));
        ArgoProject all = project(Map.of("clusterResourceWhitelist", List.of(gk("*", "*"))));
        assertTrue(all.groupKindPermitted("rbac.authorization.k8s.io", "ClusterRole", "r", false));
        // the namespaced lists say nothing about cluster-scoped kinds, and the other way round
        assertTrue(all.groupKindPermitted("apps", "Deployment", "d", true));
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("clusterResourceWhitelist", List.of(gk("*", "*")));
        spec.put("clusterResourceBlacklist", List.of(gk("rbac.authorization.k8s.io", "ClusterRole*")));
        ArgoProject deny = project(spec);
        assertFalse(deny.groupKindPermitted("rbac.authorization.k8s.io", "ClusterRoleBinding", "b", false));
        assertTrue(deny.groupKindPermitted("", "Namespace", "n", false));
        // names (Argo CD 3.x, cluster-scoped entries only): an entry without a name is every name
        Map<String, Object> named = new LinkedHashMap<>(gk("", "Namespace"));
        named.put("name", "team-*");
        ArgoProject byName = project(Map.of("clusterResourceWhitelist", List.of(named)));
        assertTrue(byName.groupKindPermitted("", "Namespace", "team-a", false));
        assertFalse(byName.groupKindPermitted("", "Namespace", "kube-system", false));
    }

    @Test
    void globs() {
        assertTrue(Globs.glob("a*c", "a/b/c"));
        assertFalse(Globs.glob("a*c", "a/b/c", '/'));
        assertTrue(Globs.glob("a**c", "a/b/c", '/'));
        assertTrue(Globs.glob("{x,y}-[0-9]", "y-7"));
        assertFalse(Globs.glob("[!a-c]", "b"));
        assertTrue(Globs.glob("?", "/"));
        assertFalse(Globs.glob("?", "/", '/'));
        assertFalse(Globs.glob("{a,b", "a"));
        assertTrue(Globs.glob("a\\*", "a*"));
        assertTrue(Globs.pathMatch("*.k8s.io", "networking.k8s.io"));
        assertFalse(Globs.pathMatch("*", "a/b"));
        assertTrue(Globs.pathMatch("[^a]x", "bx"));
        assertFalse(Globs.pathMatch("[!a]x", "bx")); // Go negates with ^ only: [!a] is '!' or 'a'
        assertTrue(Globs.pathMatch("[!a]x", "!x"));
        assertFalse(Globs.pathMatch("[]", "]"));
        assertFalse(Globs.pathMatch("a\\", "a"));
        assertTrue(Globs.pathMatch("", ""));
        assertFalse(Globs.pathMatch("", "a"));
    }
}
