package dev.plinth.cli;

import dev.plinth.TestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code plinth validate --flows}: the flow matrix per cluster, the findings beside it, and the
 * exit status; with declared uses, one of which the target tenant's allowFrom admits only for
 * other pods (the resolve stage accepts it: it names the namespace).
 */
class FlowsCommandTest {
    @TempDir
    Path tmp;

    private static final String IMAGE = "registry.example.com/x@sha256:" + "0".repeat(64);
    private static final String RESOURCES = "resources: {requests: {cpu: 100m, memory: 128Mi}}";

    /** shop/web's api uses data's Kafka cluster and data's legacy Deployment on 8080; data admits shop's pods as {@code allowFrom}. */
    private Path platform(String dataAllowFrom) {
        Path root = tmp.resolve("p" + Math.abs(dataAllowFrom.hashCode()));
        String env = "environments/live/";
        TestSupport.write(root.resolve(env + "environment.yaml"), """
                apiVersion: plinth.dev/v1alpha1
                kind: Environment
                metadata: {name: live}
                spec:
                  clusters: [{name: live-1, kubeVersion: "1.32", server: "https://10.0.0.1:6443", operators: {strimzi: "0.49"}}]
                """);
        TestSupport.write(root.resolve(env + "tenants/tenants.yaml"), """
                apiVersion: plinth.dev/v1alpha1
                kind: Tenant
                metadata: {name: shop}
                spec: {network: {allowTo: [{namespace: data}]}}
                ---
                apiVersion: plinth.dev/v1alpha1
                kind: Tenant
                metadata: {name: data}
                spec: {network: {allowFrom: [%s]}}
                """.formatted(dataAllowFrom));
        TestSupport.write(root.resolve(env + "apps/web.yaml"), """
                apiVersion: plinth.dev/v1alpha1
                kind: Application
                metadata: {name: web, tenant: shop}
                spec:
                  components:
                    - name: api
                      type: webservice
                      properties: {image: "%s", %s}
                      uses:
                        - {app: events, component: kafka}
                        - {app: events, component: legacy, port: "8080"}
                """.formatted(IMAGE, RESOURCES));
        TestSupport.write(root.resolve(env + "apps/events.yaml"), """
                apiVersion: plinth.dev/v1alpha1
                kind: Application
                metadata: {name: events, tenant: data}
                spec:
                  components:
                    - name: kafka
                      type: kafka-cluster
                    - name: legacy
                      type: k8s-objects
                      properties:
                        objects:
                          - apiVersion: apps/v1
                            kind: Deployment
                            metadata: {name: legacy}
                            spec:
                              selector: {matchLabels: {app: legacy}}
                              template:
                                metadata: {labels: {app: legacy}}
                                spec:
                                  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
                                  containers:
                                    - name: legacy
                                      image: "%s"
                                      ports: [{name: http, containerPort: 8080}]
                                      resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {memory: 64Mi}}
                                      securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
                """.formatted(IMAGE));
        return root;
    }

    @Test
    void aBlockedUseIsAnErrorAtItsLineAndBlockedInTheMatrix() {
        Path root = platform("{namespace: shop, podSelector: {role: batch}}");
        TestSupport.Run r = TestSupport.plinth("validate", "--flows", "-r", root.toString());
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.out().startsWith("cluster live-1: "), r.out());
        assertTrue(r.out().contains("\n  BLOCKED  use  Deployment shop/api -> Deployment data/legacy on 8080/TCP  "
                + "[egress by NetworkPolicy shop/allow-to-data; ingress BLOCKED (no rule in namespace data)]\n"), r.out());
        assertTrue(r.out().contains("\n  allowed  use  Deployment shop/api -> Kafka data/kafka broker pods (KafkaNodePool kafka-broker) on 9092/TCP  "
                + "[egress by NetworkPolicy shop/allow-to-data; ingress by NetworkPolicy data/kafka-used-by]\n"), r.out());
        assertFalse(r.out().contains("controller pods (KafkaNodePool kafka-controller) on 9092"), "controllers have no client listener");
        assertTrue(r.out().contains("\n  allowed  dns  Deployment data/legacy -> kube-dns (namespace kube-system) on 53/UDP  "
                + "[egress by NetworkPolicy data/allow-dns; ingress not isolated]\n"), r.out());
        assertTrue(r.err().contains("environments/live/apps/web.yaml:11:11: error[reachability]: use flow blocked: Deployment shop/api -> "
                + "Deployment data/legacy on 8080/TCP is denied by the destination's ingress: NetworkPolicies of namespace data isolate it "
                + "and no ingress rule admits this flow (live-1 shop Deployment/api)"), r.err());
        assertTrue(r.err().endsWith("1 error\n"), r.err());
        assertFalse(Files.exists(root.resolve("rendered")), "validate --flows writes nothing");

        // validate without --flows fails the same way, without the matrix
        TestSupport.Run plain = TestSupport.plinth("validate", "-r", root.toString());
        assertEquals(1, plain.exit());
        assertFalse(plain.out().contains("BLOCKED"), plain.out());
    }

    @Test
    void allFlowsAllowedExitsZeroAndTheMatrixIsDeterministic() {
        Path root = platform("{namespace: shop}");
        TestSupport.Run a = TestSupport.plinth("validate", "--flows", "-r", root.toString());
        assertEquals(0, a.exit(), a.err());
        assertTrue(a.out().contains("\n  allowed  use  Deployment shop/api -> Deployment data/legacy on 8080/TCP  "
                + "[egress by NetworkPolicy shop/allow-to-data; ingress by NetworkPolicy data/allow-from-shop]\n"), a.out());
        assertTrue(a.out().matches("(?s)cluster live-1: [0-9]+ flows, 0 blocked\n.*"), a.out());
        TestSupport.Run b = TestSupport.plinth("validate", "--flows", "--jobs", "1", "-r", root.toString());
        assertEquals(a.out(), b.out());
    }

    @Test
    void flowsPrintTextOnly() {
        TestSupport.Run r = TestSupport.plinth("validate", "--flows", "--format", "json", "-r", platform("{namespace: shop}").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--flows prints text"), r.err());
    }
}
