package dev.plinth.check.net;

import dev.plinth.check.api.Fields;
import dev.plinth.check.net.NetworkPolicies.Policy;
import dev.plinth.check.net.NetworkPolicies.Port;
import dev.plinth.render.RenderedObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pods operators create from custom resources, by the operators' conventions, and the
 * NetworkPolicies they create beside them: the table of docs/policies.md (Reachability), each
 * entry naming the operator source it follows. Only what NetworkPolicies read is modelled:
 * namespace, labels and container ports.
 */
final class OperatorPods {
    private OperatorPods() {
    }

    /** Whether the object is a custom resource this table makes pods of (by its identity: its body is not read). */
    static boolean makesPods(RenderedObject o) {
        String kind = o.kind();
        return switch (o.group()) {
            case "kafka.strimzi.io" -> kind.equals("Kafka") || kind.equals("KafkaNodePool");
            case "flink.apache.org" -> kind.equals("FlinkDeployment");
            case "sparkoperator.k8s.io" -> kind.equals("SparkApplication") || kind.equals("ScheduledSparkApplication");
            default -> false;
        };
    }

    /** Labels of every Strimzi pod of cluster {@code k} (io.strimzi.operator.common.model.Labels). */
    private static Map<String, String> strimzi(String k, String name, String componentType) {
        Map<String, String> l = new LinkedHashMap<>();
        l.put("strimzi.io/cluster", k);
        l.put("strimzi.io/kind", "Kafka");
        l.put("strimzi.io/name", name);
        l.put("strimzi.io/component-type", componentType);
        l.put("app.kubernetes.io/name", componentType);
        l.put("app.kubernetes.io/instance", k);
        l.put("app.kubernetes.io/part-of", "strimzi-" + k);
        l.put("app.kubernetes.io/managed-by", "strimzi-cluster-operator");
        return l;
    }

    /**
     * The labels Strimzi copies from a custom resource to its pods (Labels.fromResource): all but
     * its own {@code strimzi.io/} labels and, by the default STRIMZI_LABELS_EXCLUSION_PATTERN,
     * {@code app.kubernetes.io/} ones (which it sets itself).
     */
    private static Map<String, String> propagated(RenderedObject cr) {
        Map<String, String> out = new LinkedHashMap<>();
        strings(cr.metadata().get("labels")).forEach((k, v) -> {
            if (!k.startsWith("strimzi.io/") && !k.startsWith("app.kubernetes.io/")) out.put(k, v);
        });
        return out;
    }

