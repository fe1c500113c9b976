package dev.plinth.check;

import dev.plinth.TestSupport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * clusters[].crds: a fleet with Strimzi 0.46 on one cluster and 1.2 on another validates each
 * cluster's Kafka against its own CRDs (the upstream ones in ../shared/crds, copied into the
 * platform under test, since a cluster's CRD paths must stay inside the root).
 */
class ClusterCrdsTest {
    private static final Path SHARED = TestSupport.projectRoot().resolve("../shared/crds").normalize();

    @TempDir
    Path root;

    @BeforeEach
    void platform() {
        Assumptions.assumeTrue(Files.isDirectory(SHARED.resolve("strimzi-0.46")),
                "../shared/crds/strimzi-0.46 is missing: the per-cluster CRD test needs the upstream Strimzi CRDs");
        TestSupport.copyTree(SHARED.resolve("strimzi"), root.resolve("crds/strimzi"));
        TestSupport.copyTree(SHARED.resolve("strimzi-0.46"), root.resolve("crds/strimzi-0.46"));
        TestSupport.write(root.resolve("platform.yaml"), """
                apiVersion: plinth.dev/v1alpha1
                kind: Platform
                metadata: {name: fleet}
                spec:
                  crds: [crds/strimzi]
                """);
        TestSupport.copyTree(TestSupport.projectRoot().resolve("tests/golden/b01-kafka-strimzi-1/input/environments/live/tenants"),
                root.resolve("environments/live/tenants"));
        TestSupport.write(root.resolve("environments/live/apps/stream.yaml"), """
                apiVersion: plinth.dev/v1alpha1
                kind: Application
                metadata: {name: stream, tenant: data}
                spec:
                  components:
                    - name: events
                      type: kafka-cluster
                      properties: {brokers: 3, controllers: 3}
                    - name: orders
                      type: kafka-topic
                      properties: {cluster: events, partitions: 12, replicas: 3}
                """);
    }

    private void clusters(String oldClusterCrds) {
        TestSupport.write(root.resolve("environments/live/environment.yaml"), """
                apiVersion: plinth.dev/v1alpha1
                kind: Environment
                metadata: {name: live}
                spec:
                  clusters:
                    - {name: old, kubeVersion: "1.30", server: "https://10.0.0.1:6443", operators: {strimzi: "0.46"}%s}
                    - {name: new, kubeVersion: "1.31", server: "https://10.0.0.2:6443", operators: {strimzi: "1.2"}}
                """.formatted(oldClusterCrds));
    }

    private TestSupport.Run validate() {
        return TestSupport.plinth("validate", "-r", root.toString());
    }

    @Test
    void eachClusterIsCheckedAgainstItsOwnCrds() {
        clusters(", crds: [crds/strimzi-0.46]");
        TestSupport.Run run = validate();
        assertEquals(0, run.exit(), run.err());
    }

    @Test
    void withoutItsOwnCrdsTheOldClusterFailsThePlatformWideOnes() {
        clusters("");
        TestSupport.Run run = validate();
        assertEquals(1, run.exit(), run.err());
        assertTrue(run.err().contains("error[schema]: the CRD of Kafka serves kafka.strimzi.io/v1, not kafka.strimzi.io/v1beta2 (old data Kafka/events"),
                run.err());
        assertTrue(!run.err().contains("(new data"), "the new cluster's Kafka fits the platform's CRDs:\n" + run.err());
    }

    @Test
    void twoDifferentCrdsOfOneKindInOneClusterAreAnError() {
        clusters(", crds: [crds/strimzi-0.46, crds/strimzi]");
        TestSupport.Run run = validate();
        assertEquals(1, run.exit(), run.err());
        assertTrue(run.err().contains("error: cluster old has two different CRDs of Kafka (kafka.strimzi.io): "
                + "crds/strimzi-0.46/040-Crd-kafka.yaml and crds/strimzi/040-Crd-kafka.yaml; keep one"), run.err());
    }

    @Test
    void aPathOutsideTheRootIsAnErrorAtItsLine() {
        // as spec.crds: a pull request must not make Plinth read files outside the platform
        clusters(", crds: [" + root.relativize(SHARED.resolve("strimzi-0.46")) + "]");
        TestSupport.Run run = validate();
        assertEquals(1, run.exit(), run.err());
        assertTrue(run.err().contains("environments/live/environment.yaml:6:")
                && run.err().contains("error: clusters[0].crds: '" + root.relativize(SHARED.resolve("strimzi-0.46"))
                + "' leaves the platform root"), run.err());
    }

    @Test
    void aClustersCrdsGiveTheResourceNamesOfItsKinds() {
        // what the GitOps deployer Roles and the RBAC model name the custom resources by
        dev.plinth.diag.Diagnostics diags = new dev.plinth.diag.Diagnostics();
        dev.plinth.check.k8s.CrdSchemas platform = dev.plinth.check.k8s.CrdSchemas.load(root, java.util.List.of(), diags);
        dev.plinth.check.k8s.CrdSchemas old = platform.withClusterCrds(root, java.util.List.of(root.resolve("crds/strimzi-0.46")), "old",
                dev.plinth.diag.Loc.file("environment.yaml"), diags);
        assertEquals(0, diags.errorCount(), diags.sorted().toString());
        assertEquals("kafkanodepools", old.plurals().get("kafka.strimzi.io/KafkaNodePool"));
        assertEquals("kafkamirrormaker2s", old.plurals().get("kafka.strimzi.io/KafkaMirrorMaker2"));
        assertEquals(null, platform.plurals().get("kafka.strimzi.io/KafkaNodePool"));
    }

    @Test
    void aMissingPathIsAnError() {
        clusters(", crds: [crds/strimzi-0.45]");
        TestSupport.Run run = validate();
        assertEquals(1, run.exit(), run.err());
        assertTrue(run.err().contains("environments/live/environment.yaml:6:")
                && run.err().contains("error: cluster old: CRD path crds/strimzi-0.45 does not exist"), run.err());
    }
}
