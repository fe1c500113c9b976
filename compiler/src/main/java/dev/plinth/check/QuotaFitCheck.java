package dev.plinth.check;

import dev.plinth.render.RenderedObject;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.plinth.values.Quantities;

/**
 * Per tenant namespace, what the workloads need at their maximum scale (HPA or KEDA maximum
 * where autoscaled, else replicas) fits the namespace's ResourceQuota: requests.cpu,
 * requests.memory, limits.memory, pods, requests.storage and persistentvolumeclaims. Containers
 * without requests count the LimitRange defaults, as admission would apply them. The usage of
 * every quota is recorded for the headroom report.
 */
final class QuotaFitCheck implements NamespaceCheck {
    private static final BigDecimal GI = BigDecimal.valueOf(1024L * 1024 * 1024);

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


    @Override
    public void check(NamespaceView namespace, CheckContext context, Findings findings) {
        Map<String, RenderedObject> quotas = new LinkedHashMap<>();
        Map<String, Map<String, Object>> defaults = new HashMap<>();
        Map<String, Long> maxReplicas = new HashMap<>();
        Map<String, List<RenderedObject>> byNamespace = new HashMap<>();
        for (RenderedObject o : namespace.objects()) {
            if (o.namespace() == null) continue;
            byNamespace.computeIfAbsent(o.namespace(), k -> new ArrayList<>()).add(o);
            if (o.kind().equals("ResourceQuota") && o.group().isEmpty()) quotas.put(o.namespace() + "/" + o.name(), o);
            if (o.kind().equals("LimitRange") && o.group().isEmpty()) {
                for (Object l : Workloads.list(Workloads.map(o.body().get("spec")).get("limits"))) {
                    if ("Container".equals(Workloads.map(l).get("type"))) defaults.put(o.namespace(), Workloads.map(l));
                }
            }
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
        for (RenderedObject quota : quotas.values()) {
            String ns = quota.namespace();
            Map<String, List<Share>> shares = new LinkedHashMap<>();
            for (RenderedObject o : byNamespace.getOrDefault(ns, List.of())) {
                addWorkload(o, maxReplicas, defaults.getOrDefault(ns, Map.of()), shares);
                addStorage(o, shares);
                addOperatorPods(o, defaults.getOrDefault(ns, Map.of()), shares);
            }
            Map<String, Object> hard = Workloads.map(Workloads.map(quota.body().get("spec")).get("hard"));
            for (Map.Entry<String, Object> h : hard.entrySet()) {
                String resource = normalise(h.getKey());
                List<Share> list = shares.getOrDefault(resource, List.of());
                BigDecimal used = list.stream().map(Share::total).reduce(BigDecimal.ZERO, BigDecimal::add);
                BigDecimal limit = amount(h.getValue());
                context.quotaUsage().add(new QuotaUsage(namespace.cluster().name(), ns, h.getKey(), used, limit));
                if (used.compareTo(limit) <= 0) continue;
                List<Share> sorted = new ArrayList<>(list);
                sorted.sort(Comparator.comparing(Share::total).reversed());
                Share top = sorted.get(0);
                List<String> parts = new ArrayList<>();
                for (Share s : sorted.subList(0, Math.min(3, sorted.size()))) {
                    parts.add(s.owner().kind() + "/" + s.owner().name() + " " + format(resource, s.perPod()) + " x " + s.replicas());
                }
                findings.error(id(), top.owner(), top.path(), "namespace " + ns + " needs " + h.getKey() + " "
                        + format(resource, used) + " at maximum scale but ResourceQuota " + quota.name() + " allows "
                        + format(resource, limit) + " (" + String.join(", ", parts) + (sorted.size() > 3 ? ", ..." : "") + ")", null);
            }
        }
    }

    private static void addWorkload(RenderedObject o, Map<String, Long> maxReplicas, Map<String, Object> limitRange,
                                    Map<String, List<Share>> shares) {
        Workloads.PodTemplate pod = Workloads.podTemplate(o);
        if (pod == null) return;
        Map<String, Object> spec = Workloads.map(o.body().get("spec"));
        long replicas = switch (o.kind()) {
            case "Job" -> number(spec.get("parallelism"), 1);
            case "CronJob" -> number(Workloads.map(Workloads.map(spec.get("jobTemplate")).get("spec")).get("parallelism"), 1);
            case "Pod", "DaemonSet" -> 1;
            default -> maxReplicas.getOrDefault(o.namespace() + "/" + o.kind() + "/" + o.name(), number(spec.get("replicas"), 1));
        };
        Map<String, Object> defaultRequest = Workloads.map(limitRange.get("defaultRequest"));
        Map<String, Object> defaultLimit = Workloads.map(limitRange.get("default"));
        BigDecimal cpu = BigDecimal.ZERO;
        BigDecimal mem = BigDecimal.ZERO;
        BigDecimal memLimit = BigDecimal.ZERO;
        String path = pod.specPath();
        for (Workloads.Container c : Workloads.containers(pod)) {
            if (c.path().contains("initContainers")) continue;
            Map<String, Object> res = Workloads.map(c.body().get("resources"));
            Map<String, Object> req = Workloads.map(res.get("requests"));
            Map<String, Object> lim = Workloads.map(res.get("limits"));
            cpu = cpu.add(amount(req.getOrDefault("cpu", defaultRequest.getOrDefault("cpu", 0L))));
            mem = mem.add(amount(req.getOrDefault("memory", defaultRequest.getOrDefault("memory", 0L))));
            memLimit = memLimit.add(amount(lim.getOrDefault("memory", defaultLimit.getOrDefault("memory", 0L))));
            if (path.equals(pod.specPath())) path = c.path() + ".resources";
        }
        add(shares, "requests.cpu", new Share(o, path, cpu, replicas));
        add(shares, "requests.memory", new Share(o, path, mem, replicas));
        add(shares, "limits.memory", new Share(o, path, memLimit, replicas));
        add(shares, "pods", new Share(o, pod.path().isEmpty() ? "spec" : "spec.replicas", BigDecimal.ONE, replicas));
        if (o.kind().equals("StatefulSet")) {
            List<Object> claims = Workloads.list(spec.get("volumeClaimTemplates"));
            for (int i = 0; i < claims.size(); i++) {
                Object size = Workloads.map(Workloads.map(Workloads.map(Workloads.map(claims.get(i)).get("spec")).get("resources")).get("requests")).get("storage");
                String cpath = "spec.volumeClaimTemplates[" + i + "]";
                add(shares, "requests.storage", new Share(o, cpath, amount(size == null ? 0L : size), replicas));
                add(shares, "persistentvolumeclaims", new Share(o, cpath, BigDecimal.ONE, replicas));
            }
        }
    }

    /**
     * Pods that operators create from custom resources count too: Spark drivers and executors
     * (at the dynamic-allocation maximum), Flink JobManagers and TaskManagers, Kafka node pools
     * with their volumes, and Strimzi's entity operator and Kafka exporter (LimitRange defaults).
     */
    private static void addOperatorPods(RenderedObject o, Map<String, Object> limitRange, Map<String, List<Share>> shares) {
        Map<String, Object> spec = Workloads.map(o.body().get("spec"));
        switch (o.group() + "/" + o.kind()) {
            case "sparkoperator.k8s.io/SparkApplication" -> addSpark(o, spec, "spec", shares);
            case "sparkoperator.k8s.io/ScheduledSparkApplication" -> addSpark(o, Workloads.map(spec.get("template")), "spec.template", shares);
            case "flink.apache.org/FlinkDeployment" -> addFlink(o, spec, shares);
            case "kafka.strimzi.io/KafkaNodePool" -> {
                long replicas = number(spec.get("replicas"), 1);
                Map<String, Object> res = Workloads.map(spec.get("resources"));
                addPods(o, "spec.resources", replicas, amount(Workloads.map(res.get("requests")).getOrDefault("cpu", 0L)),
                        amount(Workloads.map(res.get("requests")).getOrDefault("memory", 0L)),
                        amount(Workloads.map(res.get("limits")).getOrDefault("memory", 0L)), shares);
                List<Object> volumes = Workloads.list(Workloads.map(spec.get("storage")).get("volumes"));
                for (int i = 0; i < volumes.size(); i++) {
                    Object size = Workloads.map(volumes.get(i)).get("size");
                    String path = "spec.storage.volumes[" + i + "]";
                    add(shares, "requests.storage", new Share(o, path, amount(size == null ? 0L : size), replicas));
                    add(shares, "persistentvolumeclaims", new Share(o, path, BigDecimal.ONE, replicas));
                }
            }
            case "kafka.strimzi.io/Kafka" -> {
                // entity operator (topic and user operator containers) and Kafka exporter
                Map<String, Object> req = Workloads.map(limitRange.get("defaultRequest"));
                Map<String, Object> lim = Workloads.map(limitRange.get("default"));
                BigDecimal cpu = amount(req.getOrDefault("cpu", 0L));
                BigDecimal mem = amount(req.getOrDefault("memory", 0L));
                BigDecimal memLim = amount(lim.getOrDefault("memory", 0L));
                if (spec.containsKey("entityOperator")) addPods(o, "spec.entityOperator", 1, cpu.multiply(BigDecimal.valueOf(2)), mem.multiply(BigDecimal.valueOf(2)), memLim.multiply(BigDecimal.valueOf(2)), shares);
                if (spec.containsKey("kafkaExporter")) addPods(o, "spec.kafkaExporter", 1, cpu, mem, memLim, shares);
            }
            default -> {
            }
        }
    }

    private static void addSpark(RenderedObject o, Map<String, Object> spec, String path, Map<String, List<Share>> shares) {
        Map<String, Object> driver = Workloads.map(spec.get("driver"));
        Map<String, Object> executor = Workloads.map(spec.get("executor"));
        Map<String, Object> dyn = Workloads.map(spec.get("dynamicAllocation"));
        long executors = Boolean.TRUE.equals(dyn.get("enabled")) ? number(dyn.get("maxExecutors"), number(executor.get("instances"), 1))
                : number(executor.get("instances"), 1);
        double factor = spec.get("memoryOverheadFactor") instanceof String f ? Double.parseDouble(f)
                : ("Python".equals(spec.get("type")) || "R".equals(spec.get("type"))) ? 0.4 : 0.1;
        BigDecimal driverMem = sparkPodMemory(driver.get("memory"), factor);
        BigDecimal executorMem = sparkPodMemory(executor.get("memory"), factor);
        addPods(o, path + ".driver", 1, BigDecimal.valueOf(number(driver.get("cores"), 1)), driverMem, driverMem, shares);
        addPods(o, path + ".executor", executors, BigDecimal.valueOf(number(executor.get("cores"), 1)), executorMem, executorMem, shares);
    }

    private static void addFlink(RenderedObject o, Map<String, Object> spec, Map<String, List<Share>> shares) {
        Map<String, Object> conf = Workloads.map(spec.get("flinkConfiguration"));
        Map<String, Object> jm = Workloads.map(spec.get("jobManager"));
        Map<String, Object> tm = Workloads.map(spec.get("taskManager"));
        long slots = Long.parseLong(String.valueOf(conf.getOrDefault("taskmanager.numberOfTaskSlots", "1")));
        long parallelism = number(Workloads.map(spec.get("job")).get("parallelism"), 1);
        long tms = tm.containsKey("replicas") ? number(tm.get("replicas"), 1) : (parallelism + slots - 1) / Math.max(1, slots);
        addFlinkPods(o, "spec.jobManager", number(jm.get("replicas"), 1), jm, shares);
        addFlinkPods(o, "spec.taskManager", tms, tm, shares);
    }

    private static void addFlinkPods(RenderedObject o, String path, long replicas, Map<String, Object> role, Map<String, List<Share>> shares) {
        Map<String, Object> res = Workloads.map(role.get("resource"));
        if (!res.isEmpty()) {
            BigDecimal mem = jvmBytes(res.get("memory"));
            addPods(o, path + ".resource", replicas, amount(res.getOrDefault("cpu", 1L)), mem, mem, shares);
        } else {
            Map<String, Object> k8s = Workloads.map(role.get("resources"));
            Map<String, Object> req = Workloads.map(k8s.get("requests"));
            addPods(o, path + ".resources", replicas, amount(req.getOrDefault("cpu", 0L)), amount(req.getOrDefault("memory", 0L)),
                    amount(Workloads.map(k8s.get("limits")).getOrDefault("memory", 0L)), shares);
        }
    }

    private static void addPods(RenderedObject o, String path, long replicas, BigDecimal cpu, BigDecimal mem, BigDecimal memLimit,
                                Map<String, List<Share>> shares) {
        add(shares, "requests.cpu", new Share(o, path, cpu, replicas));
        add(shares, "requests.memory", new Share(o, path, mem, replicas));
        add(shares, "limits.memory", new Share(o, path, memLimit, replicas));
        add(shares, "pods", new Share(o, path, BigDecimal.ONE, replicas));
    }

    /** A Spark pod's memory: the heap plus max(384 MiB, factor x heap), as Spark requests it. */
    private static BigDecimal sparkPodMemory(Object heap, double factor) {
        BigDecimal h = jvmBytes(heap == null ? "1g" : heap);
        BigDecimal overhead = h.multiply(BigDecimal.valueOf(factor)).max(BigDecimal.valueOf(384L * 1024 * 1024));
        return h.add(overhead);
    }

    /** JVM-style sizes as Spark and Flink write them ("4g", "2048m"), or a Kubernetes quantity. */
    static BigDecimal jvmBytes(Object size) {
        String s = String.valueOf(size).trim();
        if (s.matches("[0-9.]+[kmgt]b?")) {
            String unit = s.replaceAll("[0-9.]", "").substring(0, 1);
            int shift = switch (unit) {
                case "k" -> 10;
                case "m" -> 20;
                case "g" -> 30;
                default -> 40;
            };
            return new BigDecimal(s.replaceAll("[^0-9.]", "")).multiply(BigDecimal.valueOf(1L << shift));
        }
        return amount(s);
    }

    private static void addStorage(RenderedObject o, Map<String, List<Share>> shares) {
        if (!o.kind().equals("PersistentVolumeClaim") || !o.group().isEmpty()) return;
        Object size = Workloads.map(Workloads.map(Workloads.map(o.body().get("spec")).get("resources")).get("requests")).get("storage");
        add(shares, "requests.storage", new Share(o, "spec.resources.requests.storage", amount(size == null ? 0L : size), 1));
        add(shares, "persistentvolumeclaims", new Share(o, "metadata.name", BigDecimal.ONE, 1));
    }

    private static void add(Map<String, List<Share>> shares, String resource, Share share) {
        if (share.total().signum() > 0) shares.computeIfAbsent(resource, k -> new ArrayList<>()).add(share);
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

    static BigDecimal amount(Object quantity) {
        return Quantities.amountOrZero(quantity);
    }

    /** Memory and storage in Gi, counts and CPU as plain numbers. */
    static String format(String resource, BigDecimal amount) {
        if (resource.contains("memory") || resource.contains("storage")) {
            return amount.divide(GI, 2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString() + "Gi";
        }
        return amount.setScale(3, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }
}
