package dev.plinth.check;

import dev.plinth.render.RenderedObject;
import dev.plinth.values.LabelSelectors;
import dev.plinth.resolve.ResolvedPlatform.PlacedApp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * References between objects resolve within the cluster: Services and PodDisruptionBudgets select
 * pods of some workload; ServiceMonitors and PodMonitors select Services or pods and name ports
 * that exist; HPA, ScaledObject and Ingress targets exist; ConfigMaps, Secrets and
 * PersistentVolumeClaims that pods use are rendered or declared in the app's {@code spec.external}.
 */
final class ReferencesCheck implements NamespaceCheck {
    @Override
    public String id() {
        return ID;
    }

    /** What one namespace holds, for lookups. */
    static final class Namespace {
        final List<Workloads.PodTemplate> pods = new ArrayList<>();
        final Map<String, RenderedObject> services = new HashMap<>();
        final Set<String> objects = new HashSet<>(); // "Kind/name"
        final Map<String, Long> brokers = new HashMap<>(); // Kafka cluster -> broker replicas
    }

    static final String ID = "references";

    /**
     * True when a ServiceMonitor names a namespace other than its own in its namespaceSelector:
     * {@link ServiceMonitorSelectionCheck} checks those, over the whole cluster.
     */
    static boolean selectsOtherNamespaces(RenderedObject o) {
        if (!o.kind().equals("ServiceMonitor") || !o.group().equals("monitoring.coreos.com")) return false;
        Map<String, Object> nsSel = Workloads.map(Workloads.map(o.body().get("spec")).get("namespaceSelector"));
        for (Object n : Workloads.list(nsSel.get("matchNames"))) {
            if (!String.valueOf(n).equals(o.namespace())) return true;
        }
        return false;
    }

    /** What each namespace of these objects holds, for lookups. */
    static Map<String, Namespace> index(List<RenderedObject> objects) {
        Map<String, Namespace> index = new HashMap<>();
        for (RenderedObject o : objects) {
            if (o.namespace() == null) continue;
            Namespace ns = index.computeIfAbsent(o.namespace(), k -> new Namespace());
            ns.objects.add(o.kind() + "/" + o.name());
            for (String secret : secretsCreatedBy(o)) ns.objects.add("Secret/" + secret);
            Workloads.PodTemplate pod = Workloads.podTemplate(o);
            if (pod != null) ns.pods.add(pod);
            if (o.kind().equals("Service") && o.group().isEmpty()) ns.services.put(o.name(), o);
            if (o.kind().equals("KafkaNodePool") && o.group().equals("kafka.strimzi.io")) {
                Map<String, Object> spec = Workloads.map(o.body().get("spec"));
                if (Workloads.list(spec.get("roles")).contains("broker") && spec.get("replicas") instanceof Number n) {
                    ns.brokers.merge(String.valueOf(Workloads.map(o.metadata().get("labels")).get("strimzi.io/cluster")), n.longValue(), Long::sum);
                }
            }
        }
        return index;
    }

    /**
     * The Secrets an operator creates in the object's namespace from a custom resource: Strimzi's
     * user operator writes a KafkaUser's credentials (tls or scram-sha-512) into a Secret named
     * after the user.
     */
    static List<String> secretsCreatedBy(RenderedObject o) {
        if (o.kind().equals("KafkaUser") && o.group().equals("kafka.strimzi.io")) {
            Object type = Workloads.map(Workloads.map(o.body().get("spec")).get("authentication")).get("type");
            if ("tls".equals(type) || "scram-sha-512".equals(type)) return List.of(o.name());
        }
        return List.of();
    }

