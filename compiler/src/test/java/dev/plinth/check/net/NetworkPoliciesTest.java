package dev.plinth.check.net;

import dev.plinth.check.api.Cidr;
import dev.plinth.check.net.NetworkPolicies.Address;
import dev.plinth.check.net.NetworkPolicies.Pod;
import dev.plinth.check.net.NetworkPolicies.Policy;
import dev.plinth.check.net.NetworkPolicies.Port;
import dev.plinth.check.net.NetworkPolicies.Verdict;
import dev.plinth.diag.Diagnostics;
import dev.plinth.yaml.PNode;
import dev.plinth.yaml.YamlReader;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The NetworkPolicy semantics of Kubernetes, one rule at a time (docs/policies.md, Reachability). */
class NetworkPoliciesTest {
    private static final Pod WEB = pod("shop", Map.of("app", "web"), new Port("http", 8080, "TCP"), new Port("dns", 5353, "UDP"));
    private static final Pod API = pod("shop", Map.of("app", "api", "tier", "backend"), new Port("http", 9000, "TCP"));
    private static final Pod OTHER = pod("other", Map.of("app", "web"), new Port("http", 8080, "TCP"));
    private static final Pod PROM = pod("monitoring", Map.of("app", "prometheus"));
    private static final Address API_SERVER = new Address(Cidr.parse("10.0.0.1/32"), "api server");

    private static Pod pod(String ns, Map<String, String> labels, Port... ports) {
        return new Pod(ns, labels, List.of(ports), ns + "/" + labels);
    }

    /** Policies written as YAML documents, each {@code {namespace, name, spec}}. */
    @SuppressWarnings("unchecked")
    private static NetworkPolicies policies(Map<String, Map<String, String>> namespaceLabels, String yaml) {
        Diagnostics d = new Diagnostics();
        List<Policy> out = new ArrayList<>();
        for (PNode doc : YamlReader.readAll("test.yaml", yaml, d)) {
            Map<String, Object> m = (Map<String, Object>) doc.toPlain();
            out.add(new Policy(String.valueOf(m.get("namespace")), String.valueOf(m.get("name")), (Map<String, Object>) m.get("spec")));
        }
        assertFalse(d.hasErrors(), () -> d.sorted().toString());
        return NetworkPolicies.of(out, namespaceLabels);
    }

    private static NetworkPolicies policies(String yaml) {
        return policies(Map.of(), yaml);
    }

    private static boolean allowed(NetworkPolicies p, NetworkPolicies.Endpoint from, NetworkPolicies.Endpoint to, int port, String protocol) {
        return p.decide(from, to, port, protocol).allowed();
    }

    @Test
    void withoutPoliciesEverythingIsAllowedAndNothingIsIsolated() {
        Verdict v = policies("").decide(WEB, API, 9000, "TCP");
        assertTrue(v.allowed());
        assertFalse(v.egress().isolated());
        assertFalse(v.ingress().isolated());
    }

    @Test
    void aPolicyWithoutRulesIsolatesAndAdmitsNothing() {
        NetworkPolicies p = policies("{namespace: shop, name: deny, spec: {podSelector: {}, policyTypes: [Ingress, Egress]}}");
        Verdict v = p.decide(WEB, API, 9000, "TCP");
        assertFalse(v.allowed());
        assertTrue(v.egress().isolated());
        assertNull(v.egress().allowedBy());
        assertTrue(v.ingress().isolated());
        assertNull(v.ingress().allowedBy());
    }

    @Test
    void policiesAddUp() {
        NetworkPolicies p = policies("""
                {namespace: shop, name: deny, spec: {podSelector: {}, policyTypes: [Ingress]}}
                ---
                {namespace: shop, name: from-web, spec: {podSelector: {matchLabels: {app: api}}, ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]}}
                ---
                {namespace: shop, name: from-monitoring, spec: {podSelector: {matchLabels: {app: api}}, ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}}], ports: [{port: 9000}]}]}}
                """);
        Verdict fromWeb = p.decide(WEB, API, 9000, "TCP");
        assertTrue(fromWeb.allowed());
        assertEquals("NetworkPolicy shop/from-web", fromWeb.ingress().allowedBy());
        assertEquals("NetworkPolicy shop/from-monitoring", p.decide(PROM, API, 9000, "TCP").ingress().allowedBy());
        assertFalse(allowed(p, PROM, API, 9001, "TCP"), "the monitoring rule admits port 9000 only");
        assertFalse(allowed(p, OTHER, API, 9000, "TCP"), "no rule admits namespace other");
    }

