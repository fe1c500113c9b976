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
 * PersistentVolumeClaims that pods use are rendered or declared in the app's {@code spec.external},
 * and the keys they name exist where the ConfigMap or Secret is rendered with its keys. Pods are
 * those of workloads, of FlinkDeployment pod templates and of SparkApplication drivers and
 * executors; a Secret counts as rendered also when an ExternalSecret, a SealedSecret or a
 * KafkaUser in the namespace creates it.
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
        /** "Secret/name" or "ConfigMap/name" -> the keys it will have; null when they are not known here. */
        final Map<String, Set<String>> keys = new HashMap<>();

        /** Records a ConfigMap or Secret rendered or created in the namespace, and its keys (null: unknown). */
        void provide(String kindAndName, Set<String> known) {
            objects.add(kindAndName);
            // two sources of one Secret: its keys are only known when both are
            if (keys.containsKey(kindAndName)) {
                Set<String> before = keys.get(kindAndName);
                if (before == null || known == null) keys.put(kindAndName, null);
                else {
                    Set<String> union = new java.util.TreeSet<>(before);
                    union.addAll(known);
                    keys.put(kindAndName, union);
                }
            } else {
                keys.put(kindAndName, known == null ? null : new java.util.TreeSet<>(known));
            }
        }
    }

    /** The keys of a KafkaUser's Secret by authentication type (Strimzi's User Operator); tls-external gets none. */
    private static final Map<String, Set<String>> KAFKA_USER_KEYS = Map.of(
            "tls", Set.of("ca.crt", "user.crt", "user.key", "user.p12", "user.password"),
            "scram-sha-512", Set.of("password", "sasl.jaas.config"));

    /** ExternalSecret creation policies under which the operator creates the target Secret. */
    private static final Set<String> CREATING = Set.of("Owner", "Orphan", "CreateOrMerge");

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
            Workloads.PodTemplate pod = Workloads.podTemplate(o);
            if (pod != null) ns.pods.add(pod);
            if (o.kind().equals("Service") && o.group().isEmpty()) ns.services.put(o.name(), o);
            indexSecretSources(o, ns);
            if (o.kind().equals("KafkaNodePool") && o.group().equals("kafka.strimzi.io")) {
                Map<String, Object> spec = Workloads.map(o.body().get("spec"));
                if (Workloads.list(spec.get("roles")).contains("broker") && spec.get("replicas") instanceof Number n) {
                    ns.brokers.merge(String.valueOf(Workloads.map(o.metadata().get("labels")).get("strimzi.io/cluster")), n.longValue(), Long::sum);
                }
            }
        }
        return index;
    }

    /** ConfigMaps and Secrets, rendered or created by an operator from what is rendered, with their keys. */
    private static void indexSecretSources(RenderedObject o, Namespace ns) {
        Map<String, Object> spec = Workloads.map(o.body().get("spec"));
        switch (o.group() + "/" + o.kind()) {
            // one rendered without data may be filled by another tool: its keys are not known
            case "/ConfigMap" -> ns.provide("ConfigMap/" + o.name(), nonEmpty(keysOf(o.body(), "data", "binaryData")));
            case "/Secret" -> ns.provide("Secret/" + o.name(), nonEmpty(keysOf(o.body(), "data", "stringData")));
            case "external-secrets.io/ExternalSecret" -> {
                Map<String, Object> target = Workloads.map(spec.get("target"));
                if (!CREATING.contains(String.valueOf(target.getOrDefault("creationPolicy", "Owner")))) return;
                String name = String.valueOf(target.getOrDefault("name", o.name()));
                ns.provide("Secret/" + name, externalSecretKeys(spec, Workloads.map(target.get("template"))));
            }
            case "bitnami.com/SealedSecret" -> {
                // the controller names the Secret after the SealedSecret; its keys are the sealed ones and the templated ones
                Map<String, Object> template = Workloads.map(spec.get("template"));
                Set<String> keys = spec.get("data") != null ? null : keysOf(spec, "encryptedData");
                if (keys != null) keys.addAll(keysOf(template, "data"));
                ns.provide("Secret/" + o.name(), keys);
            }
            case "kafka.strimzi.io/KafkaUser" -> {
                Set<String> keys = KAFKA_USER_KEYS.get(String.valueOf(Workloads.map(spec.get("authentication")).get("type")));
                if (keys != null) ns.provide("Secret/" + o.name(), keys);
            }
            default -> {
            }
        }
    }

    /**
     * The keys of an ExternalSecret's Secret: its data's secretKeys, or its template's data keys
     * (with the data's under mergePolicy Merge); unknown with dataFrom or templateFrom, whose
     * keys come from the store.
     */
    private static Set<String> externalSecretKeys(Map<String, Object> spec, Map<String, Object> template) {
        if (!Workloads.list(spec.get("dataFrom")).isEmpty() || !Workloads.list(template.get("templateFrom")).isEmpty()) return null;
        Set<String> data = new HashSet<>();
        for (Object d : Workloads.list(spec.get("data"))) data.add(String.valueOf(Workloads.map(d).get("secretKey")));
        Set<String> templated = keysOf(template, "data");
        if (templated.isEmpty()) return data;
        if ("Merge".equals(template.get("mergePolicy"))) templated.addAll(data);
        return templated;
    }

    private static Set<String> nonEmpty(Set<String> keys) {
        return keys.isEmpty() ? null : keys;
    }

    private static Set<String> keysOf(Map<String, Object> body, String... fields) {
        Set<String> keys = new HashSet<>();
        for (String f : fields) keys.addAll(Workloads.map(body.get(f)).keySet());
        return keys;
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
            for (Workloads.PodTemplate template : Workloads.operatorPodTemplates(o)) checkPodReferences(o, template, ns, ext, findings);
            if (o.group().equals("sparkoperator.k8s.io")) checkSparkReferences(o, ns, ext, findings);
        }
    }

    /**
     * A SparkApplication's (or a ScheduledSparkApplication's template's) driver and executor: the
     * env, envFrom and volumes the operator's webhook adds to their pods, the Secrets and
     * ConfigMaps it mounts, and the spark and Hadoop ConfigMaps.
     */
    private void checkSparkReferences(RenderedObject o, Namespace ns, Map<String, List<String>> ext, Findings findings) {
        String base = switch (o.kind()) {
            case "SparkApplication" -> "spec";
            case "ScheduledSparkApplication" -> "spec.template";
            default -> null;
        };
        if (base == null) return;
        Map<String, Object> spec = base.equals("spec") ? Workloads.map(o.body().get("spec"))
                : Workloads.map(Workloads.map(o.body().get("spec")).get("template"));
        checkVolumes(o, base, Workloads.list(spec.get("volumes")), ns, ext, findings);
        for (String field : List.of("sparkConfigMap", "hadoopConfigMap")) {
            if (spec.get(field) != null) require(o, ns, ext, "ConfigMap", "configMaps", spec.get(field), base + "." + field, findings);
        }
        for (String role : List.of("driver", "executor")) {
            Map<String, Object> pod = Workloads.map(spec.get(role));
            String path = base + "." + role;
            checkEnv(o, new Workloads.Container(null, path, pod), ns, ext, findings);
            List<Object> secrets = Workloads.list(pod.get("secrets"));
            for (int i = 0; i < secrets.size(); i++) {
                require(o, ns, ext, "Secret", "secrets", Workloads.map(secrets.get(i)).get("name"), path + ".secrets[" + i + "].name", findings);
            }
            List<Object> configMaps = Workloads.list(pod.get("configMaps"));
            for (int i = 0; i < configMaps.size(); i++) {
                require(o, ns, ext, "ConfigMap", "configMaps", Workloads.map(configMaps.get(i)).get("name"), path + ".configMaps[" + i + "].name", findings);
            }
            Map<String, Object> keyRefs = Workloads.map(pod.get("envSecretKeyRefs"));
            for (Map.Entry<String, Object> e : keyRefs.entrySet()) {
                Map<String, Object> ref = Workloads.map(e.getValue());
                String at = path + ".envSecretKeyRefs." + e.getKey();
                if (require(o, ns, ext, "Secret", "secrets", ref.get("name"), at + ".name", findings)) {
                    requireKey(o, ns, "Secret", ref.get("name"), ref.get("key"), at + ".key", findings);
                }
            }
            Map<String, Object> template = Workloads.map(pod.get("template"));
            if (!template.isEmpty()) {
                checkPodReferences(o, new Workloads.PodTemplate(o, path + ".template", Workloads.map(Workloads.map(template.get("metadata")).get("labels")),
                        Workloads.map(template.get("spec"))), ns, ext, findings);
            }
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
        checkVolumes(o, pod.specPath(), Workloads.list(pod.spec().get("volumes")), ns, ext, findings);
        for (Workloads.Container c : Workloads.containers(pod)) checkEnv(o, c, ns, ext, findings);
    }

    /** The ConfigMap, Secret and claim volumes at {@code path}.volumes, and the keys their items name. */
    private void checkVolumes(RenderedObject o, String path, List<Object> volumes, Namespace ns, Map<String, List<String>> ext, Findings findings) {
        for (int i = 0; i < volumes.size(); i++) {
            Map<String, Object> v = Workloads.map(volumes.get(i));
            String at = path + ".volumes[" + i + "]";
            Map<String, Object> cm = Workloads.map(v.get("configMap"));
            if (!cm.isEmpty() && !Boolean.TRUE.equals(cm.get("optional"))
                    && require(o, ns, ext, "ConfigMap", "configMaps", cm.get("name"), at + ".configMap.name", findings)) {
                requireItems(o, ns, "ConfigMap", cm, at + ".configMap", findings);
            }
            Map<String, Object> secret = Workloads.map(v.get("secret"));
            if (!secret.isEmpty() && !Boolean.TRUE.equals(secret.get("optional"))
                    && require(o, ns, ext, "Secret", "secrets", secret.get("secretName"), at + ".secret.secretName", findings)) {
                requireItems(o, ns, "Secret", secret, at + ".secret", findings);
            }
            Map<String, Object> pvc = Workloads.map(v.get("persistentVolumeClaim"));
            if (!pvc.isEmpty()) require(o, ns, ext, "PersistentVolumeClaim", "persistentVolumeClaims", pvc.get("claimName"), at + ".persistentVolumeClaim.claimName", findings);
        }
    }

    private void requireItems(RenderedObject o, Namespace ns, String kind, Map<String, Object> source, String path, Findings findings) {
        Object name = kind.equals("Secret") ? source.get("secretName") : source.get("name");
        List<Object> items = Workloads.list(source.get("items"));
        for (int j = 0; j < items.size(); j++) {
            requireKey(o, ns, kind, name, Workloads.map(items.get(j)).get("key"), path + ".items[" + j + "].key", findings);
        }
    }

    /** A container's (or a Spark driver's or executor's) env key references and envFrom sources. */
    private void checkEnv(RenderedObject o, Workloads.Container c, Namespace ns, Map<String, List<String>> ext, Findings findings) {
        List<Object> env = Workloads.list(c.body().get("env"));
        for (int i = 0; i < env.size(); i++) {
            Map<String, Object> from = Workloads.map(Workloads.map(env.get(i)).get("valueFrom"));
            String at = c.path() + ".env[" + i + "].valueFrom.";
            for (String[] ref : List.of(new String[]{"configMapKeyRef", "ConfigMap", "configMaps"}, new String[]{"secretKeyRef", "Secret", "secrets"})) {
                Map<String, Object> r = Workloads.map(from.get(ref[0]));
                if (!r.isEmpty() && !Boolean.TRUE.equals(r.get("optional"))
                        && require(o, ns, ext, ref[1], ref[2], r.get("name"), at + ref[0] + ".name", findings)) {
                    requireKey(o, ns, ref[1], r.get("name"), r.get("key"), at + ref[0] + ".key", findings);
                }
            }
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

    /** True when the object exists in the namespace or is declared external; else reports it. */
    private boolean require(RenderedObject o, Namespace ns, Map<String, List<String>> ext, String kind, String externalKey,
                            Object name, String path, Findings findings) {
        String n = String.valueOf(name);
        if (ns.objects.contains(kind + "/" + n) || ext.getOrDefault(externalKey, List.of()).contains(n)) return true;
        findings.error(id(), o, path, kind + " '" + n + "' is not rendered in " + o.namespace()
                + " nor declared in the app's spec.external." + externalKey, n);
        return false;
    }

    /** A key of a ConfigMap or Secret whose keys are known here (rendered with them, or by what creates it). */
    private void requireKey(RenderedObject o, Namespace ns, String kind, Object name, Object key, String path, Findings findings) {
        Set<String> keys = ns.keys.get(kind + "/" + name);
        if (keys == null || key == null || keys.contains(String.valueOf(key))) return;
        findings.error(id(), o, path, kind + " '" + name + "' has no key '" + key + "'"
                + (keys.isEmpty() ? " (it has none)" : " (its keys: " + String.join(", ", keys) + ")"), String.valueOf(key));
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
