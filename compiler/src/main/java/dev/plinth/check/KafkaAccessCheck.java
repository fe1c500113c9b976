package dev.plinth.check;

import dev.plinth.render.RenderedObject;
import dev.plinth.spec.Specs.TenantSpec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Strimzi KafkaUsers fit their Kafka cluster, and a tenant's users reach only its own topics.
 * A NamespaceCheck: Strimzi's Entity Operator reconciles only the KafkaTopics and KafkaUsers of
 * its Kafka's namespace, so a cluster, its topics and its users are all in one namespace.
 *
 * <p>Ownership: a KafkaTopic belongs to the tenant whose app renders it (its Kafka topic name is
 * {@code spec.topicName}, else its name); a topic name that no KafkaTopic of the cluster
 * declares belongs to the tenant of the Kafka. A user belongs to the tenant whose app renders it.
 * An ACL of a user on a topic of another tenant needs that tenant's grant
 * ({@code spec.kafka.grants} of its Tenant); a prefix ACL (or the literal {@code *}) reaches every
 * declared topic it matches and, for the names no KafkaTopic declares, the Kafka's tenant, who
 * must then grant a prefix that covers it.
 */
final class KafkaAccessCheck implements NamespaceCheck {
    static final String ID = "kafka-access";

    @Override
    public String id() {
        return ID;
    }

    private static final String GROUP = "kafka.strimzi.io";

    /** A topic a KafkaTopic declares: its Kafka name, owner and object. */
    private record Topic(String name, String tenant, RenderedObject object) {
    }

    /** One grant of {@code spec.kafka.grants}: by tenant {@code owner} to tenant {@code to}. */
    record Grant(String owner, String to, List<String> topics, List<String> prefixes, Set<String> operations) {
        boolean coversTopic(String topic) {
            return topics.contains(topic) || prefixes.stream().anyMatch(topic::startsWith);
        }

        /** Every name matching {@code prefix} matches a granted prefix. */
        boolean coversPrefix(String prefix) {
            return prefixes.stream().anyMatch(prefix::startsWith);
        }

        /**
         * Kafka's implications: any of Read, Write, Delete, Alter allows Describe, AlterConfigs
         * allows DescribeConfigs, All allows everything.
         */
        boolean allows(String op) {
            if (operations.contains("All") || operations.contains(op)) return true;
            if (op.equals("Describe")) return operations.stream().anyMatch(Set.of("Read", "Write", "Delete", "Alter")::contains);
            return op.equals("DescribeConfigs") && operations.contains("AlterConfigs");
        }
    }

    /** The grants of every tenant placed on the cluster, from their specs' {@code kafka.grants}. */
    static List<Grant> grants(List<TenantSpec> tenants) {
        List<Grant> out = new ArrayList<>();
        for (TenantSpec t : tenants) {
            for (Object g : Workloads.list(Workloads.map(t.spec().get("kafka")).get("grants"))) {
                Map<String, Object> m = Workloads.map(g);
                out.add(new Grant(t.name(), String.valueOf(m.get("tenant")), strings(m.get("topics")), strings(m.get("topicPrefixes")),
                        new LinkedHashSet<>(strings(m.get("operations")))));
            }
        }
        return out;
    }

    private static List<String> strings(Object o) {
        return Workloads.list(o).stream().map(String::valueOf).toList();
    }

