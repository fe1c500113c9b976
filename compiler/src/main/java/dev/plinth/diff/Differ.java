package dev.plinth.diff;

import dev.plinth.diag.Diagnostic;
import dev.plinth.gitops.GitOps;
import dev.plinth.output.OutputLayout;
import dev.plinth.pipeline.Snapshot;
import dev.plinth.render.RenderedObject;
import dev.plinth.secrets.Redaction;
import dev.plinth.values.Quantity;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.Comparator;
import java.util.Locale;

/**
 * Compares two renders object by object, by identity (cluster, API group, kind, namespace,
 * name), and flags the changes a reviewer must not miss.
 */
public final class Differ {
    public enum Level { high, medium }

    /** A risky change, explained in one line. */
    public record Risk(Level level, String id, String where, String message) {
    }

    /** One field: old and new value (null when absent). */
    public record Change(String path, Object before, Object after) {
    }

    /** What happened to one object. */
    public record ObjectDiff(String status, String cluster, String tenant, String app, String apiVersion, String kind,
                             String namespace, String name, String beforeFile, String afterFile, List<Change> changes) {
        String describe() {
            return kind + "/" + (namespace == null ? "" : namespace + "/") + name;
        }
    }

    /** The whole comparison. */
    public record Report(String base, String baseCommit, List<ObjectDiff> objects, List<Risk> risks,
                         List<String> newFindings) {
        /** Whether a risk at {@code level} or above was flagged; never when no level is given. */
        public boolean fails(Level level) {
            return level != null && risks.stream().anyMatch(r -> r.level().compareTo(level) <= 0);
        }
    }

    /** An object of either side: a cluster's rendered object or a GitOps object (cluster "(gitops)"). */
    private record Obj(String cluster, String tenant, String app, String apiVersion, String kind, String namespace,
                       String name, Map<String, Object> body, String file) {
        String group() {
            int slash = apiVersion.indexOf('/');
            return slash < 0 ? "" : apiVersion.substring(0, slash);
        }

        String key() {
            return cluster + "|" + group() + "|" + kind + "|" + (namespace == null ? "" : namespace) + "|" + name;
        }
    }

    static final String GITOPS = "(gitops)";

    /**
     * Fields whose values are Kubernetes quantities, so that 1000m equals 1: resource requests
     * and limits, quota and queue amounts, storage sizes. Deliberately narrow: elsewhere "1" and
     * "1000m" are different strings.
     */
    private static final Pattern QUANTITY_PATH = Pattern.compile(
            "(?!(data|stringData|binaryData|metadata)\\.).*((^|\\.)(requests|limits|hard|used|capability|deserved|guarantee|overhead)\\.[^.\\[]+"
                    + "|(^|\\.)(storage|size|sizeLimit)|\\.resources\\.requests\\.storage)");
    private static final Pattern OWNERSHIP_LABEL = Pattern.compile("metadata\\.labels\\.plinth\\.dev/(app|component)");
    /** A list index in a finding's field path: inserting an item shifts the others. */
    private static final Pattern LIST_INDEX = Pattern.compile("\\[\\d+]");
    /** FILE:LINE:COL inside a finding's message: positions move with unrelated edits. */
    private static final Pattern POSITION = Pattern.compile("\\S+:\\d+:\\d+");

    private Differ() {
    }

