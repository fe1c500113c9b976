package dev.plinth.diff;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What counts as widening access, and how a large report is cut to fit a comment. */
class AccessAndReportTest {
    private static Map<String, Object> role(Object... rules) {
        return Map.of("rules", List.of(rules));
    }

    private static Map<String, Object> rule(List<String> resources, List<String> verbs) {
        return Map.of("apiGroups", List.of("apps"), "resources", resources, "verbs", verbs);
    }

    @Test
    void aNewVerbWidensARoleButNarrowingOrReorderingDoesNot() {
        var before = role(rule(List.of("deployments"), List.of("get", "list")));
        assertEquals("grants more: delete deployments.apps",
                Access.rbacWidened(before, role(rule(List.of("deployments"), List.of("get", "delete")))));
        assertNull(Access.rbacWidened(before, role(rule(List.of("deployments"), List.of("get")))));
        assertNull(Access.rbacWidened(before, role(rule(List.of("deployments"), List.of("list", "get")))));
        var wildcard = role(rule(List.of("*"), List.of("*")));
        assertNull(Access.rbacWidened(wildcard, before), "a wildcard covered it all");
        assertNotNull(Access.rbacWidened(before, wildcard));
    }

    @Test
    void aBindingWidensWithNewSubjectsOrAnotherRole() {
        Map<String, Object> ref = Map.of("kind", "ClusterRole", "name", "view");
        var alice = Map.of("kind", "User", "name", "alice");
        var bob = Map.of("kind", "User", "name", "bob");
        var before = Map.<String, Object>of("roleRef", ref, "subjects", List.of(alice, bob));
        assertNull(Access.rbacWidened(before, Map.of("roleRef", ref, "subjects", List.of(bob))));
        assertEquals("binds more subjects: User carol", Access.rbacWidened(before,
                Map.of("roleRef", ref, "subjects", List.of(alice, bob, Map.of("kind", "User", "name", "carol")))));
        assertTrue(Access.rbacWidened(before, Map.of("roleRef", Map.of("kind", "ClusterRole", "name", "admin"),
                "subjects", List.of(alice))).startsWith("binds a different role"));
    }

    private static Map<String, Object> policy(List<String> types, Object... ingress) {
        return Map.of("spec", Map.of("podSelector", Map.of(), "policyTypes", types, "ingress", List.of(ingress)));
    }

    @Test
    void aNetworkPolicyWidensWithNewPeersOrPortsOrFewerPolicyTypes() {
        var monitoring = Map.of("namespaceSelector", Map.of("matchLabels", Map.of("name", "monitoring")));
        var ingress = Map.of("namespaceSelector", Map.of("matchLabels", Map.of("name", "ingress")));
        var port80 = Map.of("port", 80);
        var port443 = Map.of("port", 443);
        var before = policy(List.of("Ingress", "Egress"), Map.of("from", List.of(monitoring), "ports", List.of(port80, port443)));
        assertNull(Access.networkWidened(before, policy(List.of("Ingress", "Egress"),
                Map.of("from", List.of(monitoring), "ports", List.of(port80)))), "fewer ports is narrower");
        assertNotNull(Access.networkWidened(before, policy(List.of("Ingress", "Egress"),
                Map.of("from", List.of(monitoring, ingress), "ports", List.of(port80)))));
        assertNotNull(Access.networkWidened(before, policy(List.of("Ingress", "Egress"),
                Map.of("from", List.of(monitoring)))), "no ports means every port");
        assertEquals("no longer restricts [Egress] traffic", Access.networkWidened(before, policy(List.of("Ingress"),
                Map.of("from", List.of(monitoring), "ports", List.of(port80)))));
    }

    @Test
    void implicitPolicyTypesCount() {
        Map<String, Object> egressOnly = Map.of("spec", Map.of("podSelector", Map.of(), "egress", List.of(Map.of("to", List.of(Map.of("ipBlock", Map.of("cidr", "10.0.0.0/8")))))));
        Map<String, Object> nothing = Map.of("spec", Map.of("podSelector", Map.of()));
        assertEquals("no longer restricts [Egress] traffic", Access.networkWidened(egressOnly, nothing),
                "without egress rules and policyTypes the policy no longer covers egress");
        assertNull(Access.networkWidened(nothing, egressOnly));
    }

    @Test
    void valuesAndNamesCannotBreakTheMarkdown() {
        assertEquals("`` echo `date` ``", ReportWriter.code("echo `date`"));
        assertEquals("`a\\r</details>`", ReportWriter.code("a\r</details>"));
        assertEquals("&lt;/details&gt; a\\|b", ReportWriter.text("</details> a|b"));
    }

    @Test
    void aLargeReportIsCutToFitAPullRequestCommentWithANote() {
        List<Differ.ObjectDiff> objects = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            objects.add(new Differ.ObjectDiff("changed", "c1", "t", "app-" + (i / 10), "v1", "ConfigMap", "t", "cm-" + i,
                    "a/cm-" + i + ".yaml", "a/cm-" + i + ".yaml", List.of(new Differ.Change("data.key", "old", "new"))));
        }
        String md = ReportWriter.markdown(new Differ.Report("main", "0123456789abcdef", objects, List.of(), List.of()));
        assertTrue(md.length() <= ReportWriter.MAX_MARKDOWN, "length " + md.length());
        assertTrue(md.startsWith("## Plinth diff: `main` (0123456789ab)"), md.substring(0, 80));
        assertTrue(md.contains("| c1 | t | 0 | 0 | 3000 | 0 |"), "the summary counts everything");
        assertTrue(md.matches("(?s).*_Left out to fit a comment: \\d+ app sections \\(c1 / t / app-.*"), "the cut is noted");
    }
}
