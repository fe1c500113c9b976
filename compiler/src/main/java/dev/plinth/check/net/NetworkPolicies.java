package dev.plinth.check.net;

import dev.plinth.check.api.Cidr;
import dev.plinth.check.api.Fields;
import dev.plinth.values.LabelSelectors;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a cluster's NetworkPolicies allow, as Kubernetes specifies it (networking.k8s.io/v1, the
 * comments of k8s.io/api/networking/v1/types.go; docs/policies.md, Reachability): one entry
 * point, {@link #decide}, for a flow from a pod or an address to a pod or an address on a port.
 *
 * <p>A flow is allowed when both ends allow it: the source's egress (when the source is a pod)
 * and the destination's ingress (when the destination is a pod). An end is isolated in a
 * direction only when some policy of its namespace selects it and has that policy type; an
 * isolated end allows the flow when at least one rule of one of those policies admits it
 * (policies add up, none takes anything away). Policies are indexed by namespace, so deciding a
 * flow reads only the policies of its two ends' namespaces.
 */
public final class NetworkPolicies {
    /** TCP, the protocol of a port that names none. */
    public static final String TCP = "TCP";

    /** A container port of a pod: its name (null when it has none), number and protocol. */
    public record Port(String name, int number, String protocol) {
    }

    /** One end of a flow: a pod, or an address outside the pod network. */
    public sealed interface Endpoint permits Pod, Address {
        String describe();
    }

    /**
     * A pod as NetworkPolicies see it: its namespace, labels and container ports.
     *
     * @param describe how messages name it ("Deployment team/web", "Prometheus in monitoring")
     */
    public record Pod(String namespace, Map<String, String> labels, List<Port> ports, String describe) implements Endpoint {
        /** The container port of this number and protocol, or null. */
        public Port port(int number, String protocol) {
            for (Port p : ports) if (p.number() == number && p.protocol().equals(protocol)) return p;
            return null;
        }

        /** The container port of this name, or null. */
        public Port port(String name) {
            for (Port p : ports) if (name.equals(p.name())) return p;
            return null;
        }
    }

    /** Addresses outside the pod network (the API server's), which only {@code ipBlock} peers match. */
    public record Address(Cidr cidr, String describe) implements Endpoint {
    }

    /** A rendered NetworkPolicy (or one an operator creates): namespace, name and {@code spec}. */
    public record Policy(String namespace, String name, Map<String, Object> spec) {
        String describe() {
            return "NetworkPolicy " + namespace + "/" + name;
        }
    }

    /**
     * What one end says of a flow.
     *
     * @param isolated  some policy selects the end with this direction's policy type
     * @param allowedBy the policy whose rule admits the flow ("NetworkPolicy ns/name"), or null
     */
    public record Side(boolean isolated, String allowedBy) {
        static final Side NOT_ISOLATED = new Side(false, null);

        public boolean allows() {
            return !isolated || allowedBy != null;
        }
    }

    /** Both ends' answers: the source's egress and the destination's ingress. */
    public record Verdict(Side egress, Side ingress) {
        public boolean allowed() {
            return egress.allows() && ingress.allows();
        }
    }

    private final Map<String, List<Policy>> byNamespace = new HashMap<>();
    private final Map<String, Map<String, String>> namespaceLabels;

    private NetworkPolicies(List<Policy> policies, Map<String, Map<String, String>> namespaceLabels) {
        for (Policy p : policies) byNamespace.computeIfAbsent(p.namespace(), k -> new ArrayList<>()).add(p);
        this.namespaceLabels = namespaceLabels;
    }

    /**
     * @param namespaceLabels the labels of the namespaces that are rendered, by name; every
     *                        namespace also carries {@code kubernetes.io/metadata.name}, which the
     *                        API server sets to its name, rendered or not
     */
    public static NetworkPolicies of(List<Policy> policies, Map<String, Map<String, String>> namespaceLabels) {
        return new NetworkPolicies(policies, namespaceLabels);
    }

    /** The labels of a namespace as namespace selectors see them. */
    public Map<String, String> namespaceLabels(String namespace) {
        Map<String, String> labels = new LinkedHashMap<>(namespaceLabels.getOrDefault(namespace, Map.of()));
        labels.put("kubernetes.io/metadata.name", namespace);
        return labels;
    }

    /** Whether the flow from {@code from} to {@code to} on {@code port}/{@code protocol} is allowed, at each end. */
    public Verdict decide(Endpoint from, Endpoint to, int port, String protocol) {
        Side egress = from instanceof Pod source ? side(source, "Egress", "egress", "to", to, port, protocol) : Side.NOT_ISOLATED;
        Side ingress = to instanceof Pod target ? side(target, "Ingress", "ingress", "from", from, port, protocol) : Side.NOT_ISOLATED;
        return new Verdict(egress, ingress);
    }

    /** One end's answer: the policies selecting {@code self} with this type, and the first whose rule admits the peer. */
    private Side side(Pod self, String type, String rulesField, String peersField, Endpoint peer, int port, String protocol) {
        boolean isolated = false;
        for (Policy p : byNamespace.getOrDefault(self.namespace(), List.of())) {
            Map<String, Object> spec = p.spec();
            if (!hasType(spec, type) || !LabelSelectors.matches(Fields.map(spec.get("podSelector")), self.labels())) continue;
            isolated = true;
            // the destination's ports name the port, in egress rules too
            Endpoint destination = peersField.equals("to") ? peer : self;
            for (Object r : Fields.list(spec.get(rulesField))) {
                Map<String, Object> rule = Fields.map(r);
                if (peersMatch(Fields.list(rule.get(peersField)), p.namespace(), peer)
                        && portsMatch(Fields.list(rule.get("ports")), destination, port, protocol)) {
                    return new Side(true, p.describe());
                }
            }
        }
        return isolated ? new Side(true, null) : Side.NOT_ISOLATED;
    }

    /**
     * The policy's types: as written, or by default Ingress, and Egress when it has egress
     * rules (an empty {@code egress} list is no egress section: SetDefaults_NetworkPolicySpec
     * tests its length).
     */
    static boolean hasType(Map<String, Object> spec, String type) {
        List<Object> types = Fields.list(spec.get("policyTypes"));
        if (!types.isEmpty()) return types.contains(type);
        return type.equals("Ingress") || !Fields.list(spec.get("egress")).isEmpty();
    }

    /** An empty or absent list of peers admits everything; otherwise one peer must match. */
    private boolean peersMatch(List<Object> peers, String policyNamespace, Endpoint peer) {
        if (peers.isEmpty()) return true;
        for (Object o : peers) if (peerMatches(Fields.map(o), policyNamespace, peer)) return true;
        return false;
    }

    /**
     * One NetworkPolicyPeer: an {@code ipBlock} matches addresses in its CIDR outside its
     * excepts (never a pod: pod addresses are not known at build time, and the API leaves it to
     * the network plugin whether ipBlocks apply to pod traffic); selectors match pods:
     * {@code podSelector} alone the policy's own namespace, {@code namespaceSelector} alone
     * every pod of the namespaces it selects, both together pods that match both.
     */
    private boolean peerMatches(Map<String, Object> peer, String policyNamespace, Endpoint endpoint) {
        if (peer.get("ipBlock") instanceof Map<?, ?> block) {
            if (!(endpoint instanceof Address address)) return false;
            Cidr cidr = Cidr.parse(String.valueOf(block.get("cidr")));
            if (cidr == null || !cidr.contains(address.cidr())) return false;
            for (Object e : Fields.list(block.get("except"))) {
                Cidr except = Cidr.parse(String.valueOf(e));
                if (except != null && except.overlaps(address.cidr())) return false;
            }
            return true;
        }
        Object podSelector = peer.get("podSelector");
        Object namespaceSelector = peer.get("namespaceSelector");
        if (podSelector == null && namespaceSelector == null) return false; // an empty peer, which validation refuses
        if (!(endpoint instanceof Pod pod)) return false;
        boolean namespaceOk = namespaceSelector == null ? pod.namespace().equals(policyNamespace)
                : LabelSelectors.matches(Fields.map(namespaceSelector), namespaceLabels(pod.namespace()));
        return namespaceOk && (podSelector == null || LabelSelectors.matches(Fields.map(podSelector), pod.labels()));
    }

    /**
     * An empty or absent list of ports admits every port; otherwise one must match: its protocol
     * (default TCP), and its port: absent (every port of the protocol), a number (up to
     * {@code endPort} when given), or a name, which is the destination pod's container port of
     * that name, number and protocol (an address has no named ports).
     */
    static boolean portsMatch(List<Object> ports, Endpoint destination, int port, String protocol) {
        if (ports.isEmpty()) return true;
        for (Object o : ports) {
            Map<String, Object> p = Fields.map(o);
            Object proto = p.get("protocol");
            if (!(proto == null ? TCP : String.valueOf(proto)).equals(protocol)) continue;
            Object number = p.get("port");
            if (number == null) return true;
            if (number instanceof String name) {
                if (destination instanceof Pod pod) {
                    Port named = pod.port(name);
                    if (named != null && named.number() == port && named.protocol().equals(protocol)) return true;
                }
                continue;
            }
            Integer first = integer(number);
            if (first == null) continue;
            Integer end = integer(p.get("endPort"));
            if (port == first || (end != null && port >= first && port <= end)) return true;
        }
        return false;
    }

    /** A whole number as YAML or Jsonnet give it (Integer, Long or an integral Double), or null. */
    public static Integer integer(Object o) {
        if (o instanceof Integer || o instanceof Long || o instanceof Short) return ((Number) o).intValue();
        if (o instanceof Double d && d == Math.rint(d) && Math.abs(d) < Integer.MAX_VALUE) return d.intValue();
        return null;
    }
}
