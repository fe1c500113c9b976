package dev.plinth.check.net;

import dev.plinth.check.api.Cidr;
import dev.plinth.check.api.Fields;
import dev.plinth.check.net.ClusterPods.Workload;
import dev.plinth.check.net.NetworkPolicies.Address;
import dev.plinth.check.net.NetworkPolicies.Endpoint;
import dev.plinth.check.net.NetworkPolicies.Pod;
import dev.plinth.check.net.NetworkPolicies.Port;
import dev.plinth.check.net.NetworkPolicies.Verdict;
import dev.plinth.diag.Loc;
import dev.plinth.render.RenderedObject;
import dev.plinth.render.RenderedPlatform.RenderedCluster;
import dev.plinth.resolve.ResolvedPlatform.ClusterPlan;
import dev.plinth.resolve.ResolvedPlatform.Link;
import dev.plinth.resolve.ResolvedPlatform.Links;
import dev.plinth.spec.Specs.Cluster;
import dev.plinth.spec.Specs.Use;
import dev.plinth.values.LabelSelectors;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The flows a cluster's platform needs (docs/policies.md, Reachability), each decided by the
 * cluster's NetworkPolicies: Prometheus to every monitor's targets, the operators to the pods
 * they drive, API clients to the API server, every pod to cluster DNS, KEDA to its scalers'
 * targets, and the uses components declare. Entry point: {@link #of}.
 *
 * <p>Only flows whose two ends exist are decided: the pods of the rendered workloads and of the
 * custom resources ({@link OperatorPods}), and one virtual pod for each party that runs outside
 * the rendered namespaces (Prometheus, each operator, KEDA, kube-dns), which has the labels its
 * installation gives it and lives in its platform.yaml namespace.
 */
public final class Flows {
    /** The kinds of flows, in the order the matrix lists them. */
    public enum Kind {
        MONITORING("monitoring"), OPERATOR("operator"), API_SERVER("api-server"), DNS("dns"), KEDA("keda"), USE("use");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * One needed flow and its verdict.
     *
     * @param at    the rendered object whose spec line implies the flow (a monitor, a custom
     *              resource, a workload, a ScaledObject)
     * @param path  the field of {@code at} that implies it, or null
     * @param value the spec value to place a finding at (see Findings), or null
     * @param loc   the spec line to place a finding at instead of {@code at}'s (a declared use), or null
     */
    public record Flow(Kind kind, Endpoint from, Endpoint to, int port, String protocol, Verdict verdict,
                       RenderedObject at, String path, Object value, Loc loc) {
        /** "FROM -> TO on PORT/PROTOCOL". */
        public String describe() {
            return from.describe() + " -> " + to.describe() + " on " + port + "/" + protocol;
        }

        /** Which end blocks it and what is missing, for a blocked flow. */
        public String missing() {
            List<String> ends = new ArrayList<>();
            if (!verdict.egress().allows()) {
                ends.add("the source's egress: NetworkPolicies of namespace " + ((Pod) from).namespace()
                        + " isolate it and no egress rule admits this flow");
            }
            if (!verdict.ingress().allows()) {
                ends.add("the destination's ingress: NetworkPolicies of namespace " + ((Pod) to).namespace()
                        + " isolate it and no ingress rule admits this flow");
            }
            return String.join("; ", ends);
        }

        /** What decides it at each end, for the matrix: the policy that allows it, no isolation, or the blocking namespace. */
        public String rule() {
            return "egress " + side(verdict.egress(), from) + "; ingress " + side(verdict.ingress(), to);
        }

        private static String side(NetworkPolicies.Side s, Endpoint end) {
            if (!(end instanceof Pod pod)) return "n/a (an address)";
            if (!s.isolated()) return "not isolated";
            return s.allowedBy() != null ? "by " + s.allowedBy() : "BLOCKED (no rule in namespace " + pod.namespace() + ")";
        }
    }

    /**
     * Pods that need the API server on a cluster that cannot name it (no {@code apiServerCIDRs}
     * and no IP address in {@code server}).
     */
    public record UnknownApiServer(Cluster cluster, Workload first, List<String> pods) {
    }

    /** A cluster's needed flows, in a deterministic order, and its unknown API server if any. */
    public record ClusterFlows(String cluster, List<Flow> flows, UnknownApiServer unknownApiServer) {
        public List<Flow> blocked() {
            return flows.stream().filter(f -> !f.verdict().allowed()).toList();
        }
    }

    /**
     * The flow matrix of {@code plinth validate --flows}: per cluster, each needed flow once
     * (flows several spec lines imply are one row), allowed or blocked, with what decides it at
     * each end; in the order of {@link #of}.
     */
    public static String matrix(List<ClusterFlows> clusters) {
        StringBuilder sb = new StringBuilder();
        for (ClusterFlows c : clusters) {
            Set<String> rows = new LinkedHashSet<>();
            for (Flow f : c.flows()) {
                rows.add("  " + (f.verdict().allowed() ? "allowed" : "BLOCKED") + "  " + f.kind().label() + "  " + f.describe()
                        + "  [" + f.rule() + "]");
            }
            long blocked = rows.stream().filter(r -> r.startsWith("  BLOCKED")).count();
            sb.append("cluster ").append(c.cluster()).append(": ").append(rows.size()).append(rows.size() == 1 ? " flow, " : " flows, ")
                    .append(blocked).append(" blocked\n");
            if (c.unknownApiServer() != null) {
                sb.append("  UNKNOWN  api-server  the cluster names no API server address (apiServerCIDRs), which ")
                        .append(String.join(", ", c.unknownApiServer().pods())).append(" need\n");
            }
            rows.forEach(r -> sb.append(r).append('\n'));
        }
        return sb.toString();
    }

    /** Where the platform's parties run and how Prometheus's pods are labelled (platform.yaml, defaults applied by its schema). */
    record Settings(String monitoringNamespace, Map<String, String> prometheusLabels, Map<String, String> operatorNamespaces) {
        static Settings of(Map<String, Object> platform) {
            Map<String, Object> monitoring = Fields.map(platform.get("monitoring"));
            return new Settings(String.valueOf(monitoring.get("namespace")), OperatorPods.strings(monitoring.get("podSelector")),
                    OperatorPods.strings(platform.get("operatorNamespaces")));
        }
    }

    private final List<RenderedObject> objects;
    private final Cluster cluster;
    private final ClusterPlan plan;
    private final Map<String, List<Map<String, Object>>> listens;
    private final ClusterPods pods;
    private final Settings settings;
    private final List<Flow> flows = new ArrayList<>();
    private final Pod prometheus;
    /** The pods of each placed component and the KafkaTopics of each, by "app/component" (made on the first use). */
    private Map<String, List<Workload>> byComponent;
    private Map<String, List<RenderedObject>> topics;

    private Flows(List<RenderedObject> objects, Cluster cluster, ClusterPlan plan, Map<String, List<Map<String, Object>>> listens,
                  Map<String, Object> platform) {
        this.objects = objects;
        this.cluster = cluster;
        this.plan = plan;
        this.listens = listens;
        this.pods = ClusterPods.of(objects);
        this.settings = Settings.of(platform);
        this.prometheus = new Pod(settings.monitoringNamespace(), settings.prometheusLabels(), List.of(),
                "Prometheus (namespace " + settings.monitoringNamespace() + ")");
    }

    /**
     * Every flow the cluster needs and its verdict, and the cluster's unknown API server: the
     * flow matrix. The check decides the same flows in two parts ({@link #local}, {@link #crossing}).
     *
     * @param platform the checked {@code spec} of platform.yaml
     */
    public static ClusterFlows of(RenderedCluster cluster, Map<String, Object> platform) {
        Flows f = new Flows(cluster.objects(), cluster.cluster(), cluster.plan(), cluster.listens(), platform);
        f.decided();
        f.uses();
        return new ClusterFlows(cluster.cluster().name(), sorted(f.flows), f.unknownApiServer());
    }

    /**
     * The flows that the objects of one namespace (with the cluster-scoped ones) decide alone:
     * those but declared uses that read at most one rendered namespace, the one of the object
     * that implies them and of their pods (the other ends' namespaces, such as Prometheus's,
     * have no NetworkPolicies in the output). Their findings can
     * be kept per namespace: they read nothing else.
     */
    public static List<Flow> local(List<RenderedObject> objects, Cluster cluster, ClusterPlan plan,
                                   Map<String, List<Map<String, Object>>> listens, Map<String, Object> platform) {
        Flows f = new Flows(objects, cluster, plan, listens, platform);
        f.decided();
        Set<String> rendered = renderedNamespaces(objects, plan);
        return sorted(f.flows.stream().filter(x -> renderedEnds(x, rendered) <= 1).toList());
    }

    /**
     * The rest, decided over the whole cluster on every render: declared uses, flows between two
     * rendered namespaces (a monitor, scaler or party in another rendered namespace), and the
     * unknown API server. Only the objects of the namespaces such flows involve are read, with
     * the custom resources whose pods need the API server.
     */
    public static ClusterFlows crossing(RenderedCluster cluster, Map<String, Object> platform) {
        Settings settings = Settings.of(platform);
        Set<String> rendered = renderedNamespaces(cluster.objects(), cluster.plan());
        Set<String> involved = new TreeSet<>();
        boolean all = rendered.contains(settings.monitoringNamespace()) || rendered.contains("kube-system")
                || settings.operatorNamespaces().values().stream().anyMatch(rendered::contains);
        for (Links links : cluster.plan().links().values()) {
            for (Link link : links.out()) {
                involved.add(link.source().namespace());
                involved.add(link.target().namespace());
            }
        }
        Set<RenderedObject> apiClients = Collections.newSetFromMap(new IdentityHashMap<>());
        for (RenderedObject o : cluster.objects()) {
            if (all) break;
            String group = o.group();
            if (group.equals("monitoring.coreos.com") && (o.kind().equals("ServiceMonitor") || o.kind().equals("PodMonitor"))) {
                Map<String, Object> selector = Fields.map(Fields.map(o.body().get("spec")).get("namespaceSelector"));
                if (Boolean.TRUE.equals(selector.get("any"))) all = true;
                for (Object n : Fields.list(selector.get("matchNames"))) {
                    if (!String.valueOf(n).equals(o.namespace())) {
                        involved.add(o.namespace());
                        involved.add(String.valueOf(n));
                    }
                }
            } else if (group.equals("keda.sh")) {
                for (Object t : Fields.list(Fields.map(o.body().get("spec")).get("triggers"))) {
                    Map<String, Object> trigger = Fields.map(t);
                    String field = serverField(String.valueOf(trigger.get("type")));
                    Object servers = field == null ? null : Fields.map(trigger.get("metadata")).get(field);
                    // a host NAME.NAMESPACE... of another namespace
                    for (String server : servers instanceof String text ? text.split(",") : new String[0]) {
                        HostPort hp = HostPort.parse(server.trim(), 80);
                        String[] parts = hp == null ? new String[0] : hp.host().split("\\.");
                        if (parts.length > 1 && !parts[1].equals(o.namespace())) {
                            involved.add(o.namespace());
                            involved.add(parts[1]);
                        }
                    }
                }
            } else if (OperatorPods.makesPods(o)) {
                apiClients.add(o);
            }
        }
        // without an API server address, whether its clients need one depends on their
        // namespace's policies (isolated egress): read those namespaces whole
        if (cluster.cluster().apiServerCIDRs().isEmpty()) for (RenderedObject o : apiClients) involved.add(o.namespace());
        List<RenderedObject> read = new ArrayList<>();
        for (RenderedObject o : cluster.objects()) {
            if (all || o.namespace() == null || involved.contains(o.namespace()) || apiClients.contains(o)) read.add(o);
        }
        Flows f = new Flows(read, cluster.cluster(), cluster.plan(), cluster.listens(), platform);
        f.decided();
        List<Flow> crossing = new ArrayList<>(f.flows.stream().filter(x -> renderedEnds(x, rendered) > 1).toList());
        f.flows.clear();
        f.uses();
        crossing.addAll(f.flows);
        return new ClusterFlows(cluster.cluster().name(), sorted(crossing), f.unknownApiServer());
    }

    /** The flows every pod or party needs, but declared uses. */
    private void decided() {
        monitoring();
        operators();
        apiServer();
        dns();
        keda();
    }

    /** The namespaces Plinth renders on the cluster: its Namespace objects and its tenants'. */
    private static Set<String> renderedNamespaces(List<RenderedObject> objects, ClusterPlan plan) {
        Set<String> out = new TreeSet<>();
        for (RenderedObject o : objects) if (o.namespace() == null && o.kind().equals("Namespace") && o.group().isEmpty()) out.add(o.name());
        if (plan != null) plan.tenants().forEach(t -> out.addAll(t.namespaces()));
        return out;
    }

    /**
     * How many rendered namespaces a flow reads: those of its ends that are pods of rendered
     * namespaces, and that of the object that implies it (a monitor may select pods elsewhere).
     */
    private static int renderedEnds(Flow f, Set<String> rendered) {
        Set<String> ns = new TreeSet<>();
        for (Endpoint e : List.of(f.from(), f.to())) if (e instanceof Pod p && rendered.contains(p.namespace())) ns.add(p.namespace());
        if (f.at().namespace() != null) ns.add(f.at().namespace());
        return ns.size();
    }

    private static List<Flow> sorted(List<Flow> flows) {
        List<Flow> sorted = new ArrayList<>(flows);
        sorted.sort(Comparator.comparing((Flow x) -> x.kind()).thenComparing(x -> x.from().describe())
                .thenComparing(x -> x.to().describe()).thenComparingInt(Flow::port).thenComparing(Flow::protocol)
                .thenComparing(x -> x.at().describe()).thenComparing(x -> String.valueOf(x.path())));
        return List.copyOf(sorted);
    }

    private void add(Kind kind, Endpoint from, Endpoint to, int port, String protocol, RenderedObject at, String path, Object value, Loc loc) {
        flows.add(new Flow(kind, from, to, port, protocol, pods.policies().decide(from, to, port, protocol), at, path, value, loc));
    }

    // ---- Prometheus to the targets of every ServiceMonitor and PodMonitor ---------------------

    private void monitoring() {
        for (RenderedObject o : objects) {
            if (!o.group().equals("monitoring.coreos.com")) continue;
            boolean serviceMonitor = o.kind().equals("ServiceMonitor");
            if (!serviceMonitor && !o.kind().equals("PodMonitor")) continue;
            Map<String, Object> spec = Fields.map(o.body().get("spec"));
            String field = serviceMonitor ? "endpoints" : "podMetricsEndpoints";
            List<Object> endpoints = Fields.list(spec.get(field));
            field = "spec." + field;
            Set<String> seen = new LinkedHashSet<>();
            for (String ns : monitoredNamespaces(o, spec)) {
                if (serviceMonitor) {
                    for (RenderedObject svc : pods.services(ns)) {
                        if (!LabelSelectors.matches(Fields.map(spec.get("selector")), Fields.map(svc.metadata().get("labels")))) continue;
                        for (int i = 0; i < endpoints.size(); i++) serviceTargets(o, field + "[" + i + "]", Fields.map(endpoints.get(i)), svc, seen);
                    }
                } else {
                    for (Workload w : pods.inNamespace(ns)) {
                        if (!LabelSelectors.matches(Fields.map(spec.get("selector")), w.pod().labels())) continue;
                        for (int i = 0; i < endpoints.size(); i++) {
                            Map<String, Object> e = Fields.map(endpoints.get(i));
                            Object ref = e.get("port") != null ? e.get("port") : e.get("portNumber") != null ? e.get("portNumber") : e.get("targetPort");
                            Port p = podPort(ref, w.pod(), NetworkPolicies.TCP);
                            if (p != null && seen.add(w.pod().describe() + "|" + i + "|" + p.number())) {
                                add(Kind.MONITORING, prometheus, w.pod(), p.number(), p.protocol(), o, field + "[" + i + "]", named(ref), null);
                            }
                        }
                    }
                }
            }
        }
    }

    /** The namespaces a monitor selects in: {@code any}, {@code matchNames}, or its own. */
    private Iterable<String> monitoredNamespaces(RenderedObject monitor, Map<String, Object> spec) {
        Map<String, Object> selector = Fields.map(spec.get("namespaceSelector"));
        if (Boolean.TRUE.equals(selector.get("any"))) {
            Set<String> all = new TreeSet<>();
            pods.namespacesWithPods().forEach(all::add);
            pods.namespacesWithServices().forEach(all::add);
            return all;
        }
        List<Object> names = Fields.list(selector.get("matchNames"));
        if (!names.isEmpty()) return names.stream().map(String::valueOf).toList();
        return List.of(monitor.namespace());
    }

    /** A ServiceMonitor endpoint's targets behind one Service: its selected pods, on the port the endpoint names. */
    private void serviceTargets(RenderedObject monitor, String path, Map<String, Object> endpoint, RenderedObject svc, Set<String> seen) {
        Map<String, Object> svcSpec = Fields.map(svc.body().get("spec"));
        Object podRef = endpoint.get("targetPort");
        String protocol = NetworkPolicies.TCP;
        if (endpoint.get("port") != null) {
            Map<String, Object> servicePort = null;
            for (Object p : Fields.list(svcSpec.get("ports"))) {
                if (endpoint.get("port").equals(Fields.map(p).get("name"))) servicePort = Fields.map(p);
            }
            if (servicePort == null) return;
            podRef = servicePort.get("targetPort") != null ? servicePort.get("targetPort") : servicePort.get("port");
            if (servicePort.get("protocol") != null) protocol = String.valueOf(servicePort.get("protocol"));
        }
        if (podRef == null) return;
        for (Workload w : selectedBy(svc)) {
            Port p = podPort(podRef, w.pod(), protocol);
            if (p != null && seen.add(w.pod().describe() + "|" + path + "|" + p.number())) {
                add(Kind.MONITORING, prometheus, w.pod(), p.number(), p.protocol(), monitor, path, named(endpoint.get("port")), null);
            }
        }
    }

    /** A port name to place a finding at (where the monitor was written in the spec), or null. */
    private static Object named(Object port) {
        return port instanceof String ? port : null;
    }

    /** The pods a Service selects (its {@code spec.selector}; a Service without one selects none). */
    private List<Workload> selectedBy(RenderedObject svc) {
        Map<String, Object> selector = Fields.map(Fields.map(svc.body().get("spec")).get("selector"));
        if (selector.isEmpty()) return List.of();
        List<Workload> out = new ArrayList<>();
        for (Workload w : pods.inNamespace(svc.namespace())) {
            if (LabelSelectors.matches(Map.of("matchLabels", selector), w.pod().labels())) out.add(w);
        }
        return out;
    }

    /** A port a pod is reached on: a number as it is, a name as the pod's container port of that name; null when it has none. */
    private static Port podPort(Object ref, Pod pod, String protocol) {
        if (ref instanceof String name) {
            Integer number = NetworkPolicies.integer(parseNumber(name));
            if (number == null) return pod.port(name);
            ref = number;
        }
        Integer number = NetworkPolicies.integer(ref);
        if (number == null) return null;
        Port declared = pod.port(number, protocol);
        return declared != null ? declared : new Port(null, number, protocol);
    }

    private static Object parseNumber(String s) {
        return s.matches("[0-9]{1,5}") ? Integer.valueOf(s) : null;
    }

    // ---- operators to the pods they drive ------------------------------------------------------

    private Pod operatorPod(String operator, Map<String, String> labels, String name) {
        String ns = settings.operatorNamespaces().getOrDefault(operator, operator);
        return new Pod(ns, labels, List.of(), name + " (namespace " + ns + ")");
    }

    private void operators() {
        Pod strimzi = operatorPod("strimzi", Map.of("name", "strimzi-cluster-operator", "strimzi.io/kind", "cluster-operator"),
                "the Strimzi cluster operator");
        Pod flink = operatorPod("flink", Map.of("app.kubernetes.io/name", "flink-kubernetes-operator"), "the Flink operator");
        for (Workload w : pods.workloads()) {
            if (w.owner().group().equals("kafka.strimzi.io") && w.owner().kind().equals("Kafka")) {
                Pod pod = w.pod();
                if (w.role().equals("broker") || w.role().equals("controller")) {
                    // the cluster operator: admin client on the replication port, the control plane
                    // during rolls, KafkaAgent for the broker state (KafkaCluster.generateNetworkPolicy)
                    for (int port : new int[] {9090, 9091, 8443}) {
                        if (pod.port(port, NetworkPolicies.TCP) != null) add(Kind.OPERATOR, strimzi, pod, port, NetworkPolicies.TCP, w.owner(), null, null, null);
                    }
                }
                if (w.role().equals("broker")) {
                    // the entity operator and the Kafka Exporter are Kafka clients on the replication port
                    for (Workload client : pods.inNamespace(pod.namespace())) {
                        if (client.owner() == w.owner() && (client.role().equals("entity-operator") || client.role().equals("kafka-exporter"))) {
                            add(Kind.OPERATOR, client.pod(), pod, 9091, NetworkPolicies.TCP, w.owner(), null, null, null);
                        }
                    }
                }
            } else if (w.owner().group().equals("flink.apache.org") && "jobmanager".equals(w.role())) {
                Port rest = w.pod().port("rest");
                add(Kind.OPERATOR, flink, w.pod(), rest.number(), NetworkPolicies.TCP, w.owner(), null, null, null);
            }
        }
    }

    // ---- API clients to the API server ---------------------------------------------------------

    /** The API server's addresses: each of the cluster's apiServerCIDRs (a bare address as its own network). */
    private List<Address> apiServerAddresses() {
        List<Address> addresses = new ArrayList<>();
        for (String cidr : cluster.apiServerCIDRs()) {
            Cidr parsed = Cidr.parse(cidr);
            if (parsed == null) parsed = Cidr.address(cidr);
            if (parsed != null) addresses.add(new Address(parsed, "the API server (" + cidr + ")"));
        }
        return addresses;
    }

    private void apiServer() {
        List<Address> addresses = apiServerAddresses();
        for (Workload w : pods.workloads()) {
            if (!w.needsApiServer()) continue;
            for (Address a : addresses) {
                for (long port : cluster.apiServerPorts()) add(Kind.API_SERVER, w.pod(), a, (int) port, NetworkPolicies.TCP, w.owner(), null, null, null);
            }
        }
    }

    /** Pods that need the API server on a cluster without an address for it, or null. */
    private UnknownApiServer unknownApiServer() {
        if (!apiServerAddresses().isEmpty()) return null;
        // only pods whose egress NetworkPolicies isolate need a rule to reach it (any address stands for it)
        Address anywhere = new Address(Cidr.parse("0.0.0.0/0"), "the API server");
        List<Workload> needing = pods.workloads().stream().filter(Workload::needsApiServer)
                .filter(w -> pods.policies().decide(w.pod(), anywhere, 443, NetworkPolicies.TCP).egress().isolated()).toList();
        return needing.isEmpty() ? null : new UnknownApiServer(cluster, needing.get(0), needing.stream().map(w -> w.pod().describe()).toList());
    }

    // ---- every pod to cluster DNS --------------------------------------------------------------

    private void dns() {
        Pod kubeDns = new Pod("kube-system", Map.of("k8s-app", "kube-dns"),
                List.of(new Port("dns", 53, "UDP"), new Port("dns-tcp", 53, NetworkPolicies.TCP)), "kube-dns (namespace kube-system)");
        for (Workload w : pods.workloads()) {
            String path = w.role() == null ? ClusterPods.template(w.owner()).path() : null;
            add(Kind.DNS, w.pod(), kubeDns, 53, "UDP", w.owner(), path, null, null);
            add(Kind.DNS, w.pod(), kubeDns, 53, NetworkPolicies.TCP, w.owner(), path, null, null);
        }
    }

    // ---- KEDA to its scalers' targets ----------------------------------------------------------

    private void keda() {
        Pod keda = operatorPod("keda", Map.of("app", "keda-operator", "name", "keda-operator", "app.kubernetes.io/name", "keda-operator"),
                "the KEDA operator");
        for (RenderedObject o : objects) {
            if (!o.group().equals("keda.sh") || !(o.kind().equals("ScaledObject") || o.kind().equals("ScaledJob"))) continue;
            List<Object> triggers = Fields.list(Fields.map(o.body().get("spec")).get("triggers"));
            for (int i = 0; i < triggers.size(); i++) {
                Map<String, Object> trigger = Fields.map(triggers.get(i));
                Map<String, Object> meta = Fields.map(trigger.get("metadata"));
                String type = String.valueOf(trigger.get("type"));
                String field = serverField(type);
                if (field == null || !(meta.get(field) instanceof String servers)) continue;
                String path = "spec.triggers[" + i + "].metadata." + field;
                for (String server : servers.split(",")) {
                    HostPort hp = HostPort.parse(server.trim(), type.equals("prometheus") ? 80 : -1);
                    if (hp == null) continue;
                    for (Target t : targets(hp, o.namespace())) add(Kind.KEDA, keda, t.pod(), t.port(), NetworkPolicies.TCP, o, path, servers, null);
                }
            }
        }
    }

    /** The trigger metadata that names a server, per scaler type (keda.sh/docs/scalers), or null. */
    private static String serverField(String type) {
        return switch (type) {
            case "kafka" -> "bootstrapServers";
            case "prometheus" -> "serverAddress";
            case "redis" -> "address";
            case "rabbitmq" -> "host";
            default -> null;
        };
    }

    /** A server's host and port ({@code host:port} or a URL), or null. */
    record HostPort(String host, int port) {
        static HostPort parse(String s, int defaultPort) {
            String rest = s.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "").replaceFirst("^[^@/]*@", "");
            int slash = rest.indexOf('/');
            if (slash >= 0) rest = rest.substring(0, slash);
            int colon = rest.lastIndexOf(':');
            if (colon < 0) return defaultPort < 0 || rest.isEmpty() ? null : new HostPort(rest, defaultPort);
            Object port = parseNumber(rest.substring(colon + 1));
            return port == null ? null : new HostPort(rest.substring(0, colon), (Integer) port);
        }
    }

    record Target(Pod pod, int port) {
    }

    /**
     * The pods behind a Service's DNS name ({@code NAME}, {@code NAME.NAMESPACE},
     * {@code NAME.NAMESPACE.svc[.cluster.local]}): a rendered Service's selected pods on its
     * target port, or a Strimzi cluster's brokers behind its {@code K-kafka-bootstrap} or
     * {@code K-kafka-brokers} Service (Strimzi's Services forward a listener's port to itself).
     */
    private List<Target> targets(HostPort hp, String defaultNamespace) {
        String[] parts = hp.host().split("\\.");
        String name = parts[0];
        String ns = parts.length > 1 && !parts[1].equals("svc") ? parts[1] : defaultNamespace;
        List<Target> out = new ArrayList<>();
        for (RenderedObject svc : pods.services(ns)) {
            if (!name.equals(svc.name())) continue;
            for (Object p : Fields.list(Fields.map(svc.body().get("spec")).get("ports"))) {
                Map<String, Object> port = Fields.map(p);
                if (!Integer.valueOf(hp.port()).equals(NetworkPolicies.integer(port.get("port")))) continue;
                Object ref = port.get("targetPort") != null ? port.get("targetPort") : port.get("port");
                for (Workload w : selectedBy(svc)) {
                    Port target = podPort(ref, w.pod(), NetworkPolicies.TCP);
                    if (target != null) out.add(new Target(w.pod(), target.number()));
                }
            }
        }
        for (String suffix : List.of("-kafka-bootstrap", "-kafka-brokers")) {
            if (!name.endsWith(suffix)) continue;
            String k = name.substring(0, name.length() - suffix.length());
            for (Workload w : pods.inNamespace(ns)) {
                if (w.owner().kind().equals("Kafka") && w.owner().name().equals(k) && "broker".equals(w.role())
                        && w.pod().port(hp.port(), NetworkPolicies.TCP) != null) {
                    out.add(new Target(w.pod(), hp.port()));
                }
            }
        }
        return out;
    }

    // ---- uses components declare ---------------------------------------------------------------

    /**
     * The uses components declare, as the resolve stage linked them (a use it refused is an
     * error there): from the pods of the declaring component to those of the used one, each
     * found by the component that rendered them (its workloads, or the pods its custom resource
     * makes; a kafka-topic stands for its cluster's brokers), on the use's port or the ports the
     * used type listens on; of the used component's pods those that declare the port, or, for a
     * port number none declares, its workloads' pods. Placed at the use's line.
     */
    private void uses() {
        for (Links links : plan.links().values()) {
            for (Link link : links.out()) {
                Use use = link.use();
                List<Workload> sources = componentPods(link.source().app().name(), link.sourceComponent().name(), false);
                List<Workload> targets = componentPods(link.target().app().name(), link.targetComponent().name(), true);
                if (sources.isEmpty() || targets.isEmpty()) continue;
                List<Map<String, Object>> ports = new ArrayList<>();
                if (use.port() != null) {
                    ports.add(Map.of("port", use.port(), "protocol", use.protocol() == null ? NetworkPolicies.TCP : use.protocol()));
                } else {
                    ports.addAll(listens.getOrDefault(link.targetComponent().type(), List.of()));
                }
                for (Map<String, Object> p : ports) {
                    String protocol = p.get("protocol") == null ? NetworkPolicies.TCP : String.valueOf(p.get("protocol"));
                    Object ref = p.get("port") instanceof String text && parseNumber(text) != null ? parseNumber(text) : p.get("port");
                    // the pods that declare the port (a Kafka controller has no client listener, a
                    // schema Job no Thrift port); when none does, a number reaches every workload's pods
                    List<Workload> listening = targets.stream().filter(t -> declared(ref, t.pod(), protocol) != null).toList();
                    if (listening.isEmpty() && !(ref instanceof String)) listening = targets.stream().filter(t -> t.role() == null).toList();
                    for (Workload target : listening) {
                        Port port = ref instanceof String name ? target.pod().port(name) : podPort(ref, target.pod(), protocol);
                        if (port == null) continue;
                        for (Workload source : sources) {
                            add(Kind.USE, source.pod(), target.pod(), port.number(), protocol, source.owner(), null, null, use.loc());
                        }
                    }
                }
            }
        }
    }

    /** The container port a pod declares for a port number or name, or null. */
    private static Port declared(Object ref, Pod pod, String protocol) {
        if (ref instanceof String name) return pod.port(name);
        Integer number = NetworkPolicies.integer(ref);
        return number == null ? null : pod.port(number, protocol);
    }

    /**
     * The pods of a placed component: those of the workloads and custom resources it rendered;
     * as a target, a kafka-topic's are its Kafka cluster's ({@code strimzi.io/cluster}).
     */
    private List<Workload> componentPods(String app, String component, boolean target) {
        if (byComponent == null) {
            byComponent = new HashMap<>();
            for (Workload w : pods.workloads()) {
                if (w.owner().app() != null) byComponent.computeIfAbsent(w.owner().app() + "/" + w.owner().component(), k -> new ArrayList<>()).add(w);
            }
            topics = new HashMap<>();
            for (RenderedObject o : objects) {
                if (o.app() != null && o.group().equals("kafka.strimzi.io") && o.kind().equals("KafkaTopic")) {
                    topics.computeIfAbsent(o.app() + "/" + o.component(), k -> new ArrayList<>()).add(o);
                }
            }
        }
        List<Workload> own = byComponent.getOrDefault(app + "/" + component, List.of());
        if (!own.isEmpty() || !target) return own;
        List<Workload> out = new ArrayList<>();
        for (RenderedObject topic : topics.getOrDefault(app + "/" + component, List.of())) {
            Object k = Fields.map(topic.metadata().get("labels")).get("strimzi.io/cluster");
            for (Workload w : pods.inNamespace(topic.namespace())) {
                if (w.owner().kind().equals("Kafka") && w.owner().name().equals(k) && !out.contains(w)) out.add(w);
            }
        }
        return out;
    }
}
