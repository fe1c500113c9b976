package dev.plinth.check.api;

import org.junit.jupiter.api.Test;

import static dev.plinth.check.api.ApiValidationTestSupport.accepted;
import static dev.plinth.check.api.ApiValidationTestSupport.rejected;

/** Ingress and NetworkPolicy, with cases from kubernetes pkg/apis/networking/validation/validation_test.go. */
class ApiValidationNetworkingTest {
    private static String ingress(String spec) {
        return "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web, namespace: ns}\nspec:\n" + spec.indent(2);
    }

    private static String rule(String host, String path, String pathType, String backend) {
        return "rules:\n- host: '" + host + "'\n  http:\n    paths:\n    - {path: '" + path + "'" + (pathType == null ? "" : ", pathType: " + pathType)
                + ", backend: " + backend + "}";
    }

    private static final String SVC = "{service: {name: web, port: {number: 80}}}";

    @Test
    void paths() { // TestValidateIngress: "path: Invalid value" for relative Exact/Prefix, "pathType: Required value", TestValidateIngressCreate path cases
        accepted(ingress(rule("foo.bar.com", "/foo", "Prefix", SVC)));
        accepted(ingress(rule("foo.bar.com", "/", "Exact", SVC)));
        accepted(ingress(rule("foo.bar.com", "", "ImplementationSpecific", SVC)));
        accepted(ingress(rule("foo.bar.com", "/foo(/|$)(.*)", "ImplementationSpecific", SVC)));
        rejected(ingress(rule("foo.bar.com", "foo", "Prefix", SVC)), "spec.rules[0].http.paths[0].path", "must be an absolute path");
        rejected(ingress(rule("foo.bar.com", "foo", "Exact", SVC)), "spec.rules[0].http.paths[0].path", "must be an absolute path");
        rejected(ingress(rule("foo.bar.com", "foo", "ImplementationSpecific", SVC)), "spec.rules[0].http.paths[0].path", "must be an absolute path");
        rejected(ingress(rule("foo.bar.com", "/foo//bar", "Prefix", SVC)), "spec.rules[0].http.paths[0].path", "must not contain '//'");
        rejected(ingress(rule("foo.bar.com", "/foo/..", "Exact", SVC)), "spec.rules[0].http.paths[0].path", "cannot end with '/..'");
        rejected(ingress(rule("foo.bar.com", "/foo", null, SVC)), "spec.rules[0].http.paths[0].pathType", "Required value");
        rejected(ingress(rule("foo.bar.com", "/foo", "Regex", SVC)), "spec.rules[0].http.paths[0].pathType", "Unsupported value");
    }

    @Test
    void backends() { // TestValidateIngress: "both resource and service", "port name and number", "no port", "invalid service name"
        String b = "spec.rules[0].http.paths[0].backend";
        accepted(ingress(rule("foo.bar.com", "/", "Prefix", "{service: {name: web, port: {name: http}}}")));
        accepted(ingress(rule("foo.bar.com", "/", "Prefix", "{resource: {apiGroup: example.com, kind: Bucket, name: b}}")));
        rejected(ingress(rule("foo.bar.com", "/", "Prefix", "{service: {name: web, port: {number: 80}}, resource: {kind: Bucket, name: b}}")),
                b, "cannot set both resource and service backends");
        rejected(ingress(rule("foo.bar.com", "/", "Prefix", "{service: {name: web, port: {name: http, number: 80}}}")),
                b, "cannot set both port name & port number");
        rejected(ingress(rule("foo.bar.com", "/", "Prefix", "{service: {name: web, port: {}}}")), b, "port name or number is required");
        rejected(ingress(rule("foo.bar.com", "/", "Prefix", "{service: {name: Web, port: {number: 80}}}")), b + ".service.name", "DNS-1035");
        rejected(ingress(rule("foo.bar.com", "/", "Prefix", "{}")), b, "resource or service backend is required");
        rejected(ingress("tls: [{hosts: [foo.bar.com]}]"), "spec", "either `defaultBackend` or `rules` must be specified");
    }