    @Override
    public void check(NamespaceView namespace, CheckContext context, Findings findings) {
        Map<String, Namespace> index = index(namespace.objects());
        Map<String, Map<String, List<String>>> external = new HashMap<>();
        for (PlacedApp a : namespace.plan().apps()) external.put(a.app().name(), a.app().external());

        for (RenderedObject o : namespace.objects()) {
            if (o.namespace() == null) continue;
            Namespace ns = index.get(o.namespace());
            Map<String, List<String>> ext = o.app() == null ? Map.of() : external.getOrDefault(o.app(), Map.of());
            Map<String, Object> spec = Workloads.map(o.body().get("spec"));
            switch (o.group() + "/" + o.kind()) {
                case "/Service" -> checkService(o, spec, ns, findings);
                case "policy/PodDisruptionBudget" -> {
                    // policy/v1: an empty selector selects every pod of the namespace, an absent one none
                    Object sel = spec.get("selector");
                    if (sel == null || selectPodsBy(ns, sel).isEmpty()) {
                        findings.error(id(), o, "spec.selector", "selects no pods of any workload in " + o.namespace(), null);
                    }
                }
                case "autoscaling/HorizontalPodAutoscaler" -> checkTarget(o, Workloads.map(spec.get("scaleTargetRef")), "Deployment", ns, findings);
                case "keda.sh/ScaledObject" -> checkTarget(o, Workloads.map(spec.get("scaleTargetRef")), "Deployment", ns, findings);
                case "monitoring.coreos.com/ServiceMonitor" -> {
                    if (!selectsOtherNamespaces(o)) checkServiceMonitor(o, spec, index, findings);
                }
                case "monitoring.coreos.com/PodMonitor" -> checkPodMonitor(o, spec, ns, findings);
                case "kafka.strimzi.io/KafkaTopic" -> checkKafkaTopic(o, spec, ns, index, findings);
                case "networking.k8s.io/Ingress" -> checkIngress(o, spec, ns, ext, findings);
                default -> {
                }
            }
            Workloads.PodTemplate pod = Workloads.podTemplate(o);
            if (pod != null) checkPodReferences(o, pod, ns, ext, findings);
        }
    }

    private void checkService(RenderedObject o, Map<String, Object> spec, Namespace ns, Findings findings) {
        Map<String, Object> sel = Workloads.map(spec.get("selector"));
        if (sel.isEmpty()) return; // a selector-less Service (external endpoints) is allowed
        List<Workloads.PodTemplate> pods = selectPods(ns, sel);
        if (pods.isEmpty()) {
            findings.error(id(), o, "spec.selector", "selects no pods of any workload in " + o.namespace(), null);
            return;
        }
        List<Object> ports = Workloads.list(spec.get("ports"));
        for (int i = 0; i < ports.size(); i++) {
            Object target = Workloads.map(ports.get(i)).get("targetPort");
            if (target instanceof String name && pods.stream().noneMatch(p -> containerPortNames(p).contains(name))) {
                findings.error(id(), o, "spec.ports[" + i + "].targetPort", "no selected pod has a container port named '"
                        + name + "'", name);
            }
        }
    }

    private void checkTarget(RenderedObject o, Map<String, Object> ref, String defaultKind, Namespace ns, Findings findings) {
        String kind = ref.containsKey("kind") ? String.valueOf(ref.get("kind")) : defaultKind;
        String name = String.valueOf(ref.get("name"));
        if (!ns.objects.contains(kind + "/" + name)) {
            findings.error(id(), o, "spec.scaleTargetRef", "scales " + kind + "/" + name + ", which is not rendered in "
                    + o.namespace(), name);
        }
    }

    static void checkServiceMonitor(RenderedObject o, Map<String, Object> spec, Map<String, Namespace> index, Findings findings) {
        Object sel = spec.get("selector");
        Map<String, Object> nsSel = Workloads.map(spec.get("namespaceSelector"));
        if (Boolean.TRUE.equals(nsSel.get("any"))) return;
        // no names (or an empty list): the monitor's own namespace, as the Prometheus operator reads it
        List<Object> matchNames = Workloads.list(nsSel.get("matchNames"));
        List<Object> names = matchNames.isEmpty() ? List.of(o.namespace()) : matchNames;
        List<RenderedObject> services = new ArrayList<>();
        for (Object n : names) {
            Namespace ns = index.get(String.valueOf(n));
            if (ns == null) continue;
            for (RenderedObject s : ns.services.values()) {
                if (LabelSelectors.matches(sel, Workloads.map(s.metadata().get("labels")))) services.add(s);
            }
        }
        if (services.isEmpty()) {
            findings.error(ID, o, "spec.selector", "selects no Service in " + String.join(", ", names.stream().map(String::valueOf).toList()), null);
            return;
        }
        List<Object> endpoints = Workloads.list(spec.get("endpoints"));
        for (int i = 0; i < endpoints.size(); i++) {
            Object port = Workloads.map(endpoints.get(i)).get("port");
            if (port instanceof String p && services.stream().noneMatch(s -> servicePortNames(s).contains(p))) {
                findings.error(ID, o, "spec.endpoints[" + i + "].port", "no selected Service has a port named '" + p + "'", p);
            }
        }
    }

