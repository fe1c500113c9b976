package dev.plinth.check.api;

import dev.plinth.values.FieldPath;

import java.util.List;
import java.util.Map;

import static dev.plinth.check.api.Fields.integer;
import static dev.plinth.check.api.Fields.list;
import static dev.plinth.check.api.Fields.map;
import static dev.plinth.check.api.Fields.str;
import static dev.plinth.check.api.Fields.text;

/** networking.k8s.io/v1: Ingress and NetworkPolicy (networking validation). */
final class Networking {
    private static final FieldPath SPEC = FieldPath.ROOT.field("spec");
    private static final List<String> INVALID_PATH_SEQUENCES = List.of("//", "/./", "/../", "%2f", "%2F");
    private static final List<String> INVALID_PATH_SUFFIXES = List.of("/..", "/.");

    private Networking() {
    }

    static void validate(String kind, Map<String, Object> body, Problems p) {
        if (kind.equals("Ingress")) ingress(map(body, "spec"), p);
        else if (kind.equals("NetworkPolicy")) networkPolicy(map(body, "spec"), p);
    }

    private static void ingress(Map<String, Object> spec, Problems p) {
        List<Object> rules = list(spec, "rules");
        boolean hasDefault = Fields.isMap(spec.get("defaultBackend"));
        if (!hasDefault && rules.isEmpty()) p.invalid(SPEC, "", "either `defaultBackend` or `rules` must be specified");
        if (hasDefault) backend(map(spec, "defaultBackend"), SPEC.field("defaultBackend"), p);
        String className = str(spec, "ingressClassName");
        if (className != null) p.check(SPEC.field("ingressClassName"), className, Names.dns1123Subdomain(className));
        for (int i = 0; i < rules.size(); i++) {
            Map<String, Object> rule = map(rules.get(i));
            FieldPath rp = SPEC.field("rules").index(i);
            String host = text(rule, "host");
            if (!host.isEmpty()) host(host, rp.field("host"), p);
            if (!Fields.isMap(rule.get("http"))) continue;
            List<Object> paths = list(map(rule, "http"), "paths");
            FieldPath pathsPath = rp.field("http").field("paths");
            if (paths.isEmpty()) p.required(pathsPath, "");
            for (int j = 0; j < paths.size(); j++) {
                Map<String, Object> hp = map(paths.get(j));
                FieldPath pp = pathsPath.index(j);
                httpPath(hp, pp, p);
                backend(map(hp, "backend"), pp.field("backend"), p);
            }
        }
        List<Object> tls = list(spec, "tls");
        for (int i = 0; i < tls.size(); i++) {
            Map<String, Object> t = map(tls.get(i));
            List<Object> hosts = list(t, "hosts");
            for (int j = 0; j < hosts.size(); j++) {
                String h = String.valueOf(hosts.get(j));
                FieldPath hp = SPEC.field("tls").index(i).field("hosts").index(j);
                p.check(hp, h, h.contains("*") ? Names.wildcardDns1123Subdomain(h) : Names.dns1123Subdomain(h));
            }
            String secret = str(t, "secretName");
            if (secret != null && !secret.isEmpty()) p.check(SPEC.field("tls").index(i).field("secretName"), secret, Names.dns1123Subdomain(secret));
        }
    }

    /** A rule's host: a DNS name (not an IP), or a wildcard '*.' followed by one. */
    private static void host(String host, FieldPath path, Problems p) {
        if (CoreObjects.isIp(host)) {
            p.invalid(path, host, "must be a DNS name, not an IP address");
        } else if (host.contains("*")) {
            p.check(path, host, Names.wildcardDns1123Subdomain(host));
        } else {
            p.check(path, host, Names.dns1123Subdomain(host));
        }
    }

    /** validateHTTPIngressPath: pathType required; Exact and Prefix paths absolute and clean; others start with '/' when set. */
    private static void httpPath(Map<String, Object> hp, FieldPath pp, Problems p) {
        String path = text(hp, "path");
        Object pathType = hp.get("pathType");
        if (pathType == null) {
            p.required(pp.field("pathType"), "pathType must be specified");
            return;
        }
        switch (String.valueOf(pathType)) {
            case "Exact", "Prefix" -> {
                if (!path.startsWith("/")) {
                    p.invalid(pp.field("path"), path, "must be an absolute path");
                    return;
                }
                for (String seq : INVALID_PATH_SEQUENCES) {
                    if (path.contains(seq)) {
                        p.invalid(pp.field("path"), path, "must not contain '" + seq + "'");
                        return;
                    }
                }
                for (String suffix : INVALID_PATH_SUFFIXES) {
                    if (path.endsWith(suffix)) {
                        p.invalid(pp.field("path"), path, "cannot end with '" + suffix + "'");
                        return;
                    }
                }
            }
            case "ImplementationSpecific" -> {
                if (!path.isEmpty() && !path.startsWith("/")) p.invalid(pp.field("path"), path, "must be an absolute path");
            }
            default -> p.unsupported(pp.field("pathType"), pathType, "\"Exact\", \"ImplementationSpecific\", \"Prefix\"");
        }
    }