    @Override
    public void check(NamespaceView namespace, CheckContext context, Findings findings) {
        Map<String, RenderedObject> kafkas = new HashMap<>();
        Map<String, Map<String, Topic>> topics = new HashMap<>(); // Kafka -> topic name -> topic
        List<RenderedObject> users = new ArrayList<>();
        for (RenderedObject o : namespace.objects()) {
            if (o.namespace() == null || !o.group().equals(GROUP)) continue;
            switch (o.kind()) {
                case "Kafka" -> kafkas.put(o.namespace() + "/" + o.name(), o);
                case "KafkaTopic" -> {
                    Object name = Workloads.map(o.body().get("spec")).get("topicName");
                    String topic = name == null ? o.name() : String.valueOf(name);
                    topics.computeIfAbsent(o.namespace() + "/" + cluster(o), k -> new HashMap<>())
                            .putIfAbsent(topic, new Topic(topic, o.tenant(), o));
                }
                case "KafkaUser" -> users.add(o);
                default -> {
                }
            }
        }
        if (users.isEmpty()) return;
        List<Grant> grants = grants(namespace.plan().tenants());
        for (RenderedObject user : users) {
            if (!findings.reports(user)) continue;
            String cluster = cluster(user);
            if (cluster == null) {
                findings.error(ID, user, "metadata.labels", "a KafkaUser needs the label strimzi.io/cluster naming its Kafka", null);
                continue;
            }
            RenderedObject kafka = kafkas.get(user.namespace() + "/" + cluster);
            if (kafka == null) {
                findings.error(ID, user, "metadata.labels.strimzi.io/cluster", "user of Kafka cluster '" + cluster
                        + "', which is not rendered in " + user.namespace() + " (Strimzi's user operator watches its Kafka's namespace)", cluster);
                continue;
            }
            Map<String, Object> spec = Workloads.map(user.body().get("spec"));
            Map<String, Object> kafkaSpec = Workloads.map(Workloads.map(kafka.body().get("spec")).get("kafka"));
            checkAuthentication(user, cluster, Workloads.map(spec.get("authentication")).get("type"), kafkaSpec, findings);
            Map<String, Object> authorization = Workloads.map(spec.get("authorization"));
            if (authorization.isEmpty()) continue;
            if (Workloads.map(kafkaSpec.get("authorization")).isEmpty()) {
                findings.error(ID, user, "spec.authorization", "ACLs for Kafka cluster '" + cluster + "', which has no authorization:"
                        + " Strimzi's user operator cannot set them (give the cluster authorization: {type: simple})", null);
                continue;
            }
            if (user.tenant() == null) continue; // the platform's own users are not a tenant's
            Map<String, Topic> declared = topics.getOrDefault(user.namespace() + "/" + cluster, Map.of());
            List<Object> acls = Workloads.list(authorization.get("acls"));
            for (int i = 0; i < acls.size(); i++) {
                checkTopicAcl(user, i, Workloads.map(acls.get(i)), kafka, cluster, declared, grants, findings);
            }
        }
    }

    private static String cluster(RenderedObject o) {
        Object c = Workloads.map(o.metadata().get("labels")).get("strimzi.io/cluster");
        return c == null ? null : String.valueOf(c);
    }

    /** tls and tls-external users need a listener with tls authentication, scram-sha-512 users one with scram-sha-512. */
    private static void checkAuthentication(RenderedObject user, String cluster, Object type, Map<String, Object> kafkaSpec, Findings findings) {
        if (type == null) return;
        String needed = type.equals("tls-external") ? "tls" : String.valueOf(type);
        Set<String> accepted = new TreeSet<>();
        for (Object l : Workloads.list(kafkaSpec.get("listeners"))) {
            Object t = Workloads.map(Workloads.map(l).get("authentication")).get("type");
            if (t != null) accepted.add(String.valueOf(t));
        }
        if (!accepted.contains(needed)) {
            findings.error(ID, user, "spec.authentication.type", "user authenticates with " + type + " but no listener of Kafka cluster '"
                    + cluster + "' accepts " + needed + (accepted.isEmpty() ? " (none authenticates clients)" : " (they accept " + String.join(", ", accepted) + ")"),
                    type);
        }
    }

