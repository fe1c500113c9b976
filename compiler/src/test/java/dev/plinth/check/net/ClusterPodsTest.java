package dev.plinth.check.net;

import dev.plinth.check.net.ClusterPods.Workload;
import dev.plinth.check.net.NetworkPolicies.Port;
import dev.plinth.diag.Diagnostics;
import dev.plinth.diag.Loc;
import dev.plinth.render.RenderedObject;
import dev.plinth.yaml.PNode;
import dev.plinth.yaml.YamlReader;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pods the operators make from custom resources, by their conventions (docs/policies.md, Reachability). */
class ClusterPodsTest {
    @SuppressWarnings("unchecked")
    private static ClusterPods pods(String yaml) {
        Diagnostics d = new Diagnostics();
        List<RenderedObject> out = new ArrayList<>();
        for (PNode doc : YamlReader.readAll("t.yaml", yaml, d)) {
            out.add(new RenderedObject("c", RenderedObject.Area.APP, "t", "app", "comp", (Map<String, Object>) doc.toPlain(),
                    new Loc("t.yaml", 1, 1), doc, "c/app/comp"));
        }
        assertFalse(d.hasErrors());
        return ClusterPods.of(out);
    }

    private static Workload only(ClusterPods pods, String describe) {
        List<Workload> found = pods.workloads().stream().filter(w -> w.pod().describe().equals(describe)).toList();
        assertEquals(1, found.size(), describe + " among " + pods.workloads().stream().map(w -> w.pod().describe()).toList());
        return found.get(0);
    }

    @Test
    void strimziPoolsEntityOperatorAndExporter() {
        ClusterPods pods = pods("""
                {apiVersion: kafka.strimzi.io/v1, kind: Kafka, metadata: {name: k, namespace: ns, labels: {plinth.dev/app: app, app.kubernetes.io/name: k}},
                 spec: {kafka: {rack: {topologyKey: zone}, metricsConfig: {type: jmxPrometheusExporter},
                   listeners: [{name: plain, port: 9092}, {name: tls, port: 9093}, {name: external, port: 9094}, {name: internal2, port: 9095}]},
                   entityOperator: {topicOperator: {}}, kafkaExporter: {}}}
                ---
                {apiVersion: kafka.strimzi.io/v1, kind: KafkaNodePool, metadata: {name: b, namespace: ns, labels: {strimzi.io/cluster: k, team: x}},
                 spec: {roles: [broker], template: {pod: {metadata: {labels: {extra: y}}}}}}
                ---
                {apiVersion: kafka.strimzi.io/v1, kind: KafkaNodePool, metadata: {name: c, namespace: ns, labels: {strimzi.io/cluster: k}},
                 spec: {roles: [controller]}}
                """);
        Workload broker = only(pods, "Kafka ns/k broker pods (KafkaNodePool b)");
        Map<String, String> l = broker.pod().labels();
        assertEquals("k", l.get("strimzi.io/cluster"));
        assertEquals("Kafka", l.get("strimzi.io/kind"));
        assertEquals("k-kafka", l.get("strimzi.io/name"));
        assertEquals("b", l.get("strimzi.io/pool-name"));
        assertEquals("true", l.get("strimzi.io/broker-role"));
        assertEquals("false", l.get("strimzi.io/controller-role"));
        assertEquals("x", l.get("team"), "the pool's own labels");
        assertEquals("y", l.get("extra"), "the pool's pod template labels");
        assertEquals("kafka", l.get("app.kubernetes.io/name"), "Strimzi's, not the pool's app.kubernetes.io labels");
        assertEquals(List.of(new Port("tcp-kafkaagent", 8443, "TCP"), new Port("tcp-replication", 9091, "TCP"),
                new Port("tcp-clients", 9092, "TCP"), new Port("tcp-clientstls", 9093, "TCP"), new Port("tcp-external", 9094, "TCP"),
                new Port("tcp-internal2", 9095, "TCP"), new Port("tcp-prometheus", 9404, "TCP")), broker.pod().ports());
        assertTrue(broker.needsApiServer(), "rack awareness: the init container reads the node");
        Workload controller = only(pods, "Kafka ns/k controller pods (KafkaNodePool c)");
        assertEquals(List.of(new Port("tcp-kafkaagent", 8443, "TCP"), new Port("tcp-ctrlplane", 9090, "TCP"),
                new Port("tcp-prometheus", 9404, "TCP")), controller.pod().ports());
        assertFalse(controller.needsApiServer());
        Workload eo = only(pods, "Kafka ns/k entity operator");
        assertEquals("k-entity-operator", eo.pod().labels().get("strimzi.io/name"));
        assertEquals("app", eo.pod().labels().get("plinth.dev/app"), "the Kafka's labels");
        assertTrue(eo.needsApiServer());
        assertEquals("k-kafka-exporter", only(pods, "Kafka ns/k Kafka Exporter").pod().labels().get("strimzi.io/name"));
        // Strimzi's own policy admits its operator and the clients of each listener
        NetworkPolicies.Pod operator = new NetworkPolicies.Pod("strimzi", Map.of("strimzi.io/kind", "cluster-operator"), List.of(), "co");
        assertEquals("NetworkPolicy ns/k-network-policy-kafka", pods.policies().decide(operator, broker.pod(), 9091, "TCP").ingress().allowedBy());
    }

    @Test
    void flinkAndSparkRoles() {
        ClusterPods pods = pods("""
                {apiVersion: flink.apache.org/v1beta1, kind: FlinkDeployment, metadata: {name: f, namespace: ns},
                 spec: {flinkConfiguration: {rest.port: "8082"}, podTemplate: {metadata: {labels: {a: b}},
                   spec: {containers: [{name: flink-main-container, ports: [{name: metrics, containerPort: 9249}]}]}}}}
                ---
                {apiVersion: sparkoperator.k8s.io/v1beta2, kind: ScheduledSparkApplication, metadata: {name: s, namespace: ns, labels: {l: m}},
                 spec: {template: {driver: {labels: {d: e}}, executor: {}}}}
                """);
        Workload jm = only(pods, "FlinkDeployment ns/f JobManager pods");
        assertEquals(Map.of("a", "b", "app", "f", "component", "jobmanager", "type", "flink-native-kubernetes"), jm.pod().labels());
        assertEquals(8082, jm.pod().port("rest").number(), "rest.port of flinkConfiguration");
        assertEquals(9249, jm.pod().port("metrics").number());
        assertTrue(jm.needsApiServer());
        Workload tm = only(pods, "FlinkDeployment ns/f TaskManager pods");
        assertEquals("taskmanager", tm.pod().labels().get("component"));
        assertFalse(tm.needsApiServer());
        Workload driver = only(pods, "ScheduledSparkApplication ns/s driver pods");
        assertEquals("driver", driver.pod().labels().get("spark-role"));
        assertEquals("e", driver.pod().labels().get("d"));
        assertEquals("m", driver.pod().labels().get("l"));
        assertEquals(4040, driver.pod().port("spark-ui").number());
        assertTrue(driver.needsApiServer());
        assertEquals("executor", only(pods, "ScheduledSparkApplication ns/s executor pods").pod().labels().get("spark-role"));
    }
}