    public static Report diff(String base, String baseCommit, Snapshot before, Snapshot after) {
        Map<String, Obj> a = index(before);
        Map<String, Obj> b = index(after);
        List<ObjectDiff> objects = new ArrayList<>();
        List<Risk> risks = new ArrayList<>();
        for (String key : union(a.keySet(), b.keySet())) {
            Obj x = a.get(key);
            Obj y = b.get(key);
            if (x == null) {
                objects.add(diffOf("added", y, null, y.file(), List.of()));
                addedRisks(y, risks);
            } else if (y == null) {
                objects.add(diffOf("removed", x, x.file(), null, List.of()));
                removedRisks(x, risks);
            } else {
                List<Change> changes = changes(flatten(x.body()), flatten(y.body()));
                boolean moved = !x.file().equals(y.file());
                // moving an object to another app or component relabels it; that is part of the move
                if (moved) changes.removeIf(c -> OWNERSHIP_LABEL.matcher(c.path()).matches());
                if (changes.isEmpty() && !moved) continue;
                objects.add(diffOf(changes.isEmpty() ? "moved" : "changed", y, x.file(), y.file(), redacted(x, y, changes)));
                changedRisks(x, y, changes, b, risks);
            }
        }
        List<String> newFindings = new ArrayList<>();
        Set<String> old = new HashSet<>();
        before.findings().sorted().forEach(d -> old.add(identity(d)));
        for (Diagnostic d : after.findings().sorted()) {
            if (old.add(identity(d))) {
                newFindings.add(d.format());
                risks.add(new Risk(Level.medium, "new-finding", d.subject() == null ? d.loc().toString() : d.subject().describe(),
                        "new validation " + d.severity().name().toLowerCase(Locale.ROOT) + ": " + d.message()));
            }
        }
        risks.sort(Comparator.comparing(Risk::level).thenComparing(Risk::where).thenComparing(Risk::message));
        return new Report(base, baseCommit, objects, risks, newFindings);
    }

    /**
     * A finding without positions (lines move when files are edited), in its location or its
     * message, and without list indexes in its field path (the message names the item).
     */
    private static String identity(Diagnostic d) {
        return d.severity() + "|" + d.checkId() + "|" + POSITION.matcher(d.message()).replaceAll("FILE")
                + "|" + (d.subject() == null ? "" : LIST_INDEX.matcher(d.subject().describe()).replaceAll("[]"));
    }

    private static Map<String, Obj> index(Snapshot r) {
        Map<String, Obj> out = new TreeMap<>();
        Map<RenderedObject, String> files = OutputLayout.paths(r.rendered());
        for (var c : r.rendered().clusters()) {
            for (RenderedObject o : c.objects()) {
                Obj obj = new Obj(c.cluster().name(), o.tenant(), o.app(), o.apiVersion(), o.kind(), o.namespace(), o.name(),
                        o.body(), files.get(o));
                out.put(obj.key(), obj);
            }
        }
        for (GitOps.GitOpsObject g : r.gitops()) {
            Map<?, ?> meta = at(g.body(), "metadata") instanceof Map<?, ?> m ? m : Map.of();
            Obj obj = new Obj(GITOPS, null, null, String.valueOf(g.body().get("apiVersion")), String.valueOf(g.body().get("kind")),
                    meta.get("namespace") == null ? null : String.valueOf(meta.get("namespace")), String.valueOf(meta.get("name")),
                    g.body(), g.file());
            out.put(obj.key(), obj);
        }
        return out;
    }

    /**
     * The changes as the report shows them: values the secret detectors flag (and a Secret's
     * data) masked, compared unmasked (a changed secret is still a change, shown as
     * {@code *** → ***}), paths with any token in a key masked.
     */
    private static List<Change> redacted(Obj x, Obj y, List<Change> changes) {
        Map<String, Object> before = null;
        Map<String, Object> after = null;
        List<Change> out = new ArrayList<>(changes.size());
        for (Change c : changes) {
            if (before == null) {
                before = flatten(Redaction.body(x.group(), x.kind(), x.body()));
                after = flatten(Redaction.body(y.group(), y.kind(), y.body()));
            }
            out.add(new Change(Redaction.text(c.path()), shown(c.before(), before, c.path()), shown(c.after(), after, c.path())));
        }
        return out;
    }

    /** The masked value at {@code path}; masked as a whole when the masked copy lacks the path. */
    private static Object shown(Object raw, Map<String, Object> masked, String path) {
        if (raw == null) return null;
        return masked.containsKey(path) ? masked.get(path) : Redaction.MASK;
    }

    private static ObjectDiff diffOf(String status, Obj o, String before, String after, List<Change> changes) {
        return new ObjectDiff(status, o.cluster(), o.tenant(), o.app(), o.apiVersion(), o.kind(), o.namespace(), o.name(),
                before, after, changes);
    }