    private static void checkTopicAcl(RenderedObject user, int i, Map<String, Object> acl, RenderedObject kafka, String cluster,
                                      Map<String, Topic> declared, List<Grant> grants, Findings findings) {
        Map<String, Object> resource = Workloads.map(acl.get("resource"));
        if (!"topic".equals(resource.get("type")) || resource.get("name") == null) return;
        if ("deny".equals(acl.get("type"))) return; // a deny rule takes nothing from anyone
        String name = String.valueOf(resource.get("name"));
        List<String> operations = new ArrayList<>(strings(acl.get("operations")));
        if (acl.get("operation") != null) operations.add(String.valueOf(acl.get("operation"))); // v1beta2's single operation
        String tenant = user.tenant();
        String path = "spec.authorization.acls[" + i + "].resource.name";
        boolean prefix = "prefix".equals(resource.get("patternType")) || name.equals("*");
        String pattern = name.equals("*") ? "" : name;
        if (!prefix) {
            Topic t = declared.get(name);
            String owner = t != null ? t.tenant() : kafka.tenant();
            if (owner == null || owner.equals(tenant)) return;
            List<String> missing = missing(grants, owner, tenant, operations, g -> g.coversTopic(name));
            if (!missing.isEmpty()) {
                findings.error(ID, user, path, "ACL on topic '" + name + "' of tenant '" + owner + "' ("
                        + (t != null ? "its KafkaTopic " + t.object().name() : "no KafkaTopic declares it, so it belongs to the tenant that runs Kafka cluster '" + cluster + "'")
                        + ") without a grant: tenant '" + owner + "' grants tenant '" + tenant + "' no " + String.join(", ", missing)
                        + " on it (spec.kafka.grants of tenant " + owner + ": {tenant: " + tenant + ", topics: [" + name
                        + "], operations: [" + String.join(", ", operations) + "]})", name);
            }
            return;
        }
        // the names no KafkaTopic declares are the Kafka tenant's: it must grant a prefix that covers this one
        String owner = kafka.tenant();
        List<String> undeclared = owner == null || owner.equals(tenant) ? List.of()
                : missing(grants, owner, tenant, operations, g -> g.coversPrefix(pattern));
        if (!undeclared.isEmpty() && pattern.isEmpty()) {
            findings.error(ID, user, path, "ACL on every topic ('*') of Kafka cluster '" + cluster + "': only tenant '" + owner
                    + "', which runs the cluster, may have one (grants name topics or non-empty prefixes)", name);
        } else if (!undeclared.isEmpty()) {
            findings.error(ID, user, path, "prefix ACL '" + name + "' reaches topic names that no KafkaTopic declares, which belong to tenant '"
                    + owner + "' (it runs Kafka cluster '" + cluster + "'), without a grant: tenant '" + owner + "' grants tenant '"
                    + tenant + "' no " + String.join(", ", undeclared) + " on a prefix that covers '" + pattern + "' (spec.kafka.grants of tenant "
                    + owner + ": {tenant: " + tenant + ", topicPrefixes: [" + pattern + "], operations: [" + String.join(", ", operations) + "]})", name);
        }
        // the declared topics it reaches, per owner (the Kafka tenant's are in the finding above if it has one)
        Map<String, List<String>> reached = new TreeMap<>();
        for (Topic t : declared.values()) {
            if (!t.name().startsWith(pattern) || t.tenant() == null || t.tenant().equals(tenant)) continue;
            if (!undeclared.isEmpty() && t.tenant().equals(owner)) continue;
            if (missing(grants, t.tenant(), tenant, operations, g -> g.coversTopic(t.name())).isEmpty()) continue;
            reached.computeIfAbsent(t.tenant(), k -> new ArrayList<>()).add(t.name());
        }
        for (Map.Entry<String, List<String>> e : reached.entrySet()) {
            List<String> names = e.getValue().stream().sorted().toList();
            findings.error(ID, user, path, "prefix ACL '" + name + "' reaches topic" + (names.size() == 1 ? " '" : "s '")
                    + String.join("', '", names) + "' of tenant '" + e.getKey() + "' without a grant: tenant '" + e.getKey()
                    + "' grants tenant '" + tenant + "' not all of " + String.join(", ", operations) + " on "
                    + (names.size() == 1 ? "it" : "them") + " (spec.kafka.grants of tenant " + e.getKey() + ")", name);
        }
    }

    /** The operations that no grant of {@code owner} to {@code to} covering the resource allows. */
    private static List<String> missing(List<Grant> grants, String owner, String to, List<String> operations,
                                        java.util.function.Predicate<Grant> covers) {
        List<Grant> applicable = grants.stream().filter(g -> g.owner().equals(owner) && g.to().equals(to) && covers.test(g)).toList();
        return operations.stream().filter(op -> applicable.stream().noneMatch(g -> g.allows(op))).toList();
    }
}
