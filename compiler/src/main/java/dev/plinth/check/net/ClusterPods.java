package dev.plinth.check.net;

import dev.plinth.check.api.Fields;
import dev.plinth.check.net.NetworkPolicies.Policy;
import dev.plinth.check.net.NetworkPolicies.Pod;
import dev.plinth.check.net.NetworkPolicies.Port;
import dev.plinth.render.RenderedObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A cluster's pods as its rendered objects make them: one pod group per workload (the pods of a
 * Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or CronJob template, or a Pod) and per
 * operator-made role ({@link OperatorPods}); with the cluster's Services, its Namespaces' labels
 * and its NetworkPolicies (the rendered ones and those operators create), indexed by namespace.
 */
public final class ClusterPods {
    /**
     * The pods of one workload or operator role.
     *
     * @param owner            the rendered object that makes them (the workload or the custom resource)
     * @param needsApiServer   the pods talk to the Kubernetes API
     * @param role             the operator role ("broker", "jobmanager", "driver", ...), null for a workload
     */
    public record Workload(Pod pod, RenderedObject owner, boolean needsApiServer, String role) {
    }

    private final List<Workload> workloads = new ArrayList<>();
    private final Map<String, List<Workload>> byNamespace = new HashMap<>();
    private final Map<String, List<RenderedObject>> services = new HashMap<>();
    private final NetworkPolicies policies;

    private ClusterPods(List<RenderedObject> objects) {
        Map<String, Map<String, String>> namespaceLabels = new LinkedHashMap<>();
        List<Policy> policyList = new ArrayList<>();
        Map<String, List<RenderedObject>> pools = new HashMap<>();
        List<RenderedObject> kafkas = new ArrayList<>();
        for (RenderedObject o : objects) {
            String kind = o.kind();
            String group = o.group();
            if (kind.equals("Namespace") && group.isEmpty()) {
                namespaceLabels.put(o.name(), OperatorPods.strings(o.metadata().get("labels")));
            } else if (kind.equals("NetworkPolicy") && group.equals("networking.k8s.io") && o.namespace() != null) {
                policyList.add(new Policy(o.namespace(), o.name(), Fields.map(o.body().get("spec"))));
            } else if (kind.equals("Service") && group.isEmpty()) {
                services.computeIfAbsent(o.namespace(), k -> new ArrayList<>()).add(o);
            } else if (group.equals("kafka.strimzi.io") && kind.equals("Kafka")) {
                kafkas.add(o);
                policyList.add(OperatorPods.strimziPolicy(o));
            } else if (group.equals("kafka.strimzi.io") && kind.equals("KafkaNodePool")) {
                Object cluster = Fields.map(o.metadata().get("labels")).get("strimzi.io/cluster");
                if (cluster != null) pools.computeIfAbsent(o.namespace() + "/" + cluster, k -> new ArrayList<>()).add(o);
            } else if (group.equals("flink.apache.org") && kind.equals("FlinkDeployment")) {
                workloads.addAll(OperatorPods.flink(o));
            } else if (group.equals("sparkoperator.k8s.io") && (kind.equals("SparkApplication") || kind.equals("ScheduledSparkApplication"))) {
                workloads.addAll(OperatorPods.spark(o));
            } else {
                Map<String, Object> template = podTemplate(o);
                if (template != null) {
                    Map<String, Object> meta = Fields.map(template.get("metadata"));
                    String ns = o.namespace() != null ? o.namespace() : String.valueOf(meta.get("namespace"));
                    workloads.add(new Workload(new Pod(ns, Map.copyOf(OperatorPods.strings(meta.get("labels"))),
                            podPorts(Fields.map(template.get("spec"))), kind + " " + ns + "/" + o.name()), o, false, null));
                }
            }
        }
        for (RenderedObject k : kafkas) workloads.addAll(OperatorPods.kafka(k, pools.getOrDefault(k.namespace() + "/" + k.name(), List.of())));
        for (Workload w : workloads) byNamespace.computeIfAbsent(w.pod().namespace(), k -> new ArrayList<>()).add(w);
        policies = NetworkPolicies.of(policyList, namespaceLabels);
    }

    public static ClusterPods of(List<RenderedObject> objects) {
        return new ClusterPods(objects);
    }

    public List<Workload> workloads() {
        return workloads;
    }

    public List<Workload> inNamespace(String namespace) {
        return byNamespace.getOrDefault(namespace, List.of());
    }

    /** The namespaces that have pods, in no particular order. */
    public Iterable<String> namespacesWithPods() {
        return byNamespace.keySet();
    }

    public List<RenderedObject> services(String namespace) {
        return services.getOrDefault(namespace, List.of());
    }

    public Iterable<String> namespacesWithServices() {
        return services.keySet();
    }

    public NetworkPolicies policies() {
        return policies;
    }

    /**
     * The pod template of a built-in workload (Pod, Deployment, StatefulSet, DaemonSet,
     * ReplicaSet, Job, CronJob), with the path to it ("" for a Pod), or null for other objects.
     */
    public record Template(String path, Map<String, Object> template) {
    }

    public static Template template(RenderedObject o) {
        if (!o.apiVersion().equals("v1") && !o.apiVersion().startsWith("apps/") && !o.apiVersion().startsWith("batch/")) return null;
        Map<String, Object> spec = Fields.map(o.body().get("spec"));
        return switch (o.kind()) {
            case "Pod" -> new Template("", o.body());
            case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job" -> new Template("spec.template", Fields.map(spec.get("template")));
            case "CronJob" -> new Template("spec.jobTemplate.spec.template",
                    Fields.map(Fields.map(Fields.map(spec.get("jobTemplate")).get("spec")).get("template")));
            default -> null;
        };
    }

    private static Map<String, Object> podTemplate(RenderedObject o) {
        Template t = template(o);
        return t == null ? null : t.template();
    }

    /** The container ports of a pod spec (init containers', which sidecars may have, too); protocol default TCP. */
    static List<Port> podPorts(Map<String, Object> podSpec) {
        List<Port> out = new ArrayList<>();
        for (String field : List.of("initContainers", "containers")) {
            for (Object c : Fields.list(podSpec.get(field))) addPorts(Fields.map(c), out);
        }
        return List.copyOf(out);
    }

    /** One container's ports. */
    static List<Port> containerPorts(Map<String, Object> container) {
        List<Port> out = new ArrayList<>();
        addPorts(container, out);
        return out;
    }

    private static void addPorts(Map<String, Object> container, List<Port> out) {
        for (Object p : Fields.list(container.get("ports"))) {
            Map<String, Object> port = Fields.map(p);
            Integer number = NetworkPolicies.integer(port.get("containerPort"));
            if (number == null) continue;
            Object name = port.get("name");
            Object protocol = port.get("protocol");
            out.add(new Port(name == null ? null : String.valueOf(name), number,
                    protocol == null ? NetworkPolicies.TCP : String.valueOf(protocol)));
        }
    }
}