    /** An IngressBackend: exactly one of service and resource; a service port has exactly one of name and number. */
    private static void backend(Map<String, Object> b, FieldPath path, Problems p) {
        boolean service = Fields.isMap(b.get("service"));
        boolean resource = Fields.isMap(b.get("resource"));
        if (service && resource) {
            p.invalid(path, "", "cannot set both resource and service backends");
            return;
        }
        if (!service && !resource) {
            p.invalid(path, "", "resource or service backend is required");
            return;
        }
        if (resource) {
            Map<String, Object> r = map(b, "resource");
            if (text(r, "kind").isEmpty()) p.required(path.field("resource").field("kind"), "");
            if (text(r, "name").isEmpty()) p.required(path.field("resource").field("name"), "");
            return;
        }
        Map<String, Object> s = map(b, "service");
        FieldPath sp = path.field("service");
        String name = text(s, "name");
        if (name.isEmpty()) p.required(sp.field("name"), "");
        else p.check(sp.field("name"), name, Names.dns1035Label(name));
        Map<String, Object> port = map(s, "port");
        String portName = text(port, "name");
        Long number = integer(port, "number");
        boolean hasNumber = number != null && number != 0;
        if (!portName.isEmpty() && hasNumber) {
            p.invalid(path, "", "cannot set both port name & port number");
        } else if (!portName.isEmpty()) {
            p.check(sp.field("port").field("name"), portName, Names.portName(portName));
        } else if (hasNumber) {
            if (Names.portNumber(number) != null) p.invalid(sp.field("port").field("number"), number, Names.portNumber(number));
        } else {
            p.required(path, "port name or number is required");
        }
    }

    private static void networkPolicy(Map<String, Object> spec, Problems p) {
        Meta.labelSelector(map(spec, "podSelector"), SPEC.field("podSelector"), p);
        for (String direction : new String[] {"ingress", "egress"}) {
            String peersField = direction.equals("ingress") ? "from" : "to";
            List<Object> rules = list(spec, direction);
            for (int i = 0; i < rules.size(); i++) {
                Map<String, Object> rule = map(rules.get(i));
                FieldPath rp = SPEC.field(direction).index(i);
                List<Object> ports = list(rule, "ports");
                for (int j = 0; j < ports.size(); j++) policyPort(map(ports.get(j)), rp.field("ports").index(j), p);
                List<Object> peers = list(rule, peersField);
                for (int j = 0; j < peers.size(); j++) peer(map(peers.get(j)), rp.field(peersField).index(j), p);
            }
        }
        List<Object> types = list(spec, "policyTypes");
        if (types.size() > 2) {
            p.invalid(SPEC.field("policyTypes"), types, "may not specify more than two policyTypes");
            return;
        }
        for (int i = 0; i < types.size(); i++) {
            String t = String.valueOf(types.get(i));
            if (!t.equals("Ingress") && !t.equals("Egress")) p.unsupported(SPEC.field("policyTypes").index(i), t, "\"Egress\", \"Ingress\"");
        }
    }

    /** A NetworkPolicyPort: protocol, a port number or name, and endPort only after a numeric port, not below it. */
    private static void policyPort(Map<String, Object> port, FieldPath path, Problems p) {
        PodSpecs.protocol(port, path, p);
        Object number = port.get("port");
        Long end = integer(port, "endPort");
        if (number != null) PodSpecs.portNumberOrName(number, path.field("port"), p);
        if (end == null) return;
        if (number == null) {
            p.invalid(path.field("endPort"), end, "may not be specified when `port` is not specified");
        } else if (number instanceof String) {
            p.invalid(path.field("endPort"), end, "may not be specified when `port` is non-numeric");
        } else if (number instanceof Number n) {
            if (end < n.longValue()) p.invalid(path.field("endPort"), end, "must be greater than or equal to `port`");
            else if (Names.portNumber(end) != null) p.invalid(path.field("endPort"), end, Names.portNumber(end));
        }
    }

    /** A NetworkPolicyPeer: selectors, or an ipBlock alone, with a valid CIDR whose excepts lie within it. */
    private static void peer(Map<String, Object> peer, FieldPath path, Problems p) {
        boolean pods = Fields.isMap(peer.get("podSelector"));
        boolean namespaces = Fields.isMap(peer.get("namespaceSelector"));
        boolean ipBlock = Fields.isMap(peer.get("ipBlock"));
        if (!pods && !namespaces && !ipBlock) {
            p.required(path, "must specify a peer");
            return;
        }
        if (ipBlock && (pods || namespaces)) {
            p.forbidden(path, "may not specify both ipBlock and another peer");
            return;
        }
        if (pods) Meta.labelSelector(map(peer, "podSelector"), path.field("podSelector"), p);
        if (namespaces) Meta.labelSelector(map(peer, "namespaceSelector"), path.field("namespaceSelector"), p);
        if (!ipBlock) return;
        Map<String, Object> block = map(peer, "ipBlock");
        FieldPath bp = path.field("ipBlock");
        String cidr = text(block, "cidr");
        Cidr net = Cidr.parse(cidr);
        if (cidr.isEmpty()) p.required(bp.field("cidr"), "");
        else if (net == null) p.invalid(bp.field("cidr"), cidr, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)");
        List<Object> except = list(block, "except");
        for (int i = 0; i < except.size(); i++) {
            String e = String.valueOf(except.get(i));
            Cidr x = Cidr.parse(e);
            if (x == null) {
                p.invalid(bp.field("except").index(i), e, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)");
            } else if (net != null && !net.strictlyContains(x)) {
                p.invalid(bp.field("except").index(i), e, "must be a strict subset of `cidr`");
            }
        }
    }
}
