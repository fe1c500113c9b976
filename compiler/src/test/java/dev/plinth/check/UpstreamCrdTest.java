package dev.plinth.check;

import dev.plinth.TestSupport;
import dev.plinth.TestSupport.Run;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The example platform's custom resources against the operators' real CRDs in ../shared/crds
 * (referenced by path, never copied), and custom resources those CRDs must reject.
 */
class UpstreamCrdTest {
    private Path crds;

    @TempDir
    Path tmp;

    @BeforeEach
    void findCrds() {
        crds = TestSupport.projectRoot().resolve("../shared/crds").normalize();
        Assumptions.assumeTrue(Files.isDirectory(crds), "upstream CRDs not found at " + crds + ": skipping");
    }

    @Test
    void theExamplePlatformHasNoFindings() {
        Run r = TestSupport.plinth(TestSupport.withUpstreamCrds(false, "validate", "-r", TestSupport.projectRoot().toString()));
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err());
    }

    @Test
    void twoDifferentCrdsOfOneKindAreAnErrorNamingBoth() {
        // ../shared/crds as a whole holds Strimzi 1.2's and 0.46's CRDs: a v1beta2 KafkaTopic
        // would pass on a Strimzi 1.2 cluster against the 0.46 schema
        Run r = TestSupport.plinth("validate", "-r", TestSupport.projectRoot().toString(), "--crds", crds.toString());
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("error: the platform's CRDs (spec.crds and --crds) have two different CRDs of Kafka (kafka.strimzi.io): "
                + crds.resolve("strimzi-0.46/040-Crd-kafka.yaml") + " and " + crds.resolve("strimzi/040-Crd-kafka.yaml")
                + "; keep one (a cluster on another operator version takes its own with clusters[].crds)"), r.err());
    }

    /**
     * Every golden case that renders also validates against the upstream CRDs, so each built-in
     * type's custom resources (Kafka, FlinkDeployment, SparkApplication, monitors, flows, ...)
     * are what the operators accept. b02 renders Strimzi 0.47's v1beta2 on purpose, which
     * Strimzi 1.2 no longer serves: it is checked against Strimzi 0.46's CRDs.
     */
    @Test
    void everyRenderingGoldenCaseMatchesTheOperatorsCrds() throws Exception {
        java.util.List<Path> cases;
        try (var s = Files.list(TestSupport.projectRoot().resolve("tests/golden"))) {
            cases = s.filter(c -> Files.isDirectory(c.resolve("expected")) && Files.isDirectory(c.resolve("input")))
                    .sorted().toList();
        }
        org.junit.jupiter.api.Assertions.assertTrue(cases.size() >= 14, "found " + cases.size());
        for (Path c : cases) {
            boolean strimzi046 = c.getFileName().toString().equals("b02-kafka-strimzi-0-47");
            Run r = TestSupport.plinth(TestSupport.withUpstreamCrds(strimzi046, "validate", "-r", c.resolve("input").toString()));
            assertEquals(0, r.exit(), c.getFileName() + ":\n" + r.err());
        }
    }

    @Test
    void customResourcesThatTheOperatorsWouldRejectAreErrors() {
        Path root = tmp.resolve("p");
        TestSupport.copyTree(TestSupport.projectRoot().resolve("tests/golden/v12-references/input"), root);
        TestSupport.write(root.resolve("environments/live/apps/files/objects.yaml"), """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
                      containers:
                        - name: web
                          image: registry.example.com/web:1.0.0
                          ports: [{name: http, containerPort: 8080}]
                          resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {memory: 64Mi}}
                          securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
                ---
                apiVersion: monitoring.coreos.com/v1
                kind: PodMonitor
                metadata: {name: web}
                spec:
                  selector: {matchLabels: {app: web}}
                  podMetricsEndpoints: [{port: http, interval: 30 seconds, scheme: ftp, honorLabels: "yes", bogus: 1}]
                ---
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: web}
                spec:
                  scaleTargetRef: {name: web}
                  minReplicaCount: "1"
                  maxReplicaCount: 2
                  triggers: [{type: kafka}]
                """);
        Run r = TestSupport.plinth(TestSupport.withUpstreamCrds(false, "validate", "-r", root.toString()));
        assertEquals(1, r.exit());
        assertEquals("""
                environments/live/apps/app.yaml:9:7: error[schema]: does not have a value in the enumeration ["http", "https", "HTTP", "HTTPS"] (live-1 t PodMonitor/web spec.podMetricsEndpoints[0].scheme)
                environments/live/apps/app.yaml:9:7: error[schema]: does not match the regex pattern ^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$ (live-1 t PodMonitor/web spec.podMetricsEndpoints[0].interval)
                environments/live/apps/app.yaml:9:7: error[schema]: required property 'metadata' not found (live-1 t ScaledObject/web spec.triggers[0])
                environments/live/apps/app.yaml:9:7: error[schema]: string found, boolean expected (live-1 t PodMonitor/web spec.podMetricsEndpoints[0].honorLabels)
                environments/live/apps/app.yaml:9:7: error[schema]: string found, integer expected (live-1 t ScaledObject/web spec.minReplicaCount)
                environments/live/apps/app.yaml:9:7: error[schema]: unknown field 'bogus' (live-1 t PodMonitor/web spec.podMetricsEndpoints[0].bogus)
                environments/live/apps/files/objects.yaml:22:32: error[reachability]: monitoring flow blocked: Prometheus (namespace monitoring) -> Deployment t/web on 8080/TCP is denied by the destination's ingress: NetworkPolicies of namespace t isolate it and no ingress rule admits this flow (live-1 t PodMonitor/web spec.podMetricsEndpoints[0])
                7 errors
                """, r.err());
    }
}
