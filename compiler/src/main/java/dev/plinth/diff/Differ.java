package dev.plinth.diff;

import dev.plinth.Compiler;
import dev.plinth.diag.Diagnostic;
import dev.plinth.output.OutputLayout;
import dev.plinth.render.RenderedObject;
import dev.plinth.render.RenderedPlatform;
import io.fabric8.kubernetes.api.model.Quantity;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

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

    private static final Pattern QUANTITY_PATH = Pattern.compile(".*(resources|hard|requests|limits|capability|deserved|storage|memory|cpu).*");
    private static final Pattern OWNERSHIP_LABEL = Pattern.compile("metadata\\.labels\\.plinth\\.dev/(app|component)");

    private Differ() {
    }

    public static Report diff(String base, String baseCommit, Compiler.Result before, Compiler.Result after) {
        Map<String, RenderedObject> a = index(before.rendered());
        Map<String, RenderedObject> b = index(after.rendered());
        Map<RenderedObject, String> aFiles = OutputLayout.paths(before.rendered());
        Map<RenderedObject, String> bFiles = OutputLayout.paths(after.rendered());
        List<ObjectDiff> objects = new ArrayList<>();
        List<Risk> risks = new ArrayList<>();
        for (String key : union(a.keySet(), b.keySet())) {
            RenderedObject x = a.get(key);
            RenderedObject y = b.get(key);
            if (x == null) {
                objects.add(diffOf("added", y, null, bFiles.get(y), List.of()));
                addedRisks(y, risks);
            } else if (y == null) {
                objects.add(diffOf("removed", x, aFiles.get(x), null, List.of()));
                removedRisks(x, risks);
            } else {
                List<Change> changes = changes(flatten(x.body()), flatten(y.body()));
                boolean moved = !aFiles.get(x).equals(bFiles.get(y));
                // moving an object to another app or component relabels it; that is part of the move
                if (moved) changes.removeIf(c -> OWNERSHIP_LABEL.matcher(c.path()).matches());
                if (changes.isEmpty() && !moved) continue;
                objects.add(diffOf(changes.isEmpty() ? "moved" : "changed", y, aFiles.get(x), bFiles.get(y), changes));
                changedRisks(x, y, changes, risks);
            }
        }
        List<String> newFindings = new ArrayList<>();
        Set<String> old = new TreeSet<>();
        before.findings().sorted().forEach(d -> old.add(identity(d)));
        for (Diagnostic d : after.findings().sorted()) {
            if (!old.contains(identity(d))) {
                newFindings.add(d.format());
                risks.add(new Risk(Level.medium, "new-finding", d.subject() == null ? d.loc().toString() : d.subject().describe(),
                        "new validation " + d.severity().name().toLowerCase(java.util.Locale.ROOT) + ": " + d.message()));
            }
        }
        risks.sort(java.util.Comparator.comparing(Risk::level).thenComparing(Risk::where).thenComparing(Risk::message));
        return new Report(base, baseCommit, objects, risks, newFindings);
    }

    /** A finding without its spec position (lines move when files are edited). */
    private static String identity(Diagnostic d) {
        return d.severity() + "|" + d.checkId() + "|" + d.message() + "|" + (d.subject() == null ? "" : d.subject().describe());
    }

    private static Map<String, RenderedObject> index(RenderedPlatform p) {
        Map<String, RenderedObject> out = new TreeMap<>();
        for (var c : p.clusters()) {
            for (RenderedObject o : c.objects()) {
                out.put(c.cluster().name() + "|" + o.group() + "|" + o.kind() + "|" + o.namespace() + "|" + o.name(), o);
            }
        }
        return out;
    }

    private static ObjectDiff diffOf(String status, RenderedObject o, String before, String after, List<Change> changes) {
        return new ObjectDiff(status, o.cluster(), o.tenant(), o.app(), o.apiVersion(), o.kind(), o.namespace(), o.name(),
                before, after, changes);
    }

    /** Leaf values by path ("spec.template.spec.containers[0].image"). */
    static Map<String, Object> flatten(Object value) {
        Map<String, Object> out = new TreeMap<>();
        flatten("", value, out);
        return out;
    }

    private static void flatten(String path, Object v, Map<String, Object> out) {
        if (v instanceof Map<?, ?> m && !m.isEmpty()) {
            m.forEach((k, val) -> flatten(path.isEmpty() ? String.valueOf(k) : path + "." + k, val, out));
        } else if (v instanceof List<?> l && !l.isEmpty()) {
            for (int i = 0; i < l.size(); i++) flatten(path + "[" + i + "]", l.get(i), out);
        } else {
            out.put(path, v instanceof Map ? Map.of() : v instanceof List ? List.of() : v);
        }
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

    static BigDecimal amount(Object v) {
        if (v instanceof Number n) return new BigDecimal(n.toString());
        if (v instanceof String s && dev.plinth.schema.SchemaChecker.isQuantity(s)) {
            try {
                return Quantity.getAmountInBytes(new Quantity(s));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }

    // ---- risks ------------------------------------------------------------------------------

    private static String where(RenderedObject o) {
        return o.cluster() + " " + (o.namespace() == null ? "" : o.namespace() + " ") + o.kind() + "/" + o.name();
    }

    private static void addedRisks(RenderedObject o, List<Risk> risks) {
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

    private static void removedRisks(RenderedObject o, List<Risk> risks) {
        String gk = o.group() + "/" + o.kind();
        String consequence = switch (gk) {
            case "apps/StatefulSet" -> "Delete".equals(at(o.body(), "spec", "persistentVolumeClaimRetentionPolicy", "whenDeleted"))
                    ? "its pods stop and its volumes are deleted with it (whenDeleted: Delete)"
                    : "its pods stop; its volume claims are left behind, orphaned";
            case "/PersistentVolumeClaim" -> "its volume is released and, under a Delete reclaim policy, erased";
            case "kafka.strimzi.io/Kafka" -> "the brokers stop; storage with deleteClaim: true is erased";
            case "kafka.strimzi.io/KafkaNodePool" -> "its brokers and their partitions go; storage with deleteClaim: true is erased";
            default -> null;
        };
        if (consequence != null) {
            risks.add(new Risk(Level.high, "stateful-deleted", where(o), o.kind() + " is deleted: " + consequence));
        }
        if (gk.equals("networking.k8s.io/NetworkPolicy")) {
            risks.add(new Risk(Level.high, "network-widened", where(o), "NetworkPolicy removed: traffic it held back is allowed"));
        }
    }

    private static void changedRisks(RenderedObject old, RenderedObject o, List<Change> changes, List<Risk> risks) {
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
        for (Change c : changes) {
            String p = c.path();
            BigDecimal before = number(c.before());
            BigDecimal after = number(c.after());
            boolean lowered = before != null && after != null && after.compareTo(before) < 0;
            boolean raised = before != null && after != null && after.compareTo(before) > 0;
            if (lowered && (p.equals("spec.replicas")
                    || p.equals("spec.minReplicas") && gk.equals("autoscaling/HorizontalPodAutoscaler")
                    || p.equals("spec.minAvailable") && gk.equals("policy/PodDisruptionBudget"))) {
                risks.add(new Risk(Level.medium, "capacity-lowered", where(o), p + " lowered from " + c.before() + " to " + c.after()));
            }
            if (raised && p.equals("spec.maxUnavailable") && gk.equals("policy/PodDisruptionBudget")) {
                risks.add(new Risk(Level.medium, "capacity-lowered", where(o), p + " raised from " + c.before() + " to " + c.after()
                        + ": more pods may be down at once"));
            }
            if (p.startsWith("spec.hard.") && gk.equals("/ResourceQuota")) {
                if (raised) {
                    risks.add(new Risk(Level.medium, "quota-raised", where(o), p + " raised from " + c.before() + " to " + c.after()));
                } else if (c.before() != null && c.after() == null) {
                    risks.add(new Risk(Level.medium, "quota-raised", where(o), p + " removed: no longer limited (was " + c.before() + ")"));
                }
            }
        }
    }

    /** A quantity, a plain number or a percentage ("50%"), as a number. */
    private static BigDecimal number(Object v) {
        if (v instanceof String s && s.endsWith("%")) {
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

    static Map<String, Object> json(Report r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("base", r.base());
        m.put("baseCommit", r.baseCommit());
        m.put("risks", r.risks());
        m.put("objects", r.objects());
        m.put("newFindings", r.newFindings());
        return m;
    }
}