    /** A topic names a Kafka of its namespace and at most as many replicas as that cluster has brokers. */
    private void checkKafkaTopic(RenderedObject o, Map<String, Object> spec, Namespace ns, Map<String, Namespace> index, Findings findings) {
        Object label = Workloads.map(o.metadata().get("labels")).get("strimzi.io/cluster");
        if (label == null) {
            findings.error(id(), o, "metadata.labels", "a KafkaTopic needs the label strimzi.io/cluster naming its Kafka", null);
            return;
        }
        String cluster = String.valueOf(label);
        if (ns == null || !ns.objects.contains("Kafka/" + cluster)) {
            findings.error(id(), o, "metadata.labels.strimzi.io/cluster", "topic of Kafka cluster '" + cluster
                    + "', which is not rendered in " + o.namespace() + " (Strimzi's topic operator watches its Kafka's namespace)", cluster);
            return;
        }
        long brokers = ns.brokers.getOrDefault(cluster, 0L);
        Object replicas = spec.get("replicas");
        if (replicas instanceof Number n && brokers > 0 && n.longValue() > brokers) {
            findings.error(id(), o, "spec.replicas", "topic wants " + n + " replicas but Kafka cluster '" + cluster + "' has "
                    + brokers + " brokers", null);
        }
    }

    private void checkPodMonitor(RenderedObject o, Map<String, Object> spec, Namespace ns, Findings findings) {
        // pods an operator creates from a custom resource: that resource must exist
        Object podsOf = Workloads.map(o.metadata().get("annotations")).get("plinth.dev/pods-of");
        if (podsOf != null) {
            if (ns == null || !ns.objects.contains(String.valueOf(podsOf))) {
                findings.error(id(), o, "metadata.annotations.plinth.dev/pods-of", "scrapes the pods of " + podsOf
                        + ", which is not rendered in " + o.namespace(), null);
            }
            return;
        }
        List<Workloads.PodTemplate> pods = selectPodsBy(ns, spec.get("selector"));
        if (pods.isEmpty()) {
            findings.error(id(), o, "spec.selector", "selects no pods of any workload in " + o.namespace(), null);
            return;
        }
        List<Object> endpoints = Workloads.list(spec.get("podMetricsEndpoints"));
        for (int i = 0; i < endpoints.size(); i++) {
            Object port = Workloads.map(endpoints.get(i)).get("port");
            if (port instanceof String p && pods.stream().noneMatch(pod -> containerPortNames(pod).contains(p))) {
                findings.error(id(), o, "spec.podMetricsEndpoints[" + i + "].port", "no selected pod has a container port named '" + p + "'", p);
            }
        }
    }

    private void checkIngress(RenderedObject o, Map<String, Object> spec, Namespace ns, Map<String, List<String>> ext, Findings findings) {
        List<Object> rules = Workloads.list(spec.get("rules"));
        for (int r = 0; r < rules.size(); r++) {
            List<Object> paths = Workloads.list(Workloads.map(Workloads.map(rules.get(r)).get("http")).get("paths"));
            for (int p = 0; p < paths.size(); p++) {
                Map<String, Object> svc = Workloads.map(Workloads.map(Workloads.map(paths.get(p)).get("backend")).get("service"));
                if (svc.isEmpty()) continue;
                String name = String.valueOf(svc.get("name"));
                String path = "spec.rules[" + r + "].http.paths[" + p + "].backend.service";
                RenderedObject target = ns.services.get(name);
                if (target == null) {
                    if (!ext.getOrDefault("services", List.of()).contains(name)) {
                        findings.error(id(), o, path + ".name", "routes to Service '" + name + "', which is not rendered in "
                                + o.namespace() + " nor declared in spec.external.services", name);
                    }
                    continue;
                }
                Object portName = Workloads.map(svc.get("port")).get("name");
                if (portName instanceof String pn && !servicePortNames(target).contains(pn)) {
                    findings.error(id(), o, path + ".port.name", "Service '" + name + "' has no port named '" + pn + "'", pn);
                }
            }
        }
    }

