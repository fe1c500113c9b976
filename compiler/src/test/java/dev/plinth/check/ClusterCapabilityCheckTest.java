package dev.plinth.check;

import org.junit.jupiter.api.Test;

import static dev.plinth.check.CheckFixture.error;

/**
 * cluster-capabilities: a custom resource's API group is served on its cluster, by an operator
 * the cluster lists (by name, or by API group) or by a CRD rendered for the cluster.
 */
class ClusterCapabilityCheckTest {
    private static final String CHECK = "cluster-capabilities";
    private static final String KAFKA = """
            apiVersion: kafka.strimzi.io/v1beta2
            kind: Kafka
            metadata: {name: events}
            spec: {}
            """;

    private static CheckFixture kafka() {
        return CheckFixture.cluster().tenant("team").app("web", "team").objects("web", KAFKA);
    }

    @Test
    void aGroupNoOperatorServesIsAnErrorNamingTheOperatorToAdd() {
        kafka().run(CHECK).only(error("Kafka/team/events", "apiVersion",
                "API group kafka.strimzi.io is not served on cluster live-1 (operators: none): add strimzi to the cluster's operators"));
        kafka().operator("flink").operator("prometheus").run(CHECK)
                .only(error("Kafka/team/events", "apiVersion", "(operators: flink, prometheus): add strimzi"));
    }

    @Test
    void theOperatorByNameServesItsGroups() {
        kafka().operator("strimzi").run(CHECK).none();
    }

    @Test
    void anApiGroupListedDirectlyIsServed() {
        kafka().operator("kafka.strimzi.io").run(CHECK).none();
        CheckFixture.cluster().operator("example.com").tenant("team").app("web", "team").objects("web", """
                apiVersion: example.com/v1
                kind: Widget
                metadata: {name: w}
                """).run(CHECK).none();
    }

    @Test
    void aGroupNoKnownOperatorServesNamesItself() {
        CheckFixture.app("""
                apiVersion: example.com/v1
                kind: Widget
                metadata: {name: w}
                """).run(CHECK).only(error("Widget/team/w", "apiVersion", "API group example.com is not served on cluster live-1"
                + " (operators: none): add example.com to the cluster's operators"));
    }

    @Test
    void aCrdRenderedForTheClusterServesItsGroup() {
        kafka().platformObjects("""
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: kafkas.kafka.strimzi.io}
                spec:
                  group: kafka.strimzi.io
                  names: {kind: Kafka, plural: kafkas}
                  scope: Namespaced
                  versions: [{name: v1beta2, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}]
                """).run(CHECK).none();
    }

    @Test
    void builtInGroupsNeedNoOperator() {
        CheckFixture.app("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: deny}
                spec: {podSelector: {}}
                ---
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata: {name: web}
                spec: {minAvailable: 1, selector: {matchLabels: {app: web}}}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: c}
                """).run(CHECK).none();
    }

    @Test
    void everyObjectOfAnUnservedGroupIsReportedAndAWaiverSuppressesThem() {
        CheckFixture twoApps = kafka().app("other", "team").objects("other", """
                apiVersion: kafka.strimzi.io/v1beta2
                kind: KafkaTopic
                metadata: {name: clicks}
                """);
        twoApps.run(CHECK).exactly(
                error("Kafka/team/events", "apiVersion", "add strimzi"),
                error("KafkaTopic/team/clicks", "apiVersion", "add strimzi"));
        twoApps.waiver("other", CHECK).run(CHECK).only(error("Kafka/team/events", "apiVersion", "add strimzi"));
    }
}
