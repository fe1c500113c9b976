package dev.plinth.check;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.plinth.check.CheckFixture.error;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * kafka-access: KafkaUsers fit their Kafka cluster (its namespace, a listener accepting their
 * authentication, authorization for ACLs), and a tenant's ACLs reach only its own topics or those
 * another tenant grants it.
 */
class KafkaAccessCheckTest {
    private static final String CHECK = "kafka-access";

    private static final String KAFKA = """
            apiVersion: kafka.strimzi.io/v1
            kind: Kafka
            metadata: {name: events}
            spec:
              kafka:
                listeners:
                  - {name: plain, port: 9092, type: internal, tls: false, authentication: {type: scram-sha-512}}
                  - {name: tls, port: 9093, type: internal, tls: true}
                authorization: {type: simple}
            """;

    private static String topic(String name, String topicName) {
        return "apiVersion: kafka.strimzi.io/v1\nkind: KafkaTopic\nmetadata: {name: " + name + ", labels: {strimzi.io/cluster: events}}\n"
                + "spec: {partitions: 1, replicas: 1" + (topicName == null ? "" : ", topicName: " + topicName) + "}\n";
    }

    /** A KafkaUser of cluster events in namespace data; {@code acls} are flow-style ACL maps, one per line. */
    private static String user(String name, String auth, String... acls) {
        StringBuilder b = new StringBuilder("apiVersion: kafka.strimzi.io/v1\nkind: KafkaUser\nmetadata: {name: " + name
                + ", namespace: data, labels: {strimzi.io/cluster: events}}\nspec:\n  authentication: {type: " + auth + "}\n");
        if (acls.length > 0) {
            b.append("  authorization:\n    type: simple\n    acls:\n");
            for (String a : acls) b.append("      - ").append(a).append('\n');
        }
        return b.toString();
    }

    private static Map<String, Object> grant(String to, List<String> topics, List<String> prefixes, String... operations) {
        return Map.of("tenant", to, "topics", topics, "topicPrefixes", prefixes, "operations", List.of(operations));
    }

    /** Tenant data runs Kafka events with topics orders.v1 (data's) and shared.x (declared by analytics, placed in data). */
    private static CheckFixture platform(Map<String, Object>... grants) {
        return CheckFixture.cluster()
                .tenant("data").tenant("analytics")
                .tenantSpec("data", "kafka", Map.of("grants", List.of(grants)))
                .app("stream", "data").objects("stream", KAFKA + "---\n" + topic("orders", "orders.v1"))
                .app("reports", "analytics").objects("reports", topic("shared-x", "shared.x").replace("metadata: {name: shared-x,",
                        "metadata: {name: shared-x, namespace: data,"));
    }

    @Test
    void aTenantsOwnTopicsNeedNoGrant() {
        platform().objects("stream", user("writer", "scram-sha-512",
                "{resource: {type: topic, name: orders.v1}, operations: [Write, Describe]}",
                "{resource: {type: topic, name: orders., patternType: prefix}, operations: [Read]}",
                "{resource: {type: topic, name: undeclared}, operations: [All]}",
                "{resource: {type: group, name: anything, patternType: prefix}, operations: [Read]}"))
                .run(CHECK).none();
    }

    @Test
    void anAclOnAnotherTenantsTopicWithoutAGrantIsAnErrorAtItsName() {
        CheckFixture.Finding f = platform().objects("reports", user("reader", "scram-sha-512",
                "{resource: {type: topic, name: orders.v1}, operations: [Read]}")).run(CHECK)
                .only(error("KafkaUser/data/reader", "spec.authorization.acls[0].resource.name",
                        "ACL on topic 'orders.v1' of tenant 'data' (its KafkaTopic orders) without a grant: tenant 'data' grants tenant"
                                + " 'analytics' no Read on it (spec.kafka.grants of tenant data: {tenant: analytics, topics: [orders.v1], operations: [Read]})"));
        assertEquals("environments/live/apps/reports.yaml:14:40", f.loc(), "at the ACL's topic name");
    }

    @Test
    void aGrantCoversTheOperationsItNamesAndWhatKafkaImpliesFromThem() {
        platform(grant("analytics", List.of("orders.v1"), List.of(), "Read")).objects("reports", user("reader", "scram-sha-512",
                "{resource: {type: topic, name: orders.v1}, operations: [Read, Describe]}")).run(CHECK).none();
        platform(grant("analytics", List.of("orders.v1"), List.of(), "Read")).objects("reports", user("reader", "scram-sha-512",
                "{resource: {type: topic, name: orders.v1}, operations: [Read, Write]}")).run(CHECK)
                .only(error("KafkaUser/data/reader", "spec.authorization.acls[0].resource.name", "grants tenant 'analytics' no Write on it"));
        platform(grant("analytics", List.of(), List.of("orders."), "All")).objects("reports", user("reader", "scram-sha-512",
                "{resource: {type: topic, name: orders.v1}, operations: [All]}")).run(CHECK).none();
    }