    @Test
    void policyTypesDefaultToIngressAndToEgressOnlyWithEgressRules() {
        NetworkPolicies ingressOnly = policies("{namespace: shop, name: p, spec: {podSelector: {}, ingress: []}}");
        assertTrue(ingressOnly.decide(WEB, API, 9000, "TCP").ingress().isolated(), "every policy affects ingress");
        assertFalse(ingressOnly.decide(WEB, API, 9000, "TCP").egress().isolated(), "no egress section: egress is not affected");

        NetworkPolicies emptyEgress = policies("{namespace: shop, name: p, spec: {podSelector: {}, egress: []}}");
        assertFalse(emptyEgress.decide(WEB, OTHER, 8080, "TCP").egress().isolated(), "an empty egress list is no egress section");

        NetworkPolicies withEgress = policies("{namespace: shop, name: p, spec: {podSelector: {}, egress: [{to: [{podSelector: {}}]}]}}");
        Verdict v = withEgress.decide(WEB, OTHER, 8080, "TCP");
        assertTrue(v.egress().isolated(), "an egress section makes the policy affect egress");
        assertFalse(v.egress().allows(), "podSelector alone is the policy's own namespace");
        assertTrue(withEgress.decide(WEB, API, 9000, "TCP").egress().allows());
        assertTrue(withEgress.decide(PROM, WEB, 8080, "TCP").ingress().isolated(), "and ingress, with no rules");

        NetworkPolicies egressOnly = policies("{namespace: shop, name: p, spec: {podSelector: {}, policyTypes: [Egress]}}");
        assertFalse(egressOnly.decide(PROM, WEB, 8080, "TCP").ingress().isolated(), "policyTypes as written: Egress only");
        assertTrue(egressOnly.decide(WEB, PROM, 80, "TCP").egress().isolated());
    }

    @Test
    void theSpecPodSelectorSelectsPodsOfThePolicysNamespaceOnly() {
        NetworkPolicies p = policies("{namespace: shop, name: p, spec: {podSelector: {}, policyTypes: [Ingress]}}");
        assertFalse(allowed(p, PROM, WEB, 8080, "TCP"));
        assertTrue(allowed(p, PROM, OTHER, 8080, "TCP"), "a pod of another namespace with the same labels is not selected");

        NetworkPolicies some = policies("{namespace: shop, name: p, spec: {podSelector: {matchLabels: {app: api}}, policyTypes: [Ingress]}}");
        assertTrue(allowed(some, PROM, WEB, 8080, "TCP"), "web is not selected");
        assertFalse(allowed(some, PROM, API, 9000, "TCP"));
    }

    @Test
    void peersPodSelectorNamespaceSelectorAndBoth() {
        Map<String, Map<String, String>> ns = Map.of("shop", Map.of("team", "a"), "other", Map.of("team", "a"), "monitoring", Map.of("team", "ops"));
        String header = "{namespace: shop, name: p, spec: {podSelector: {matchLabels: {app: api}}, ingress: [{from: [%s]}]}}";
        NetworkPolicies podsOnly = policies(ns, header.formatted("{podSelector: {matchLabels: {app: web}}}"));
        assertTrue(allowed(podsOnly, WEB, API, 9000, "TCP"));
        assertFalse(allowed(podsOnly, OTHER, API, 9000, "TCP"), "podSelector alone: the policy's namespace");

        NetworkPolicies namespacesOnly = policies(ns, header.formatted("{namespaceSelector: {matchLabels: {team: a}}}"));
        assertTrue(allowed(namespacesOnly, OTHER, API, 9000, "TCP"));
        assertTrue(allowed(namespacesOnly, WEB, API, 9000, "TCP"));
        assertFalse(allowed(namespacesOnly, PROM, API, 9000, "TCP"));

        NetworkPolicies both = policies(ns, header.formatted("{namespaceSelector: {matchLabels: {team: a}}, podSelector: {matchLabels: {app: web}}}"));
        assertTrue(allowed(both, OTHER, API, 9000, "TCP"), "both: pods of those labels in those namespaces");
        assertFalse(allowed(both, pod("other", Map.of("app", "batch")), API, 9000, "TCP"));
        assertFalse(allowed(both, PROM, API, 9000, "TCP"));

        NetworkPolicies twoPeers = policies(ns, header.formatted("{namespaceSelector: {matchLabels: {team: a}}}, {podSelector: {matchLabels: {app: prometheus}}}"));
        assertTrue(allowed(twoPeers, OTHER, API, 9000, "TCP"), "two peers: either");
        assertFalse(allowed(twoPeers, PROM, API, 9000, "TCP"), "the second peer is the policy's namespace only");

        NetworkPolicies everyNamespace = policies(ns, header.formatted("{namespaceSelector: {}}"));
        assertTrue(allowed(everyNamespace, PROM, API, 9000, "TCP"), "an empty namespaceSelector selects every namespace");
        NetworkPolicies everyPod = policies(ns, header.formatted("{podSelector: {}}"));
        assertTrue(allowed(everyPod, WEB, API, 9000, "TCP"));
        assertFalse(allowed(everyPod, PROM, API, 9000, "TCP"), "an empty podSelector alone: every pod of the policy's namespace");
    }