    /**
     * Kafka (Strimzi, KRaft with node pools) — KafkaPool, KafkaCluster.getContainerPortList,
     * EntityOperator, KafkaExporter:
     * <ul>
     *   <li>one pod group per KafkaNodePool of the cluster (label {@code strimzi.io/cluster}):
     *       the pool's labels, {@code template.pod.metadata.labels}, Strimzi's with
     *       {@code strimzi.io/name: K-kafka}, {@code strimzi.io/pool-name: POOL},
     *       {@code strimzi.io/broker-role}, {@code strimzi.io/controller-role}; ports 8443
     *       {@code tcp-kafkaagent}; controllers 9090 {@code tcp-ctrlplane}; brokers 9091
     *       {@code tcp-replication} and each listener's port ({@code tcp-clients} for
     *       {@code plain}, {@code tcp-clientstls} for {@code tls}, {@code tcp-external} for
     *       {@code external}, else {@code tcp-NAME}); 9404 {@code tcp-prometheus} with
     *       {@code metricsConfig}. Brokers need the API server when {@code spec.kafka.rack} is
     *       set (the init container reads the node's zone);</li>
     *   <li>the entity operator ({@code spec.entityOperator}): the Kafka's labels and
     *       {@code strimzi.io/name: K-entity-operator}; ports 8080 and 8081
     *       {@code healthcheck}; an API client;</li>
     *   <li>the Kafka Exporter ({@code spec.kafkaExporter}): {@code strimzi.io/name:
     *       K-kafka-exporter}; port 9404 {@code tcp-prometheus}.</li>
     * </ul>
     */
    static List<ClusterPods.Workload> kafka(RenderedObject kafka, List<RenderedObject> pools) {
        String k = kafka.name();
        String ns = kafka.namespace();
        Map<String, Object> spec = Fields.map(kafka.body().get("spec"));
        Map<String, Object> kafkaSpec = Fields.map(spec.get("kafka"));
        boolean rack = kafkaSpec.get("rack") != null;
        boolean metrics = kafkaSpec.get("metricsConfig") != null;
        List<ClusterPods.Workload> out = new ArrayList<>();
        for (RenderedObject pool : pools) {
            Map<String, Object> poolSpec = Fields.map(pool.body().get("spec"));
            List<Object> roles = Fields.list(poolSpec.get("roles"));
            boolean broker = roles.contains("broker");
            boolean controller = roles.contains("controller");
            Map<String, String> labels = propagated(pool);
            labels.putAll(templateLabels(poolSpec, kafkaSpec));
            labels.putAll(strimzi(k, k + "-kafka", "kafka"));
            labels.put("strimzi.io/pool-name", pool.name());
            labels.put("strimzi.io/broker-role", String.valueOf(broker));
            labels.put("strimzi.io/controller-role", String.valueOf(controller));
            List<Port> ports = new ArrayList<>();
            ports.add(new Port("tcp-kafkaagent", 8443, NetworkPolicies.TCP));
            if (controller) ports.add(new Port("tcp-ctrlplane", 9090, NetworkPolicies.TCP));
            if (broker) {
                ports.add(new Port("tcp-replication", 9091, NetworkPolicies.TCP));
                for (Object l : Fields.list(kafkaSpec.get("listeners"))) {
                    Map<String, Object> listener = Fields.map(l);
                    Integer port = NetworkPolicies.integer(listener.get("port"));
                    if (port != null) ports.add(new Port(listenerPortName(String.valueOf(listener.get("name"))), port, NetworkPolicies.TCP));
                }
            }
            if (metrics) ports.add(new Port("tcp-prometheus", 9404, NetworkPolicies.TCP));
            String role = broker && controller ? "broker and controller" : broker ? "broker" : "controller";
            out.add(new ClusterPods.Workload(new NetworkPolicies.Pod(ns, Map.copyOf(labels), List.copyOf(ports),
                    "Kafka " + ns + "/" + k + " " + role + " pods (KafkaNodePool " + pool.name() + ")"), kafka,
                    broker && rack, broker ? "broker" : "controller"));
        }
        if (spec.get("entityOperator") != null) {
            Map<String, String> labels = propagated(kafka);
            labels.putAll(strimzi(k, k + "-entity-operator", "entity-operator"));
            out.add(new ClusterPods.Workload(new NetworkPolicies.Pod(ns, Map.copyOf(labels),
                    List.of(new Port("healthcheck", 8080, NetworkPolicies.TCP), new Port("healthcheck", 8081, NetworkPolicies.TCP)),
                    "Kafka " + ns + "/" + k + " entity operator"), kafka, true, "entity-operator"));
        }
        if (spec.get("kafkaExporter") != null) {
            Map<String, String> labels = propagated(kafka);
            labels.putAll(strimzi(k, k + "-kafka-exporter", "kafka-exporter"));
            out.add(new ClusterPods.Workload(new NetworkPolicies.Pod(ns, Map.copyOf(labels),
                    List.of(new Port("tcp-prometheus", 9404, NetworkPolicies.TCP)),
                    "Kafka " + ns + "/" + k + " Kafka Exporter"), kafka, false, "kafka-exporter"));
        }
        return out;
    }

    /** A node pool's pod template labels, or else the Kafka's (KafkaPool.fromCrd takes one template or the other). */
    private static Map<String, String> templateLabels(Map<String, Object> poolSpec, Map<String, Object> kafkaSpec) {
        Object poolTemplate = poolSpec.get("template");
        Map<String, Object> template = Fields.map(poolTemplate != null ? poolTemplate : kafkaSpec.get("template"));
        return strings(Fields.map(Fields.map(Fields.map(template.get("pod")).get("metadata"))).get("labels"));
    }

    /** ListenersUtils.backwardsCompatiblePortName. */
    static String listenerPortName(String listener) {
        return switch (listener) {
            case "plain" -> "tcp-clients";
            case "tls" -> "tcp-clientstls";
            case "external" -> "tcp-external";
            default -> "tcp-" + listener;
        };
    }