    @Test
    void aGrantToAnotherTenantDoesNotCover() {
        platform(grant("someone", List.of("orders.v1"), List.of(), "Read")).objects("reports", user("reader", "scram-sha-512",
                "{resource: {type: topic, name: orders.v1}, operations: [Read]}")).run(CHECK)
                .only(error("KafkaUser/data/reader", "spec.authorization.acls[0].resource.name", "no Read on it"));
    }

    @Test
    void anUndeclaredTopicBelongsToTheTenantThatRunsTheCluster() {
        platform().objects("reports", user("reader", "scram-sha-512",
                "{resource: {type: topic, name: scratch}, operations: [Read]}")).run(CHECK)
                .only(error("KafkaUser/data/reader", "spec.authorization.acls[0].resource.name",
                        "no KafkaTopic declares it, so it belongs to the tenant that runs Kafka cluster 'events'"));
    }

    @Test
    void aPrefixAclNeedsAPrefixGrantCoveringItForTheUndeclaredNames() {
        platform(grant("analytics", List.of("orders.v1"), List.of(), "Read")).objects("reports", user("reader", "scram-sha-512",
                "{resource: {type: topic, name: orders., patternType: prefix}, operations: [Read]}")).run(CHECK)
                .only(error("KafkaUser/data/reader", "spec.authorization.acls[0].resource.name",
                        "prefix ACL 'orders.' reaches topic names that no KafkaTopic declares, which belong to tenant 'data'"));
        platform(grant("analytics", List.of(), List.of("orders."), "Read")).objects("reports", user("reader", "scram-sha-512",
                "{resource: {type: topic, name: orders.eu., patternType: prefix}, operations: [Read]}")).run(CHECK).none();
        platform(grant("analytics", List.of(), List.of("orders.eu."), "Read")).objects("reports", user("reader", "scram-sha-512",
                "{resource: {type: topic, name: orders., patternType: prefix}, operations: [Read]}")).run(CHECK)
                .only(error("KafkaUser/data/reader", "spec.authorization.acls[0].resource.name", "on a prefix that covers 'orders.'"));
    }

    @Test
    void aPrefixAclOfTheOwnerReachingAnotherTenantsDeclaredTopicIsAnError() {
        platform().objects("stream", user("all-shared", "scram-sha-512",
                "{resource: {type: topic, name: shared., patternType: prefix}, operations: [Read]}")).run(CHECK)
                .only(error("KafkaUser/data/all-shared", "spec.authorization.acls[0].resource.name",
                        "prefix ACL 'shared.' reaches topic 'shared.x' of tenant 'analytics' without a grant"));
    }

    @Test
    void theWildcardTopicIsTheClusterTenantsOnly() {
        platform(grant("analytics", List.of(), List.of("o"), "All")).objects("reports", user("reader", "scram-sha-512",
                "{resource: {type: topic, name: '*'}, operations: [Describe]}")).run(CHECK)
                .only(error("KafkaUser/data/reader", "spec.authorization.acls[0].resource.name",
                        "ACL on every topic ('*') of Kafka cluster 'events': only tenant 'data', which runs the cluster, may have one"));
    }

    @Test
    void groupAndDenyAclsAreNotTenantBound() {
        platform().objects("reports", user("reader", "scram-sha-512",
                "{resource: {type: group, name: orders-app}, operations: [Read]}",
                "{type: deny, resource: {type: topic, name: orders.v1}, operations: [Read]}")).run(CHECK).none();
    }

    @Test
    void aUserAuthenticatesOnlyAsAListenerAccepts() {
        platform().objects("stream", user("cert", "tls") + "---\n" + user("external", "tls-external")).run(CHECK).exactly(
                error("KafkaUser/data/cert", "spec.authentication.type",
                        "user authenticates with tls but no listener of Kafka cluster 'events' accepts tls (they accept scram-sha-512)"),
                error("KafkaUser/data/external", "spec.authentication.type", "user authenticates with tls-external but no listener"));
    }

    @Test
    void aclsNeedTheClustersAuthorization() {
        CheckFixture.cluster().tenant("data").app("stream", "data").objects("stream", KAFKA.replace("    authorization: {type: simple}\n", "")
                + "---\n" + user("reader", "scram-sha-512", "{resource: {type: topic, name: orders}, operations: [Read]}")).run(CHECK)
                .only(error("KafkaUser/data/reader", "spec.authorization", "ACLs for Kafka cluster 'events', which has no authorization"));
    }

    @Test
    void aUserNamesAKafkaOfItsNamespace() {
        CheckFixture.cluster().tenant("data").app("stream", "data").objects("stream", user("reader", "scram-sha-512")).run(CHECK)
                .only(error("KafkaUser/data/reader", "metadata.labels.strimzi.io/cluster",
                        "user of Kafka cluster 'events', which is not rendered in data (Strimzi's user operator watches its Kafka's namespace)"));
    }
}
