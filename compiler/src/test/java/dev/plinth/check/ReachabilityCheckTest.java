package dev.plinth.check;

import org.junit.jupiter.api.Test;

import static dev.plinth.check.CheckFixture.error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reachability check: one failing and one passing case per kind of flow. */
class ReachabilityCheckTest {
    private static final String ID = ReachabilityCheck.ID;

    /** Tenant team's namespace and its isolation as the tenant definition renders it (default-deny, same tenant, DNS). */
    private static final String ISOLATED = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: team, labels: {plinth.dev/tenant: team}}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: default-deny}
            spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: allow-same-tenant}
            spec:
              podSelector: {}
              policyTypes: [Ingress, Egress]
              ingress: [{from: [{namespaceSelector: {matchLabels: {plinth.dev/tenant: team}}}]}]
              egress: [{to: [{namespaceSelector: {matchLabels: {plinth.dev/tenant: team}}}]}]
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: allow-dns}
            spec:
              podSelector: {}
              policyTypes: [Egress]
              egress:
                - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}]
                  ports: [{protocol: UDP, port: 53}, {protocol: TCP, port: 53}]
            """;

    private static final String WEB = CheckFixture.deployment("web", """
            containers:
              - name: web
                image: web:1
                ports: [{name: http, containerPort: 8080}]
            """) + """
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web, labels: {app: web}}
            spec:
              selector: {app: web}
              ports: [{name: http, port: 80, targetPort: http}]
            """;

    private static CheckFixture isolated(String objects) {
        return CheckFixture.cluster().apiServer("https://10.0.0.1:6443", "10.0.0.1/32").tenant("team").tenantObjects("team", ISOLATED)
                .app("web", "team").objects("web", objects);
    }

    private static String allowFrom(String namespace, String port) {
        return """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: allow-%s}
                spec:
                  podSelector: {}
                  ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: %s}}}]%s}]
                """.formatted(namespace, namespace, port == null ? "" : ", ports: [{port: " + port + "}]");
    }

    // ---- Prometheus ------------------------------------------------------------------------

    private static final String SERVICE_MONITOR = """
            apiVersion: monitoring.coreos.com/v1
            kind: ServiceMonitor
            metadata: {name: web}
            spec:
              selector: {matchLabels: {app: web}}
              endpoints: [{port: http}]
            """;

    @Test
    void prometheusBlockedByTheTargetsIngress() {
        CheckFixture.Finding f = isolated(WEB + "---\n" + SERVICE_MONITOR).run(ID).only(error("ServiceMonitor/team/web", "spec.endpoints[0]",
                "monitoring flow blocked: Prometheus (namespace monitoring) -> Deployment team/web on 8080/TCP is denied by the destination's ingress: "
                        + "NetworkPolicies of namespace team isolate it"));
        assertEquals("environments/live/apps/web.yaml:26:22", f.loc(), "at the endpoint's port name in the monitor");
    }

    @Test
    void prometheusAdmittedByNamespaceOrByTheNamedPort() {
        isolated(WEB + "---\n" + SERVICE_MONITOR + "---\n" + allowFrom("monitoring", null)).run(ID).none();
        isolated(WEB + "---\n" + SERVICE_MONITOR + "---\n" + allowFrom("monitoring", "http")).run(ID).none();
        isolated(WEB + "---\n" + SERVICE_MONITOR + "---\n" + allowFrom("monitoring", "9090")).run(ID)
                .only(error("ServiceMonitor/team/web", "spec.endpoints[0]", "on 8080/TCP"));
    }

    @Test
    void aPodMonitorsNamedPortIsTheTargetsContainerPort() {
        String podMonitor = """
                apiVersion: monitoring.coreos.com/v1
                kind: PodMonitor
                metadata: {name: web}
                spec:
                  selector: {matchLabels: {app: web}}
                  podMetricsEndpoints: [{port: http}, {portNumber: 9100}]
                """;
        isolated(WEB + "---\n" + podMonitor + "---\n" + allowFrom("monitoring", "8080")).run(ID)
                .only(error("PodMonitor/team/web", "spec.podMetricsEndpoints[1]", "Deployment team/web on 9100/TCP"));
    }

    @Test
    void aMonitorOfAnotherNamespaceIsDecidedAcrossNamespaces() {
        String other = ISOLATED.replace("name: team, labels: {plinth.dev/tenant: team}", "name: shop, labels: {plinth.dev/tenant: shop}")
                .replace("plinth.dev/tenant: team", "plinth.dev/tenant: shop");
        String monitor = SERVICE_MONITOR.replace("spec:\n", "spec:\n  namespaceSelector: {matchNames: [shop]}\n");
        CheckFixture.cluster().tenant("team").tenantObjects("team", ISOLATED).tenant("shop").tenantObjects("shop", other)
                .app("mon", "team").objects("mon", monitor).app("web", "shop").objects("web", WEB).run(ID)
                .only(error("ServiceMonitor/team/web", "spec.endpoints[0]", "Prometheus (namespace monitoring) -> Deployment shop/web on 8080/TCP"));
    }

    @Test
    void aRenderedMonitoringNamespaceIsolatesPrometheus() {
        String monitoring = ISOLATED.replace("name: team, labels: {plinth.dev/tenant: team}", "name: monitoring, labels: {plinth.dev/tenant: monitoring}")
                .replace("plinth.dev/tenant: team", "plinth.dev/tenant: monitoring");
        CheckFixture.Finding f = isolated(WEB + "---\n" + SERVICE_MONITOR + "---\n" + allowFrom("monitoring", null))
                .tenant("monitoring").tenantObjects("monitoring", monitoring).run(ID)
                .only(error("ServiceMonitor/team/web", "spec.endpoints[0]", "is denied by the source's egress: NetworkPolicies of namespace monitoring isolate it"));
        assertTrue(f.message().startsWith("monitoring flow blocked: Prometheus (namespace monitoring) -> Deployment team/web on 8080/TCP"), f.message());
    }

    @Test
    void notIsolatedTargetsNeedNoRule() {
        CheckFixture.cluster().tenant("team").app("web", "team").objects("web", WEB + "---\n" + SERVICE_MONITOR).run(ID).none();
    }

    // ---- operators -------------------------------------------------------------------------

    private static final String FLINK = """
            apiVersion: flink.apache.org/v1beta1
            kind: FlinkDeployment
            metadata: {name: enricher}
            spec:
              image: flink:1
              podTemplate:
                spec:
                  containers: [{name: flink-main-container, ports: [{name: metrics, containerPort: 9249}]}]
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: enricher-apiserver}
            spec:
              podSelector: {matchLabels: {app: enricher}}
              policyTypes: [Egress]
              egress: [{to: [{ipBlock: {cidr: 10.0.0.1/32}}], ports: [{port: 443}, {port: 6443}]}]
            """;

    @Test
    void theFlinkOperatorReachesTheJobManagersRestPort() {
        isolated(FLINK).run(ID).only(error("FlinkDeployment/team/enricher", "",
                "operator flow blocked: the Flink operator (namespace flink-operator) -> FlinkDeployment team/enricher JobManager pods on 8081/TCP"));
        isolated(FLINK + "---\n" + allowFrom("flink-operator", "8081")).run(ID).none();
    }

    private static final String KAFKA = """
            apiVersion: kafka.strimzi.io/v1
            kind: Kafka
            metadata: {name: events}
            spec:
              kafka:
                listeners: [{name: plain, port: 9092, type: internal, tls: false, networkPolicyPeers: [{namespaceSelector: {matchLabels: {plinth.dev/tenant: team}}}]}]
                metricsConfig: {type: jmxPrometheusExporter}
            ---
            apiVersion: kafka.strimzi.io/v1
            kind: KafkaNodePool
            metadata: {name: events-broker, labels: {strimzi.io/cluster: events}}
            spec: {replicas: 3, roles: [broker]}
            ---
            apiVersion: kafka.strimzi.io/v1
            kind: KafkaNodePool
            metadata: {name: events-controller, labels: {strimzi.io/cluster: events}}
            spec: {replicas: 3, roles: [controller]}
            """;

    @Test
    void strimziAdmitsItsOperatorAndTheTenantsEgressAdmitsItsEntityOperator() {
        isolated(KAFKA).run(ID).none();
    }

    @Test
    void theEntityOperatorNeedsEgressToTheBrokersAndTheApiServer() {
        String kafka = KAFKA.replace("    metricsConfig:", "  entityOperator: {topicOperator: {}}\n    metricsConfig:")
                .replace("  kafka:\n", "  entityOperator: {topicOperator: {}}\n  kafka:\n").replace("  entityOperator: {topicOperator: {}}\n    metricsConfig:", "    metricsConfig:");
        String denyOnly = ISOLATED.substring(0, ISOLATED.indexOf("---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: allow-same-tenant}"));
        CheckFixture.Result r = CheckFixture.cluster().apiServer("https://10.0.0.1:6443", "10.0.0.1/32").tenant("team").tenantObjects("team", denyOnly)
                .app("web", "team").objects("web", kafka).run(ID);
        assertTrue(r.findings().stream().anyMatch(f -> f.message().startsWith(
                "operator flow blocked: Kafka team/events entity operator -> Kafka team/events broker pods (KafkaNodePool events-broker) on 9091/TCP "
                        + "is denied by the source's egress")), r.findings().toString());
        assertTrue(r.findings().stream().anyMatch(f -> f.message().startsWith(
                "api-server flow blocked: Kafka team/events entity operator -> the API server (10.0.0.1/32) on 443/TCP, 6443/TCP")), r.findings().toString());
        assertTrue(r.findings().stream().anyMatch(f -> f.message().startsWith(
                "dns flow blocked: Kafka team/events controller pods (KafkaNodePool events-controller) -> kube-dns (namespace kube-system) on 53/TCP, 53/UDP")),
                r.findings().toString());
    }

    // ---- the API server --------------------------------------------------------------------

    @Test
    void rackAwareBrokersNeedTheApiServer() {
        String rack = KAFKA.replace("    metricsConfig:", "    rack: {topologyKey: topology.kubernetes.io/zone}\n    metricsConfig:");
        isolated(rack).run(ID).only(error("Kafka/team/events", "",
                "api-server flow blocked: Kafka team/events broker pods (KafkaNodePool events-broker) -> the API server (10.0.0.1/32) on 443/TCP, 6443/TCP "
                        + "is denied by the source's egress: NetworkPolicies of namespace team isolate it"));
        isolated(KAFKA).run(ID).none();
    }

    @Test
    void flinkJobManagersReachTheApiServerThroughTheirEgressPolicy() {
        isolated(FLINK + "---\n" + allowFrom("flink-operator", null)).run(ID).none();
        isolated(FLINK.replace("{port: 6443}", "{port: 6444}") + "---\n" + allowFrom("flink-operator", null)).run(ID)
                .only(error("FlinkDeployment/team/enricher", "", "the API server (10.0.0.1/32) on 6443/TCP"));
    }

    @Test
    void aClusterThatCannotNameItsApiServerIsAnErrorAtItsLine() {
        CheckFixture.Result r = CheckFixture.cluster().tenant("team").app("web", "team").objects("web", FLINK).run(ID);
        CheckFixture.Finding f = r.findings().stream().filter(x -> x.message().startsWith("cluster live-1 cannot name its API server")).findFirst()
                .orElseThrow(() -> new AssertionError(r.findings().toString()));
        assertEquals("cluster live-1 cannot name its API server, which FlinkDeployment team/enricher JobManager pods need: server "
                + "'https://live-1.example.com' is no IP address and apiServerCIDRs is not set, so no egress to it can be generated or "
                + "checked; set clusters[].apiServerCIDRs", f.message());
        assertEquals("environments/live/environment.yaml:5:7", f.loc(), "at the cluster's line");
        // the egress policy alone isolates the Flink pods, whose DNS no rule then admits (a tenant without isolation)
        assertEquals(3, r.findings().size(), r.findings().toString());
        CheckFixture.cluster().tenant("team").app("web", "team").objects("web", WEB).run(ID).none();
    }

    // ---- DNS -------------------------------------------------------------------------------

    @Test
    void everyPodReachesClusterDns() {
        String denyOnly = ISOLATED.substring(0, ISOLATED.indexOf("---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: allow-dns}"));
        CheckFixture.Finding f = CheckFixture.cluster().tenant("team").tenantObjects("team", denyOnly).app("web", "team").objects("web", WEB).run(ID)
                .only(error("Deployment/team/web", "spec.template",
                        "dns flow blocked: Deployment team/web -> kube-dns (namespace kube-system) on 53/TCP, 53/UDP is denied by the source's egress"));
        assertEquals("environments/live/apps/web.yaml:1:1", f.loc());
        isolated(WEB).run(ID).none();
    }

    // ---- KEDA ------------------------------------------------------------------------------

    private static final String SCALED = """
            apiVersion: keda.sh/v1alpha1
            kind: ScaledObject
            metadata: {name: web}
            spec:
              scaleTargetRef: {name: web}
              triggers:
                - type: kafka
                  metadata: {bootstrapServers: "events-kafka-bootstrap:9092", consumerGroup: g, topic: t}
            """;

    @Test
    void kedaReachesTheKafkaItReadsLagFrom() {
        CheckFixture.Finding f = isolated(WEB + "---\n" + KAFKA + "---\n" + SCALED).run(ID).only(error("ScaledObject/team/web",
                "spec.triggers[0].metadata.bootstrapServers",
                "keda flow blocked: the KEDA operator (namespace keda) -> Kafka team/events broker pods (KafkaNodePool events-broker) on 9092/TCP "
                        + "is denied by the destination's ingress"));
        assertEquals("environments/live/apps/web.yaml:46:36", f.loc(), "at the bootstrapServers value");
        // Strimzi's own policy admits the listener's peers only, so the tenant's rule alone is not enough either way;
        // a listener open to the KEDA namespace is
        isolated(WEB + "---\n" + KAFKA.replace("networkPolicyPeers: [", "networkPolicyPeers: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: keda}}}, ")
                + "---\n" + SCALED).run(ID).none();
    }

    @Test
    void kedaReachesARenderedServicesPods() {
        String prometheusTrigger = SCALED.replace("- type: kafka\n      metadata: {bootstrapServers: \"events-kafka-bootstrap:9092\", consumerGroup: g, topic: t}",
                "- type: prometheus\n      metadata: {serverAddress: \"http://web.team.svc:80\", query: up, threshold: \"1\"}");
        isolated(WEB + "---\n" + prometheusTrigger).run(ID).only(error("ScaledObject/team/web", "spec.triggers[0].metadata.serverAddress",
                "the KEDA operator (namespace keda) -> Deployment team/web on 8080/TCP"));
        isolated(WEB + "---\n" + prometheusTrigger + "---\n" + allowFrom("keda", "http")).run(ID).none();
    }
}