    /**
     * The NetworkPolicy Strimzi creates for the Kafka pods, {@code K-network-policy-kafka}
     * (KafkaCluster.generateNetworkPolicy; on by default, STRIMZI_NETWORK_POLICY_GENERATION):
     * 9090 from the cluster's Kafka pods and the cluster operator; 9091 from those, the entity
     * operator, the Kafka Exporter and Cruise Control; 8443 from the cluster operator; each
     * listener's port from its {@code networkPolicyPeers} (everyone when none); 9404 from
     * everyone with {@code metricsConfig}. The cluster operator is a pod labelled
     * {@code strimzi.io/kind: cluster-operator} in any namespace (no operator namespace labels
     * configured).
     */
    static Policy strimziPolicy(RenderedObject kafka) {
        String k = kafka.name();
        Map<String, Object> kafkaSpec = Fields.map(Fields.map(kafka.body().get("spec")).get("kafka"));
        Map<String, Object> kafkaPods = Map.of("podSelector", Map.of("matchLabels", Map.of(
                "strimzi.io/cluster", k, "strimzi.io/kind", "Kafka", "strimzi.io/name", k + "-kafka")));
        Map<String, Object> operator = Map.of("podSelector", Map.of("matchLabels", Map.of("strimzi.io/kind", "cluster-operator")),
                "namespaceSelector", Map.of());
        List<Object> rules = new ArrayList<>();
        rules.add(rule(9090, List.of(kafkaPods, operator)));
        rules.add(rule(9091, List.of(operator, kafkaPods, named(k + "-entity-operator"), named(k + "-kafka-exporter"),
                named(k + "-cruise-control"))));
        rules.add(rule(8443, List.of(operator)));
        for (Object l : Fields.list(kafkaSpec.get("listeners"))) {
            Map<String, Object> listener = Fields.map(l);
            Integer port = NetworkPolicies.integer(listener.get("port"));
            if (port != null) rules.add(rule(port, Fields.list(listener.get("networkPolicyPeers"))));
        }
        if (kafkaSpec.get("metricsConfig") != null) rules.add(rule(9404, List.of()));
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("podSelector", Map.of("matchLabels", Map.of("strimzi.io/cluster", k, "strimzi.io/kind", "Kafka",
                "strimzi.io/name", k + "-kafka")));
        spec.put("policyTypes", List.of("Ingress"));
        spec.put("ingress", rules);
        return new Policy(kafka.namespace(), k + "-network-policy-kafka", spec);
    }

    private static Map<String, Object> named(String strimziName) {
        return Map.of("podSelector", Map.of("matchLabels", Map.of("strimzi.io/name", strimziName)));
    }

    private static Map<String, Object> rule(int port, List<Object> from) {
        return Map.of("from", from, "ports", List.of(Map.of("protocol", NetworkPolicies.TCP, "port", port)));
    }

    /**
     * FlinkDeployment (Flink native Kubernetes, org.apache.flink.kubernetes.utils.Constants and
     * KubernetesUtils): JobManager pods labelled {@code app: NAME}, {@code component: jobmanager},
     * {@code type: flink-native-kubernetes}, TaskManagers {@code component: taskmanager}, both
     * with {@code spec.podTemplate}'s labels and the role's own podTemplate's; JobManager ports
     * {@code rest} ({@code rest.port}, default 8081), 6123 {@code jobmanager-rpc}, 6124
     * {@code blobserver}, TaskManager 6122 {@code taskmanager-rpc}, both with the ports of the
     * podTemplate's {@code flink-main-container} (the library's {@code metrics} 9249). The
     * JobManager is an API client (it creates TaskManager pods).
     */
    static List<ClusterPods.Workload> flink(RenderedObject deployment) {
        String name = deployment.name();
        String ns = deployment.namespace();
        Map<String, Object> spec = Fields.map(deployment.body().get("spec"));
        Map<String, String> conf = strings(spec.get("flinkConfiguration"));
        int rest = parsePort(conf.get("rest.port"), 8081);
        List<ClusterPods.Workload> out = new ArrayList<>();
        for (String role : List.of("jobmanager", "taskmanager")) {
            Map<String, Object> roleTemplate = Fields.map(Fields.map(spec.get(role.equals("jobmanager") ? "jobManager" : "taskManager")).get("podTemplate"));
            Map<String, String> labels = new LinkedHashMap<>(podTemplateLabels(spec.get("podTemplate")));
            labels.putAll(podTemplateLabels(roleTemplate));
            labels.put("app", name);
            labels.put("component", role);
            labels.put("type", "flink-native-kubernetes");
            List<Port> ports = new ArrayList<>();
            if (role.equals("jobmanager")) {
                ports.add(new Port("rest", rest, NetworkPolicies.TCP));
                ports.add(new Port("jobmanager-rpc", 6123, NetworkPolicies.TCP));
                ports.add(new Port("blobserver", 6124, NetworkPolicies.TCP));
            } else {
                ports.add(new Port("taskmanager-rpc", 6122, NetworkPolicies.TCP));
            }
            ports.addAll(mainContainerPorts(spec.get("podTemplate")));
            ports.addAll(mainContainerPorts(roleTemplate));
            out.add(new ClusterPods.Workload(new NetworkPolicies.Pod(ns, Map.copyOf(labels), List.copyOf(ports),
                    "FlinkDeployment " + ns + "/" + name + " " + (role.equals("jobmanager") ? "JobManager" : "TaskManager") + " pods"),
                    deployment, role.equals("jobmanager"), role));
        }
        return out;
    }