    @Test
    void namespacesCarryTheirNameLabelRenderedOrNot() {
        NetworkPolicies p = policies(Map.of("shop", Map.of("plinth.dev/tenant", "t")),
                "{namespace: shop, name: p, spec: {podSelector: {}, ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}}]}]}}");
        assertTrue(allowed(p, PROM, WEB, 8080, "TCP"), "monitoring is not rendered and still has its name label");
        assertEquals("shop", p.namespaceLabels("shop").get("kubernetes.io/metadata.name"));
        assertEquals("t", p.namespaceLabels("shop").get("plinth.dev/tenant"));
    }

    @Test
    void matchExpressions() {
        String rule = "{namespace: shop, name: p, spec: {podSelector: {}, ingress: [{from: [{podSelector: {matchExpressions: [%s]}}]}]}}";
        Pod backend = pod("shop", Map.of("app", "api", "tier", "backend"));
        Pod plain = pod("shop", Map.of("app", "batch"));
        NetworkPolicies in = policies(rule.formatted("{key: app, operator: In, values: [api, web]}"));
        assertTrue(allowed(in, backend, WEB, 8080, "TCP"));
        assertFalse(allowed(in, plain, WEB, 8080, "TCP"));
        NetworkPolicies notIn = policies(rule.formatted("{key: app, operator: NotIn, values: [api]}"));
        assertFalse(allowed(notIn, backend, WEB, 8080, "TCP"));
        assertTrue(allowed(notIn, plain, WEB, 8080, "TCP"));
        NetworkPolicies exists = policies(rule.formatted("{key: tier, operator: Exists}"));
        assertTrue(allowed(exists, backend, WEB, 8080, "TCP"));
        assertFalse(allowed(exists, plain, WEB, 8080, "TCP"));
        NetworkPolicies absent = policies(rule.formatted("{key: tier, operator: DoesNotExist}"));
        assertFalse(allowed(absent, backend, WEB, 8080, "TCP"));
        assertTrue(allowed(absent, plain, WEB, 8080, "TCP"));
    }

    @Test
    void namedPortsResolveAgainstTheDestinationPod() {
        NetworkPolicies ingress = policies("{namespace: shop, name: p, spec: {podSelector: {}, ingress: [{ports: [{port: http}]}]}}");
        assertTrue(allowed(ingress, PROM, WEB, 8080, "TCP"), "web's http is 8080");
        assertFalse(allowed(ingress, PROM, WEB, 9000, "TCP"));
        assertTrue(allowed(ingress, PROM, API, 9000, "TCP"), "api's http is 9000");
        assertFalse(allowed(ingress, PROM, API, 8080, "TCP"));
        assertFalse(allowed(ingress, PROM, WEB, 8080, "UDP"), "the rule's protocol defaults to TCP");

        NetworkPolicies udp = policies("{namespace: shop, name: p, spec: {podSelector: {}, ingress: [{ports: [{port: dns, protocol: UDP}]}]}}");
        assertTrue(allowed(udp, PROM, WEB, 5353, "UDP"));
        assertFalse(allowed(udp, PROM, WEB, 5353, "TCP"));

        // in an egress rule too the name is the destination's port, not the source's
        NetworkPolicies egress = policies("{namespace: shop, name: p, spec: {podSelector: {matchLabels: {app: api}}, policyTypes: [Egress], egress: [{ports: [{port: http}]}]}}");
        assertTrue(allowed(egress, API, WEB, 8080, "TCP"), "web's http, although api's http is 9000");
        assertFalse(allowed(egress, API, WEB, 9000, "TCP"));
        assertFalse(allowed(egress, API, API_SERVER, 443, "TCP"), "an address has no named ports");
    }