    /**
     * Leaf values by path ("spec.template.spec.containers[name=api].image"). Lists whose items all
     * have distinct names (containers, ports, env, volumes) are keyed by name, so inserting an item
     * is one addition rather than a shift of every item after it.
     */
    static Map<String, Object> flatten(Object value) {
        Map<String, Object> out = new TreeMap<>();
        flatten("", value, out);
        return out;
    }

    private static void flatten(String path, Object v, Map<String, Object> out) {
        if (v instanceof Map<?, ?> m && !m.isEmpty()) {
            m.forEach((k, val) -> flatten(path.isEmpty() ? String.valueOf(k) : path + "." + k, val, out));
        } else if (v instanceof List<?> l && !l.isEmpty()) {
            boolean named = namedItems(l);
            for (int i = 0; i < l.size(); i++) {
                String item = named ? "[name=" + ((Map<?, ?>) l.get(i)).get("name") + "]" : "[" + i + "]";
                flatten(path + item, l.get(i), out);
            }
        } else {
            out.put(path, v instanceof Map ? Map.of() : v instanceof List ? List.of() : v);
        }
    }

    private static boolean namedItems(List<?> l) {
        Set<Object> names = new HashSet<>();
        for (Object o : l) {
            if (!(o instanceof Map<?, ?> m) || !(m.get("name") instanceof String n) || !names.add(n)) return false;
        }
        return true;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    private static List<Change> changes(Map<String, Object> a, Map<String, Object> b) {
        List<Change> out = new ArrayList<>();
        for (String p : union(a.keySet(), b.keySet())) {
            Object x = a.get(p);
            Object y = b.get(p);
            if (Objects.equals(x, y) || sameQuantity(p, x, y)) continue;
            out.add(new Change(p, x, y));
        }
        return out;
    }

    /** 1000m and 1, 1Gi and 1024Mi: equal amounts are no change. */
    private static boolean sameQuantity(String path, Object x, Object y) {
        if (x == null || y == null || !QUANTITY_PATH.matcher(path).matches()) return false;
        BigDecimal a = amount(x);
        BigDecimal b = amount(y);
        return a != null && b != null && a.compareTo(b) == 0;
    }

    /** The amount of a quantity or a plain number, as the API server reads it; null when it is neither. */
    static BigDecimal amount(Object v) {
        return Quantity.fromValue(v).map(Quantity::amount).orElse(null);
    }

    // ---- risks ------------------------------------------------------------------------------

    private static String where(Obj o) {
        return o.cluster() + " " + (o.namespace() == null ? "" : o.namespace() + " ") + o.kind() + "/" + o.name();
    }

    private static void addedRisks(Obj o, List<Risk> risks) {
        switch (o.group() + "/" + o.kind()) {
            case "rbac.authorization.k8s.io/Role", "rbac.authorization.k8s.io/ClusterRole",
                 "rbac.authorization.k8s.io/RoleBinding", "rbac.authorization.k8s.io/ClusterRoleBinding" ->
                    risks.add(new Risk(Level.high, "rbac-widened", where(o), "new " + o.kind() + " grants access that did not exist"));
            case "networking.k8s.io/NetworkPolicy" -> {
                if (o.body().get("spec") instanceof Map<?, ?> spec && (spec.containsKey("ingress") || spec.containsKey("egress"))) {
                    risks.add(new Risk(Level.high, "network-widened", where(o), "new NetworkPolicy allows traffic that was denied"));
                }
            }
            default -> {
            }
        }
    }

    private static void removedRisks(Obj o, List<Risk> risks) {
        String gk = o.group() + "/" + o.kind();
        String consequence = switch (gk) {
            case "apps/StatefulSet" -> "Delete".equals(at(o.body(), "spec", "persistentVolumeClaimRetentionPolicy", "whenDeleted"))
                    ? "its pods stop and its volumes are deleted with it (whenDeleted: Delete)"
                    : "its pods stop; its volume claims are left behind, orphaned";
            case "/PersistentVolumeClaim" -> "its volume is released and, under a Delete reclaim policy, erased";
            case "kafka.strimzi.io/Kafka" -> "the brokers stop; storage with deleteClaim: true is erased";
            case "kafka.strimzi.io/KafkaNodePool" -> "its brokers and their partitions go; storage with deleteClaim: true is erased";
            case "kafka.strimzi.io/KafkaTopic" -> "the Topic Operator deletes the topic and its messages from the Kafka cluster";
            default -> null;
        };
        if (consequence != null) {
            risks.add(new Risk(Level.high, "stateful-deleted", where(o), o.kind() + " is deleted: " + consequence));
        }
        if (gk.equals("networking.k8s.io/NetworkPolicy")) {
            risks.add(new Risk(Level.high, "network-widened", where(o), "NetworkPolicy removed: traffic it held back is allowed"));
        }
        if (gk.equals("/ResourceQuota")) {
            risks.add(new Risk(Level.medium, "quota-raised", where(o), "ResourceQuota removed: its limits no longer apply"));
        }
    }

    private static void changedRisks(Obj old, Obj o, List<Change> changes, Map<String, Obj> after, List<Risk> risks) {
        String gk = o.group() + "/" + o.kind();
        Set<String> immutable = new TreeSet<>();
        for (Change c : changes) {
            String p = c.path();
            boolean fixed = switch (gk) {
                case "apps/Deployment" -> p.startsWith("spec.selector");
                case "apps/StatefulSet" -> p.startsWith("spec.selector") || p.startsWith("spec.volumeClaimTemplates")
                        || p.equals("spec.serviceName") || p.equals("spec.podManagementPolicy");
                case "/Service" -> p.equals("spec.clusterIP") || p.startsWith("spec.clusterIPs");
                case "batch/Job" -> p.startsWith("spec.template") || p.startsWith("spec.selector");
                case "/PersistentVolumeClaim" -> p.equals("spec.storageClassName") || p.startsWith("spec.accessModes");
                default -> false;
            };
            if (fixed) immutable.add(p);
        }
        if (!immutable.isEmpty()) { // one line per object, naming the first field
            String first = immutable.iterator().next();
            risks.add(new Risk(Level.high, "immutable-field", where(o), first
                    + (immutable.size() > 1 ? " (and " + (immutable.size() - 1) + " more immutable fields)" : "")
                    + " cannot change in place: the object is deleted and re-created"));
        }
        if (gk.startsWith("rbac.authorization.k8s.io/")) {
            String widened = Access.rbacWidened(old.body(), o.body());
            if (widened != null) risks.add(new Risk(Level.high, "rbac-widened", where(o), widened));
        }
        if (gk.equals("networking.k8s.io/NetworkPolicy")) {
            String widened = Access.networkWidened(old.body(), o.body());
            if (widened != null) risks.add(new Risk(Level.high, "network-widened", where(o), widened));
        }
        capacityRisks(o, gk, changes, after, risks);
        for (Change c : changes) {
            if (c.path().startsWith("spec.hard.") && gk.equals("/ResourceQuota")) {
                BigDecimal before = amount(c.before());
                BigDecimal now = amount(c.after());
                if (before != null && now != null && now.compareTo(before) > 0) {
                    risks.add(new Risk(Level.medium, "quota-raised", where(o), c.path() + " raised from " + c.before() + " to " + c.after()));
                } else if (c.before() != null && c.after() == null) {
                    risks.add(new Risk(Level.medium, "quota-raised", where(o), c.path() + " removed: no longer limited (was " + c.before() + ")"));
                }
            }
        }
    }

    /** Fewer replicas, a lower autoscaling floor, a looser disruption budget. */
    private static void capacityRisks(Obj o, String gk, List<Change> changes, Map<String, Obj> after, List<Risk> risks) {
        for (Change c : changes) {
            String p = c.path();
            if (p.equals("spec.replicas")) {
                if (c.after() == null && !autoscaled(o, after)) {
                    risks.add(new Risk(Level.medium, "capacity-lowered", where(o), "spec.replicas removed (was " + c.before()
                            + "): the API server's default, 1, applies"));
                } else if (lower(c.before(), c.after())) {
                    risks.add(new Risk(Level.medium, "capacity-lowered", where(o), p + " lowered from " + c.before() + " to " + c.after()));
                }
            } else if (p.equals("spec.minReplicas") && gk.equals("autoscaling/HorizontalPodAutoscaler")) {
                if (c.after() == null || lower(c.before(), c.after())) {
                    risks.add(new Risk(Level.medium, "capacity-lowered", where(o), p + " lowered from " + c.before() + " to "
                            + (c.after() == null ? "the default, 1" : c.after())));
                }
            }
        }
        if (!gk.equals("policy/PodDisruptionBudget")) return;
        Change min = changes.stream().filter(c -> c.path().equals("spec.minAvailable")).findFirst().orElse(null);
        Change max = changes.stream().filter(c -> c.path().equals("spec.maxUnavailable")).findFirst().orElse(null);
        if (min != null && min.before() != null && min.after() == null || max != null && max.before() == null && max.after() != null) {
            risks.add(new Risk(Level.medium, "capacity-lowered", where(o), "the budget changed form ("
                    + describe(min, "minAvailable") + ", " + describe(max, "maxUnavailable") + "): check it still keeps enough pods up"));
            return;
        }
        if (min != null && min.before() != null && min.after() != null) {
            if (!comparable(min.before(), min.after())) {
                risks.add(new Risk(Level.medium, "capacity-lowered", where(o), "spec.minAvailable changed between a count and a percentage ("
                        + min.before() + " → " + min.after() + "): check it still keeps enough pods up"));
            } else if (lower(min.before(), min.after())) {
                risks.add(new Risk(Level.medium, "capacity-lowered", where(o), "spec.minAvailable lowered from " + min.before() + " to " + min.after()));
            }
        }
        if (max != null && max.before() != null && max.after() != null) {
            if (!comparable(max.before(), max.after())) {
                risks.add(new Risk(Level.medium, "capacity-lowered", where(o), "spec.maxUnavailable changed between a count and a percentage ("
                        + max.before() + " → " + max.after() + "): check it still keeps enough pods up"));
            } else if (lower(max.after(), max.before())) {
                risks.add(new Risk(Level.medium, "capacity-lowered", where(o), "spec.maxUnavailable raised from " + max.before() + " to "
                        + max.after() + ": more pods may be down at once"));
            }
        }
    }

    private static String describe(Change c, String field) {
        return c == null ? field + " unchanged" : field + " " + (c.before() == null ? "unset" : c.before()) + " → "
                + (c.after() == null ? "unset" : c.after());
    }

    /** An HPA in the same namespace scales the object, so dropping its replicas is expected. */
    private static boolean autoscaled(Obj o, Map<String, Obj> after) {
        for (Obj h : after.values()) {
            if (h.kind().equals("HorizontalPodAutoscaler") && h.cluster().equals(o.cluster()) && Objects.equals(h.namespace(), o.namespace())
                    && o.name().equals(at(h.body(), "spec", "scaleTargetRef", "name"))) {
                return true;
            }
        }
        return false;
    }

    /** Both counts or both percentages ("50%"): only those compare. */
    private static boolean comparable(Object a, Object b) {
        return isPercent(a) == isPercent(b) && number(a) != null && number(b) != null;
    }

    private static boolean lower(Object before, Object after) {
        return comparable(before, after) && number(after).compareTo(number(before)) < 0;
    }

    private static boolean isPercent(Object v) {
        return v instanceof String s && s.endsWith("%");
    }

    /** A quantity, a plain number or a percentage ("50%"), as a number. */
    private static BigDecimal number(Object v) {
        if (isPercent(v)) {
            String s = (String) v;
            try {
                return new BigDecimal(s.substring(0, s.length() - 1));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return amount(v);
    }

    static Object at(Object v, String... keys) {
        for (String k : keys) {
            if (!(v instanceof Map<?, ?> m)) return null;
            v = m.get(k);
        }
        return v;
    }
}