    private void checkPodReferences(RenderedObject o, Workloads.PodTemplate pod, Namespace ns, Map<String, List<String>> ext, Findings findings) {
        List<Object> volumes = Workloads.list(pod.spec().get("volumes"));
        for (int i = 0; i < volumes.size(); i++) {
            Map<String, Object> v = Workloads.map(volumes.get(i));
            String path = pod.specPath() + ".volumes[" + i + "]";
            Map<String, Object> cm = Workloads.map(v.get("configMap"));
            if (!cm.isEmpty() && !Boolean.TRUE.equals(cm.get("optional"))) require(o, ns, ext, "ConfigMap", "configMaps", cm.get("name"), path + ".configMap.name", findings);
            Map<String, Object> secret = Workloads.map(v.get("secret"));
            if (!secret.isEmpty() && !Boolean.TRUE.equals(secret.get("optional"))) require(o, ns, ext, "Secret", "secrets", secret.get("secretName"), path + ".secret.secretName", findings);
            Map<String, Object> pvc = Workloads.map(v.get("persistentVolumeClaim"));
            if (!pvc.isEmpty()) require(o, ns, ext, "PersistentVolumeClaim", "persistentVolumeClaims", pvc.get("claimName"), path + ".persistentVolumeClaim.claimName", findings);
        }
        for (Workloads.Container c : Workloads.containers(pod)) {
            List<Object> env = Workloads.list(c.body().get("env"));
            for (int i = 0; i < env.size(); i++) {
                Map<String, Object> from = Workloads.map(Workloads.map(env.get(i)).get("valueFrom"));
                Map<String, Object> cmRef = Workloads.map(from.get("configMapKeyRef"));
                if (!cmRef.isEmpty() && !Boolean.TRUE.equals(cmRef.get("optional"))) require(o, ns, ext, "ConfigMap", "configMaps", cmRef.get("name"), c.path() + ".env[" + i + "].valueFrom.configMapKeyRef.name", findings);
                Map<String, Object> sRef = Workloads.map(from.get("secretKeyRef"));
                if (!sRef.isEmpty() && !Boolean.TRUE.equals(sRef.get("optional"))) require(o, ns, ext, "Secret", "secrets", sRef.get("name"), c.path() + ".env[" + i + "].valueFrom.secretKeyRef.name", findings);
            }
            List<Object> envFrom = Workloads.list(c.body().get("envFrom"));
            for (int i = 0; i < envFrom.size(); i++) {
                Map<String, Object> e = Workloads.map(envFrom.get(i));
                Map<String, Object> cmRef = Workloads.map(e.get("configMapRef"));
                if (!cmRef.isEmpty() && !Boolean.TRUE.equals(cmRef.get("optional"))) require(o, ns, ext, "ConfigMap", "configMaps", cmRef.get("name"), c.path() + ".envFrom[" + i + "].configMapRef.name", findings);
                Map<String, Object> sRef = Workloads.map(e.get("secretRef"));
                if (!sRef.isEmpty() && !Boolean.TRUE.equals(sRef.get("optional"))) require(o, ns, ext, "Secret", "secrets", sRef.get("name"), c.path() + ".envFrom[" + i + "].secretRef.name", findings);
            }
        }
    }

    private void require(RenderedObject o, Namespace ns, Map<String, List<String>> ext, String kind, String externalKey,
                         Object name, String path, Findings findings) {
        String n = String.valueOf(name);
        if (ns.objects.contains(kind + "/" + n) || ext.getOrDefault(externalKey, List.of()).contains(n)) return;
        findings.error(id(), o, path, kind + " '" + n + "' is not rendered in " + o.namespace()
                + " nor declared in the app's spec.external." + externalKey, n);
    }

    /** The pods a label selector (matchLabels and matchExpressions; an empty one selects all) selects. */
    private static List<Workloads.PodTemplate> selectPodsBy(Namespace ns, Object labelSelector) {
        if (ns == null) return List.of();
        return ns.pods.stream().filter(p -> LabelSelectors.matches(labelSelector, p.labels())).toList();
    }

    /** The pods a Service's selector (a map of labels, all required) selects. */
    private static List<Workloads.PodTemplate> selectPods(Namespace ns, Map<String, Object> selector) {
        if (ns == null) return List.of();
        return ns.pods.stream().filter(p -> Workloads.matches(selector, p.labels())).toList();
    }

    private static Set<String> containerPortNames(Workloads.PodTemplate pod) {
        Set<String> names = new HashSet<>();
        for (Workloads.Container c : Workloads.containers(pod)) {
            for (Object p : Workloads.list(c.body().get("ports"))) {
                Object n = Workloads.map(p).get("name");
                if (n != null) names.add(String.valueOf(n));
            }
        }
        return names;
    }

    private static Set<String> servicePortNames(RenderedObject service) {
        Set<String> names = new HashSet<>();
        for (Object p : Workloads.list(Workloads.map(service.body().get("spec")).get("ports"))) {
            Object n = Workloads.map(p).get("name");
            if (n != null) names.add(String.valueOf(n));
        }
        return names;
    }
}
