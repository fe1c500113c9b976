package dev.plinth.check;

import dev.plinth.check.k8s.CrdSchemas;
import dev.plinth.render.RenderedObject;
import dev.plinth.values.Quantity;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Per tenant namespace, what the workloads need at their maximum scale (HPA or KEDA maximum
 * where autoscaled, else replicas) fits the namespace's ResourceQuota: requests.cpu,
 * requests.memory, limits.memory, pods, requests.storage and persistentvolumeclaims. Containers
 * without requests count the LimitRange defaults, as admission would apply them. The usage of
 * every quota is recorded for the headroom report.
 *
 * <p>A quantity that is not one (as the API server reads it, see {@link Quantity}) is never
 * counted as zero: the object that holds it is left out, since it would not run. The API server
 * refuses a workload, claim, LimitRange or ResourceQuota with such a value, and an operator
 * cannot run a custom resource with one. Quota-fit judges an object by the quantities it reads,
 * and reports the value only where no other check does, so that it is reported once:
 * <ul>
 * <li>in a built-in object, the schema check reports it: the Kubernetes model types these fields
 * as quantities, read with the same {@link Quantity}, and api-validation leaves alone a field the
 * schema check reports;</li>
 * <li>in a custom resource, the schema check reports it when the CRD's schema rejects the value
 * (a quantity's pattern); otherwise quota-fit does, at the value.</li>
 * </ul>
 */
final class QuotaFitCheck implements NamespaceCheck {
    private static final BigDecimal GI = BigDecimal.valueOf(1024L * 1024 * 1024);
    /** A JVM size as Spark and Flink write it: a number, then k, m, g or t, and an optional b. */
    private static final Pattern JVM_SIZE = Pattern.compile("([0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)([kmgt])b?");
    private static final String QUANTITY = "a quantity such as 500m or 1Gi";
    private static final String JVM_SIZE_OR_QUANTITY = "a JVM size such as 4g or 512m, nor a quantity such as 1Gi";

    @Override
    public String id() {
        return "quota-fit";
    }

    /** One workload's share of a resource, for the message. */
    private record Share(RenderedObject owner, String path, BigDecimal perPod, long replicas) {
        BigDecimal total() {
            return perPod.multiply(BigDecimal.valueOf(replicas));
        }
    }

    /** A namespace's LimitRange defaults for a container's requests and memory limit (zero where there is none). */
    private record ContainerDefaults(BigDecimal cpuRequest, BigDecimal memoryRequest, BigDecimal memoryLimit) {
        static final ContainerDefaults NONE = new ContainerDefaults(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);
    }

    /**
     * What one object adds to its namespace's sums, read value by value; the first value that
     * is not a quantity (its path and what was expected there) leaves the whole object out.
     */
    private static final class Reading {
        final Map<String, List<Share>> shares = new LinkedHashMap<>();
        String badPath;
        Object badValue;
        String expected;

        /** The amount of a quantity at {@code path}: zero when unset, and zero and remembered when it is not one. */
        BigDecimal amount(Object value, String path) {
            if (value == null) return BigDecimal.ZERO;
            Optional<Quantity> q = Quantity.fromValue(value);
            if (q.isPresent()) return q.get().amount();
            bad(path, value, QUANTITY);
            return BigDecimal.ZERO;
        }

        /** A JVM size as Spark and Flink write them ("4g", "2048m"), or a Kubernetes quantity; zero when unset. */
        BigDecimal jvmBytes(Object size, String path) {
            if (size == null) return BigDecimal.ZERO;
            String s = String.valueOf(size).trim();
            Matcher m = JVM_SIZE.matcher(s);
            if (m.matches()) {
                int shift = switch (m.group(2)) {
                    case "k" -> 10;
                    case "m" -> 20;
                    case "g" -> 30;
                    default -> 40;
                };
                return new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(1L << shift));
            }
            Optional<Quantity> q = Quantity.fromValue(s);
            if (q.isPresent()) return q.get().amount();
            bad(path, size, JVM_SIZE_OR_QUANTITY);
            return BigDecimal.ZERO;
        }

        /** A number written as one or as a string ("0.2"); the default when unset, remembered when it is not one. */
        double decimal(Object value, String path, double fallback) {
            if (value == null) return fallback;
            if (value instanceof Number n) return n.doubleValue();
            try {
                double d = Double.parseDouble(String.valueOf(value).trim());
                if (Double.isFinite(d)) return d;
            } catch (NumberFormatException e) {
                // reported below
            }
            bad(path, value, "a number");
            return fallback;
        }

        /** A whole number written as one or as a string ("2"), as Flink's configuration holds them; see {@link #decimal}. */
        long whole(Object value, String path, long fallback) {
            if (value == null) return fallback;
            if (value instanceof Long || value instanceof Integer) return ((Number) value).longValue();
            try {
                return Long.parseLong(String.valueOf(value).trim());
            } catch (NumberFormatException e) {
                bad(path, value, "a whole number");
                return fallback;
            }
        }

        private void bad(String path, Object value, String expected) {
            if (badPath != null) return;
            badPath = path;
            badValue = value;
            this.expected = expected;
        }

        void add(String resource, Share share) {
            if (share.total().signum() > 0) shares.computeIfAbsent(resource, k -> new ArrayList<>()).add(share);
        }
    }


    /** The quota resources the check adds up (docs/policies.md lists them). */
    private static final Set<String> COMPUTED = Set.of("requests.cpu", "requests.memory", "limits.memory", "pods",
            "requests.storage", "persistentvolumeclaims");

    @Override
    public void check(NamespaceView namespace, CheckContext context, Findings findings) {
        Map<String, RenderedObject> quotas = new LinkedHashMap<>();
        Map<String, ContainerDefaults> defaults = new HashMap<>();
        Map<String, Long> maxReplicas = new HashMap<>();
        Map<String, List<RenderedObject>> byNamespace = new HashMap<>();
        for (RenderedObject o : namespace.objects()) {
            if (o.namespace() == null) continue;
            byNamespace.computeIfAbsent(o.namespace(), k -> new ArrayList<>()).add(o);
            if (o.kind().equals("ResourceQuota") && o.group().isEmpty()) quotas.put(o.namespace() + "/" + o.name(), o);
            if (o.kind().equals("LimitRange") && o.group().isEmpty()) limitRangeDefaults(o, defaults);
            Map<String, Object> spec = Workloads.map(o.body().get("spec"));
            if (o.kind().equals("HorizontalPodAutoscaler")) {
                Map<String, Object> ref = Workloads.map(spec.get("scaleTargetRef"));
                maxReplicas.put(o.namespace() + "/" + ref.get("kind") + "/" + ref.get("name"), number(spec.get("maxReplicas"), 1));
            }
            if (o.kind().equals("ScaledObject") && o.group().equals("keda.sh")) {
                Map<String, Object> ref = Workloads.map(spec.get("scaleTargetRef"));
                Object kind = ref.getOrDefault("kind", "Deployment");
                maxReplicas.put(o.namespace() + "/" + kind + "/" + ref.get("name"), number(spec.get("maxReplicaCount"), 100));
            }
        }
        Map<String, Map<String, List<Share>>> sharesByNamespace = new HashMap<>();
        for (RenderedObject quota : quotas.values()) {
            String ns = quota.namespace();
            Map<String, Object> hard = Workloads.map(Workloads.map(quota.body().get("spec")).get("hard"));
            Reading limits = new Reading();
            Map<String, BigDecimal> limit = new HashMap<>();
            for (Map.Entry<String, Object> h : hard.entrySet()) limit.put(h.getKey(), limits.amount(h.getValue(), "spec.hard." + h.getKey()));
            if (limits.badPath != null) continue; // a ResourceQuota the API server refuses (the schema check says why)
            Map<String, List<Share>> shares = sharesByNamespace.computeIfAbsent(ns, n -> shares(byNamespace.get(n), maxReplicas,
                    defaults.getOrDefault(n, ContainerDefaults.NONE), context, findings));
            for (Map.Entry<String, Object> h : hard.entrySet()) {
                String resource = normalise(h.getKey());
                // what the check does not add up (limits.cpu, count/*, ...) has no usage to report, not a usage of zero
                if (!COMPUTED.contains(resource)) continue;
                List<Share> list = shares.getOrDefault(resource, List.of());
                BigDecimal used = list.stream().map(Share::total).reduce(BigDecimal.ZERO, BigDecimal::add);
                BigDecimal allowed = limit.get(h.getKey());
                context.quotaUsage().add(new QuotaUsage(namespace.cluster().name(), ns, h.getKey(), used, allowed));
                if (used.compareTo(allowed) <= 0) continue;
                List<Share> sorted = new ArrayList<>(list);
                sorted.sort(Comparator.comparing(Share::total).reversed());
                Share top = sorted.get(0);
                List<String> parts = new ArrayList<>();
                for (Share s : sorted.subList(0, Math.min(3, sorted.size()))) {
                    parts.add(s.owner().kind() + "/" + s.owner().name() + " " + format(resource, s.perPod()) + " x " + s.replicas());
                }
                findings.error(id(), top.owner(), top.path(), "namespace " + ns + " needs " + h.getKey() + " "
                        + format(resource, used) + " at maximum scale but ResourceQuota " + quota.name() + " allows "
                        + format(resource, allowed) + " (" + String.join(", ", parts) + (sorted.size() > 3 ? ", ..." : "") + ")", null);
            }
        }
    }

    /**
     * The LimitRange's defaults for containers (of its last Container entry), unless one of the
     * amounts read from them is not a quantity: then the API server refuses it, and it has none.
     */
    private static void limitRangeDefaults(RenderedObject o, Map<String, ContainerDefaults> defaults) {
        Reading r = new Reading();
        ContainerDefaults container = null;
        List<Object> limits = Workloads.list(Workloads.map(o.body().get("spec")).get("limits"));
        for (int i = 0; i < limits.size(); i++) {
            Map<String, Object> l = Workloads.map(limits.get(i));
            if (!"Container".equals(l.get("type"))) continue;
            String path = "spec.limits[" + i + "].";
            Map<String, Object> request = Workloads.map(l.get("defaultRequest"));
            container = new ContainerDefaults(r.amount(request.get("cpu"), path + "defaultRequest.cpu"),
                    r.amount(request.get("memory"), path + "defaultRequest.memory"),
                    r.amount(Workloads.map(l.get("default")).get("memory"), path + "default.memory"));
        }
        if (container != null && r.badPath == null) defaults.put(o.namespace(), container);
    }

    /**
     * What the namespace's objects need, by resource: the objects' readings with a value that
     * is not a quantity are left out, and reported when no other check reports that value (see
     * the class comment).
     */
    private Map<String, List<Share>> shares(List<RenderedObject> objects, Map<String, Long> maxReplicas, ContainerDefaults limitRange,
                                            CheckContext context, Findings findings) {
        Map<String, List<Share>> shares = new LinkedHashMap<>();
        for (RenderedObject o : objects) {
            Reading r = new Reading();
            addWorkload(o, maxReplicas, limitRange, r);
            addStorage(o, r);
            addOperatorPods(o, limitRange, r);
            if (r.badPath == null) {
                r.shares.forEach((resource, list) -> shares.computeIfAbsent(resource, k -> new ArrayList<>()).addAll(list));
            } else if (!builtIn(o, context) && !schemaReports(o, r.badPath, context.crds())) {
                findings.error(id(), o, r.badPath, "'" + r.badValue + "' is not " + r.expected + ", so " + o.kind() + "/" + o.name()
                        + " is not counted against the ResourceQuota of namespace " + o.namespace(), r.badValue);
            }
        }
        return shares;
    }

    private static boolean builtIn(RenderedObject o, CheckContext context) {
        return context.core() != null && context.core().isBuiltInGroup(o.group());
    }

    /** Whether the schema check reports the value at {@code path} of a custom resource: its CRD's schema rejects it. */
    private static boolean schemaReports(RenderedObject o, String path, CrdSchemas crds) {
        if (crds == null || !crds.hasSchema(o.apiVersion(), o.kind())) return false;
        for (CrdSchemas.Problem p : crds.validate(o.apiVersion(), o.kind(), o.body())) {
            if (p.path().equals(path)) return true;
        }
        return false;
    }

    private static void addWorkload(RenderedObject o, Map<String, Long> maxReplicas, ContainerDefaults limitRange, Reading r) {
        Workloads.PodTemplate pod = Workloads.podTemplate(o);
        if (pod == null) return;
        Map<String, Object> spec = Workloads.map(o.body().get("spec"));
        long replicas = switch (o.kind()) {
            case "Job" -> number(spec.get("parallelism"), 1);
            case "CronJob" -> number(Workloads.map(Workloads.map(spec.get("jobTemplate")).get("spec")).get("parallelism"), 1);
            case "Pod", "DaemonSet" -> 1;
            default -> maxReplicas.getOrDefault(o.namespace() + "/" + o.kind() + "/" + o.name(), number(spec.get("replicas"), 1));
        };
        BigDecimal cpu = BigDecimal.ZERO;
        BigDecimal mem = BigDecimal.ZERO;
        BigDecimal memLimit = BigDecimal.ZERO;
        String path = pod.specPath();
        for (Workloads.Container c : Workloads.containers(pod)) {
            if (c.path().contains("initContainers")) continue;
            Map<String, Object> res = Workloads.map(c.body().get("resources"));
            Map<String, Object> req = Workloads.map(res.get("requests"));
            Map<String, Object> lim = Workloads.map(res.get("limits"));
            String at = c.path() + ".resources.";
            cpu = cpu.add(req.containsKey("cpu") ? r.amount(req.get("cpu"), at + "requests.cpu") : limitRange.cpuRequest());
            mem = mem.add(req.containsKey("memory") ? r.amount(req.get("memory"), at + "requests.memory") : limitRange.memoryRequest());
            memLimit = memLimit.add(lim.containsKey("memory") ? r.amount(lim.get("memory"), at + "limits.memory") : limitRange.memoryLimit());
            if (path.equals(pod.specPath())) path = c.path() + ".resources";
        }
        r.add("requests.cpu", new Share(o, path, cpu, replicas));
        r.add("requests.memory", new Share(o, path, mem, replicas));
        r.add("limits.memory", new Share(o, path, memLimit, replicas));
        r.add("pods", new Share(o, pod.path().isEmpty() ? "spec" : "spec.replicas", BigDecimal.ONE, replicas));
        if (o.kind().equals("StatefulSet")) {
            List<Object> claims = Workloads.list(spec.get("volumeClaimTemplates"));
            for (int i = 0; i < claims.size(); i++) {
                Object size = Workloads.map(Workloads.map(Workloads.map(Workloads.map(claims.get(i)).get("spec")).get("resources")).get("requests")).get("storage");
                String cpath = "spec.volumeClaimTemplates[" + i + "]";
                r.add("requests.storage", new Share(o, cpath, r.amount(size, cpath + ".spec.resources.requests.storage"), replicas));
                r.add("persistentvolumeclaims", new Share(o, cpath, BigDecimal.ONE, replicas));
            }
        }
    }

    /**
     * Pods that operators create from custom resources count too: Spark drivers and executors
     * (at the dynamic-allocation maximum), Flink JobManagers and TaskManagers, Kafka node pools
     * with their volumes, and Strimzi's entity operator and Kafka exporter (LimitRange defaults).
     */
    private static void addOperatorPods(RenderedObject o, ContainerDefaults limitRange, Reading r) {
        Map<String, Object> spec = Workloads.map(o.body().get("spec"));
        switch (o.group() + "/" + o.kind()) {
            case "sparkoperator.k8s.io/SparkApplication" -> addSpark(o, spec, "spec", r);
            case "sparkoperator.k8s.io/ScheduledSparkApplication" -> addSpark(o, Workloads.map(spec.get("template")), "spec.template", r);
            case "flink.apache.org/FlinkDeployment" -> addFlink(o, spec, r);
            case "kafka.strimzi.io/KafkaNodePool" -> {
                long replicas = number(spec.get("replicas"), 1);
                Map<String, Object> res = Workloads.map(spec.get("resources"));
                addPods(o, "spec.resources", replicas, r.amount(Workloads.map(res.get("requests")).get("cpu"), "spec.resources.requests.cpu"),
                        r.amount(Workloads.map(res.get("requests")).get("memory"), "spec.resources.requests.memory"),
                        r.amount(Workloads.map(res.get("limits")).get("memory"), "spec.resources.limits.memory"), r);
                List<Object> volumes = Workloads.list(Workloads.map(spec.get("storage")).get("volumes"));
                for (int i = 0; i < volumes.size(); i++) {
                    String path = "spec.storage.volumes[" + i + "]";
                    r.add("requests.storage", new Share(o, path, r.amount(Workloads.map(volumes.get(i)).get("size"), path + ".size"), replicas));
                    r.add("persistentvolumeclaims", new Share(o, path, BigDecimal.ONE, replicas));
                }
            }
            case "kafka.strimzi.io/Kafka" -> {
                // entity operator (topic and user operator containers) and Kafka exporter
                BigDecimal cpu = limitRange.cpuRequest();
                BigDecimal mem = limitRange.memoryRequest();
                BigDecimal memLim = limitRange.memoryLimit();
                if (spec.containsKey("entityOperator")) addPods(o, "spec.entityOperator", 1, cpu.multiply(BigDecimal.valueOf(2)), mem.multiply(BigDecimal.valueOf(2)), memLim.multiply(BigDecimal.valueOf(2)), r);
                if (spec.containsKey("kafkaExporter")) addPods(o, "spec.kafkaExporter", 1, cpu, mem, memLim, r);
            }
            default -> {
            }
        }
    }

    private static void addSpark(RenderedObject o, Map<String, Object> spec, String path, Reading r) {
        Map<String, Object> driver = Workloads.map(spec.get("driver"));
        Map<String, Object> executor = Workloads.map(spec.get("executor"));
        Map<String, Object> dyn = Workloads.map(spec.get("dynamicAllocation"));
        long executors = Boolean.TRUE.equals(dyn.get("enabled")) ? number(dyn.get("maxExecutors"), number(executor.get("instances"), 1))
                : number(executor.get("instances"), 1);
        double factor = r.decimal(spec.get("memoryOverheadFactor"), path + ".memoryOverheadFactor",
                ("Python".equals(spec.get("type")) || "R".equals(spec.get("type"))) ? 0.4 : 0.1);
        BigDecimal driverMem = sparkPodMemory(driver.get("memory"), factor, r, path + ".driver.memory");
        BigDecimal executorMem = sparkPodMemory(executor.get("memory"), factor, r, path + ".executor.memory");
        addPods(o, path + ".driver", 1, BigDecimal.valueOf(number(driver.get("cores"), 1)), driverMem, driverMem, r);
        addPods(o, path + ".executor", executors, BigDecimal.valueOf(number(executor.get("cores"), 1)), executorMem, executorMem, r);
    }

    private static void addFlink(RenderedObject o, Map<String, Object> spec, Reading r) {
        Map<String, Object> conf = Workloads.map(spec.get("flinkConfiguration"));
        Map<String, Object> jm = Workloads.map(spec.get("jobManager"));
        Map<String, Object> tm = Workloads.map(spec.get("taskManager"));
        long slots = r.whole(conf.get("taskmanager.numberOfTaskSlots"), "spec.flinkConfiguration.taskmanager.numberOfTaskSlots", 1);
        long parallelism = number(Workloads.map(spec.get("job")).get("parallelism"), 1);
        long tms = tm.containsKey("replicas") ? number(tm.get("replicas"), 1) : (parallelism + slots - 1) / Math.max(1, slots);
        addFlinkPods(o, "spec.jobManager", number(jm.get("replicas"), 1), jm, r);
        addFlinkPods(o, "spec.taskManager", tms, tm, r);
    }

    private static void addFlinkPods(RenderedObject o, String path, long replicas, Map<String, Object> role, Reading r) {
        Map<String, Object> res = Workloads.map(role.get("resource"));
        if (!res.isEmpty()) {
            BigDecimal mem = r.jvmBytes(res.get("memory"), path + ".resource.memory");
            addPods(o, path + ".resource", replicas, r.amount(res.getOrDefault("cpu", 1L), path + ".resource.cpu"), mem, mem, r);
        } else {
            Map<String, Object> k8s = Workloads.map(role.get("resources"));
            Map<String, Object> req = Workloads.map(k8s.get("requests"));
            String at = path + ".resources.";
            addPods(o, path + ".resources", replicas, r.amount(req.get("cpu"), at + "requests.cpu"), r.amount(req.get("memory"), at + "requests.memory"),
                    r.amount(Workloads.map(k8s.get("limits")).get("memory"), at + "limits.memory"), r);
        }
    }

    private static void addPods(RenderedObject o, String path, long replicas, BigDecimal cpu, BigDecimal mem, BigDecimal memLimit, Reading r) {
        r.add("requests.cpu", new Share(o, path, cpu, replicas));
        r.add("requests.memory", new Share(o, path, mem, replicas));
        r.add("limits.memory", new Share(o, path, memLimit, replicas));
        r.add("pods", new Share(o, path, BigDecimal.ONE, replicas));
    }

    /** A Spark pod's memory: the heap plus max(384 MiB, factor x heap), as Spark requests it. */
    private static BigDecimal sparkPodMemory(Object heap, double factor, Reading r, String path) {
        BigDecimal h = r.jvmBytes(heap == null ? "1g" : heap, path);
        BigDecimal overhead = h.multiply(BigDecimal.valueOf(factor)).max(BigDecimal.valueOf(384L * 1024 * 1024));
        return h.add(overhead);
    }

    private static void addStorage(RenderedObject o, Reading r) {
        if (!o.kind().equals("PersistentVolumeClaim") || !o.group().isEmpty()) return;
        Object size = Workloads.map(Workloads.map(Workloads.map(o.body().get("spec")).get("resources")).get("requests")).get("storage");
        r.add("requests.storage", new Share(o, "spec.resources.requests.storage", r.amount(size, "spec.resources.requests.storage"), 1));
        r.add("persistentvolumeclaims", new Share(o, "metadata.name", BigDecimal.ONE, 1));
    }

    private static String normalise(String resource) {
        return switch (resource) {
            case "cpu" -> "requests.cpu";
            case "memory" -> "requests.memory";
            default -> resource;
        };
    }

    private static long number(Object o, long fallback) {
        return o instanceof Number n ? n.longValue() : fallback;
    }

    /** Memory and storage in Gi, counts and CPU as plain numbers. */
    static String format(String resource, BigDecimal amount) {
        if (resource.contains("memory") || resource.contains("storage")) {
            return amount.divide(GI, 2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString() + "Gi";
        }
        return amount.setScale(3, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }
}