    @Test
    void hosts() { // TestValidateIngress: "host: IP address", "wildcard host", "invalid wildcard", TestValidateIngressTLS
        accepted(ingress(rule("*.bar.com", "/", "Prefix", SVC)));
        rejected(ingress(rule("127.0.0.1", "/", "Prefix", SVC)), "spec.rules[0].host", "must be a DNS name, not an IP address");
        rejected(ingress(rule("*.*.bar.com", "/", "Prefix", SVC)), "spec.rules[0].host", "wildcard");
        rejected(ingress(rule("Foo.bar.com", "/", "Prefix", SVC)), "spec.rules[0].host", "subdomain");
        accepted(ingress(rule("foo.bar.com", "/", "Prefix", SVC) + "\ntls: [{hosts: ['*.bar.com', foo.bar.com], secretName: tls}]"));
        rejected(ingress(rule("foo.bar.com", "/", "Prefix", SVC) + "\ntls: [{hosts: ['*.*.bar.com']}]"), "spec.tls[0].hosts[0]", "wildcard");
    }

    private static String policy(String spec) {
        return "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np, namespace: ns}\nspec:\n  podSelector: {}\n" + spec.indent(2);
    }

    @Test
    void networkPolicies() { // TestValidateNetworkPolicy: "invalid ingress.ports.port", "endPort with named port", "endPort < port", "ipBlock with selector", "except not in cidr", "policyTypes"
        accepted(policy("policyTypes: [Ingress, Egress]\ningress:\n- from: [{podSelector: {matchLabels: {a: b}}, namespaceSelector: {matchLabels: {c: d}}}, {ipBlock: {cidr: 192.168.0.0/16, except: [192.168.3.0/24, 192.168.4.0/24]}}]\n"
                + "  ports: [{port: 80}, {port: http, protocol: TCP}, {port: 30000, endPort: 32768}]\negress:\n- to: [{ipBlock: {cidr: 'fd00:192:168::/48', except: ['fd00:192:168:3::/64']}}]"));
        rejected(policy("ingress:\n- ports: [{port: 65536}]"), "spec.ingress[0].ports[0].port", "between 1 and 65535");
        rejected(policy("ingress:\n- ports: [{port: Http}]"), "spec.ingress[0].ports[0].port", "alpha-numeric");
        rejected(policy("ingress:\n- ports: [{port: http, endPort: 32768}]"), "spec.ingress[0].ports[0].endPort", "may not be specified when `port` is non-numeric");
        rejected(policy("ingress:\n- ports: [{port: 32768, endPort: 30000}]"), "spec.ingress[0].ports[0].endPort", "must be greater than or equal to `port`");
        rejected(policy("ingress:\n- ports: [{endPort: 30000}]"), "spec.ingress[0].ports[0].endPort", "may not be specified when `port` is not specified");
        rejected(policy("ingress:\n- from: [{ipBlock: {cidr: 192.168.0.0/16}, podSelector: {}}]"), "spec.ingress[0].from[0]", "may not specify both ipBlock and another peer");
        rejected(policy("ingress:\n- from: [{}]"), "spec.ingress[0].from[0]", "must specify a peer");
        rejected(policy("egress:\n- to: [{ipBlock: {cidr: 192.168.5.6}}]"), "spec.egress[0].to[0].ipBlock.cidr", "valid CIDR");
        rejected(policy("egress:\n- to: [{ipBlock: {cidr: 192.168.0.0/16, except: [192.169.3.0/24]}}]"), "spec.egress[0].to[0].ipBlock.except[0]", "strict subset");
        rejected(policy("egress:\n- to: [{ipBlock: {cidr: 192.168.0.0/24, except: [192.168.0.0/24]}}]"), "spec.egress[0].to[0].ipBlock.except[0]", "strict subset");
        rejected(policy("policyTypes: [Ingress, Foo]"), "spec.policyTypes[1]", "Unsupported value");
        rejected(policy("policyTypes: [Ingress, Egress, Ingress]"), "spec.policyTypes", "may not specify more than two policyTypes");
    }
}