    @Test
    void portNumbersRangesProtocolsAndNoPorts() {
        NetworkPolicies range = policies("{namespace: shop, name: p, spec: {podSelector: {}, ingress: [{ports: [{port: 8000, endPort: 8100}]}]}}");
        assertTrue(allowed(range, PROM, WEB, 8000, "TCP"));
        assertTrue(allowed(range, PROM, WEB, 8080, "TCP"));
        assertTrue(allowed(range, PROM, WEB, 8100, "TCP"));
        assertFalse(allowed(range, PROM, WEB, 8101, "TCP"));
        assertFalse(allowed(range, PROM, WEB, 7999, "TCP"));

        NetworkPolicies protocolOnly = policies("{namespace: shop, name: p, spec: {podSelector: {}, ingress: [{ports: [{protocol: UDP}]}]}}");
        assertTrue(allowed(protocolOnly, PROM, WEB, 53, "UDP"), "a port without a number admits every port of its protocol");
        assertFalse(allowed(protocolOnly, PROM, WEB, 53, "TCP"));

        NetworkPolicies allPorts = policies("{namespace: shop, name: p, spec: {podSelector: {}, ingress: [{from: [{namespaceSelector: {}}]}]}}");
        assertTrue(allowed(allPorts, PROM, WEB, 1, "SCTP"), "no ports: every port and protocol");

        NetworkPolicies emptyFrom = policies("{namespace: shop, name: p, spec: {podSelector: {}, ingress: [{ports: [{port: 8080}]}]}}");
        assertTrue(allowed(emptyFrom, PROM, WEB, 8080, "TCP"), "no from: every source");
        assertTrue(allowed(emptyFrom, API_SERVER, WEB, 8080, "TCP"), "addresses too");
    }

    @Test
    void ipBlocksWithExceptIPv4AndIPv6() {
        NetworkPolicies p = policies("""
                {namespace: shop, name: p, spec: {podSelector: {}, policyTypes: [Egress], egress: [{to: [
                  {ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}},
                  {ipBlock: {cidr: "2001:db8::/32", except: ["2001:db8:1::/48"]}}]}]}}
                """);
        assertTrue(allowed(p, WEB, new Address(Cidr.parse("10.0.0.1/32"), "a"), 443, "TCP"));
        assertFalse(allowed(p, WEB, new Address(Cidr.parse("10.1.2.3/32"), "a"), 443, "TCP"), "in an except");
        assertFalse(allowed(p, WEB, new Address(Cidr.parse("10.0.0.0/7"), "a"), 443, "TCP"), "wider than the block");
        assertFalse(allowed(p, WEB, new Address(Cidr.parse("10.0.0.0/15"), "a"), 443, "TCP"), "a range overlapping an except");
        assertFalse(allowed(p, WEB, new Address(Cidr.parse("11.0.0.1/32"), "a"), 443, "TCP"));
        assertTrue(allowed(p, WEB, new Address(Cidr.parse("2001:db8:2::1/128"), "a"), 443, "TCP"));
        assertFalse(allowed(p, WEB, new Address(Cidr.parse("2001:db8:1::1/128"), "a"), 443, "TCP"), "in the IPv6 except");
        assertFalse(allowed(p, WEB, new Address(Cidr.parse("::ffff:10.0.0.1/128"), "a"), 443, "TCP"), "another address family");
        assertFalse(allowed(p, WEB, API, 9000, "TCP"), "ipBlocks never match pods");

        NetworkPolicies ingress = policies("{namespace: shop, name: p, spec: {podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 192.168.0.0/24}}]}]}}");
        assertTrue(allowed(ingress, new Address(Cidr.parse("192.168.0.7/32"), "lb"), WEB, 8080, "TCP"));
        assertFalse(allowed(ingress, new Address(Cidr.parse("192.168.1.7/32"), "lb"), WEB, 8080, "TCP"));
    }

    @Test
    void bothEndsMustAllow() {
        NetworkPolicies p = policies("""
                {namespace: shop, name: out, spec: {podSelector: {}, policyTypes: [Egress], egress: [{to: [{namespaceSelector: {}}]}]}}
                ---
                {namespace: other, name: in, spec: {podSelector: {}, policyTypes: [Ingress]}}
                """);
        Verdict v = p.decide(WEB, OTHER, 8080, "TCP");
        assertTrue(v.egress().allows());
        assertFalse(v.ingress().allows());
        assertFalse(v.allowed());
        assertTrue(p.decide(WEB, PROM, 9090, "TCP").allowed(), "monitoring has no policies: not isolated");
    }
}