    /** The REST port's number as {@code rest.port} gives it, or the default. */
    private static int parsePort(String value, int otherwise) {
        try {
            return value == null ? otherwise : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    private static Map<String, String> podTemplateLabels(Object template) {
        return strings(Fields.map(Fields.map(template).get("metadata")).get("labels"));
    }

    private static List<Port> mainContainerPorts(Object template) {
        for (Object c : Fields.list(Fields.map(Fields.map(template).get("spec")).get("containers"))) {
            Map<String, Object> container = Fields.map(c);
            if ("flink-main-container".equals(container.get("name"))) return ClusterPods.containerPorts(container);
        }
        return List.of();
    }

    /**
     * SparkApplication and ScheduledSparkApplication (Kubeflow Spark operator, Spark's
     * Kubernetes Constants): driver pods labelled {@code spark-role: driver}, executors
     * {@code spark-role: executor}, both with {@code spark-app-name} and
     * {@code sparkoperator.k8s.io/app-name} (the application's name),
     * {@code sparkoperator.k8s.io/launched-by-spark-operator: "true"}, the application's labels
     * and the role's {@code labels}; driver ports 7078 {@code driver-rpc-port}, 7079
     * {@code blockmanager}, 4040 {@code spark-ui}; executors 7079 {@code blockmanager}. The
     * driver is an API client (it creates executor pods).
     */
    static List<ClusterPods.Workload> spark(RenderedObject application) {
        String name = application.name();
        String ns = application.namespace();
        Map<String, Object> spec = Fields.map(application.body().get("spec"));
        if (application.kind().equals("ScheduledSparkApplication")) spec = Fields.map(spec.get("template"));
        List<ClusterPods.Workload> out = new ArrayList<>();
        for (String role : List.of("driver", "executor")) {
            Map<String, String> labels = new LinkedHashMap<>(strings(application.metadata().get("labels")));
            labels.putAll(strings(Fields.map(spec.get(role)).get("labels")));
            labels.put("spark-role", role);
            labels.put("spark-app-name", name);
            labels.put("sparkoperator.k8s.io/app-name", name);
            labels.put("sparkoperator.k8s.io/launched-by-spark-operator", "true");
            List<Port> ports = role.equals("driver")
                    ? List.of(new Port("driver-rpc-port", 7078, NetworkPolicies.TCP), new Port("blockmanager", 7079, NetworkPolicies.TCP),
                    new Port("spark-ui", 4040, NetworkPolicies.TCP))
                    : List.of(new Port("blockmanager", 7079, NetworkPolicies.TCP));
            out.add(new ClusterPods.Workload(new NetworkPolicies.Pod(ns, Map.copyOf(labels), ports,
                    application.kind() + " " + ns + "/" + name + " " + role + " pods"), application, role.equals("driver"), role));
        }
        return out;
    }

    static Map<String, String> strings(Object o) {
        Map<String, String> out = new LinkedHashMap<>();
        Fields.map(o).forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }
}
