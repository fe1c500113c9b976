package dev.plinth.check.api;

import dev.plinth.values.FieldPath;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import dev.plinth.values.Quantity;

import static dev.plinth.check.api.Fields.integer;
import static dev.plinth.check.api.Fields.list;
import static dev.plinth.check.api.Fields.map;
import static dev.plinth.check.api.Fields.str;
import static dev.plinth.check.api.Fields.text;
import java.util.TreeSet;

/**
 * Pod specs and pod templates, as core validation's ValidatePodSpec and ValidatePodTemplateSpec
 * take them after defaulting (absent fields take their defaults: restartPolicy Always, port
 * protocol TCP): containers and init containers, volumes, ports, resources, env, mounts, probes
 * and the restart policy the owning controller allows.
 */
final class PodSpecs {
    /** The volume sources of core/v1 Volume: a volume names exactly one. */
    private static final Set<String> VOLUME_SOURCES = Set.of("hostPath", "emptyDir", "gcePersistentDisk", "awsElasticBlockStore",
            "gitRepo", "secret", "nfs", "iscsi", "glusterfs", "persistentVolumeClaim", "rbd", "flexVolume", "cinder", "cephfs",
            "flocker", "downwardAPI", "fc", "azureFile", "configMap", "vsphereVolume", "quobyte", "azureDisk",
            "photonPersistentDisk", "projected", "portworxVolume", "scaleIO", "storageos", "csi", "ephemeral", "image");
    private static final List<String> PROBE_HANDLERS = List.of("exec", "httpGet", "tcpSocket", "grpc");
    private static final Set<String> POD_RESTART = Set.of("Always", "OnFailure", "Never");
    private static final Set<String> DNS_POLICIES = Set.of("ClusterFirst", "ClusterFirstWithHostNet", "Default", "None");
    private static final Set<String> PULL_POLICIES = Set.of("Always", "IfNotPresent", "Never");
    private static final List<String> KEYED_SOURCES = List.of("configMap", "secret");
    private static final List<String> PROBES = List.of("livenessProbe", "readinessProbe", "startupProbe");
    private static final List<String> ENV_SOURCES = List.of("fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef", "fileKeyRef");
    private static final List<String> KEY_REFS = List.of("configMapKeyRef", "secretKeyRef");
    private static final List<String> ENV_FROM_REFS = List.of("configMapRef", "secretRef");
    private static final List<String> PORT_HANDLERS = List.of("httpGet", "tcpSocket");
    private static final List<String> PROBE_NUMBERS = List.of("initialDelaySeconds", "timeoutSeconds", "periodSeconds",
            "successThreshold", "failureThreshold");
    private static final List<String> LIFECYCLE_HOOKS = List.of("postStart", "preStop");
    private static final List<String> LIFECYCLE_HANDLERS = List.of("exec", "httpGet", "tcpSocket", "sleep");
    private static final Set<String> TAINT_EFFECTS = Set.of("NoSchedule", "PreferNoSchedule", "NoExecute");
    private static final Set<String> PROTOCOLS = Set.of("TCP", "UDP", "SCTP");
    private static final Set<String> STANDARD_CONTAINER_RESOURCES = Set.of("cpu", "memory", "ephemeral-storage");
    /** SidecarContainers (restartPolicy Always on init containers) is on by default from 1.29. */
    static final int SIDECARS = 29;

    private PodSpecs() {
    }

    /**
     * A pod template of a controller: its labels, and its spec with one of the restart policies
     * the controller allows (absent means Always).
     */
    static void template(Map<String, Object> template, FieldPath path, Set<String> restartPolicies, Problems p) {
        if (!Fields.isMap(template.get("spec")) && template.isEmpty()) {
            p.required(path, "");
            return;
        }
        Map<String, Object> meta = map(template, "metadata");
        Meta.labels(map(meta, "labels"), path.field("metadata").field("labels"), p);
        Meta.annotations(map(meta, "annotations"), path.field("metadata").field("annotations"), p);
        Map<String, Object> spec = map(template, "spec");
        FieldPath specPath = path.field("spec");
        podSpec(spec, specPath, p);
        String restart = spec.get("restartPolicy") instanceof String s ? s : "Always";
        if (!restartPolicies.contains(restart)) {
            if (restart.equals("Always")) { // written or the default: Jobs say which values they take
                p.required(specPath.field("restartPolicy"), "valid values: " + quoted(restartPolicies)
                        + (spec.get("restartPolicy") == null ? " (absent, it defaults to Always)" : ""));
            } else if (POD_RESTART.contains(restart)) { // a value no pod takes is reported once, by podSpec
                p.unsupported(specPath.field("restartPolicy"), restart, quoted(restartPolicies));
            }
        }
    }

    static String quoted(Set<String> values) {
        return String.join(", ", new TreeSet<>(values).stream().map(v -> "\"" + v + "\"").toList());
    }

    static void podSpec(Map<String, Object> spec, FieldPath path, Problems p) {
        Set<String> volumes = volumes(list(spec, "volumes"), path.field("volumes"), p);
        Set<String> names = new HashSet<>();
        List<Object> inits = list(spec, "initContainers");
        List<Object> containers = list(spec, "containers");
        if (containers.isEmpty()) p.required(path.field("containers"), "");
        for (int i = 0; i < inits.size(); i++) {
            container(map(inits.get(i)), path.field("initContainers").index(i), true, volumes, names, p);
        }
        Map<String, FieldPath> hostPorts = new HashMap<>();
        for (int i = 0; i < containers.size(); i++) {
            FieldPath cp = path.field("containers").index(i);
            Map<String, Object> c = map(containers.get(i));
            container(c, cp, false, volumes, names, p);
            List<Object> ports = list(c, "ports");
            for (int j = 0; j < ports.size(); j++) {
                Map<String, Object> port = map(ports.get(j));
                Long host = integer(port, "hostPort");
                if (host == null || host == 0) continue;
                String key = host + "/" + (port.get("protocol") instanceof String s ? s : "TCP");
                if (hostPorts.putIfAbsent(key, cp) != null) p.duplicate(cp.field("ports").index(j).field("hostPort"), key);
            }
        }
        String restart = str(spec, "restartPolicy");
        if (restart != null && !POD_RESTART.contains(restart)) {
            p.unsupported(path.field("restartPolicy"), restart, "\"Always\", \"Never\", \"OnFailure\"");
        }
        String dns = str(spec, "dnsPolicy");
        if (dns != null && !DNS_POLICIES.contains(dns)) {
            p.unsupported(path.field("dnsPolicy"), dns, "\"ClusterFirst\", \"ClusterFirstWithHostNet\", \"Default\", \"None\"");
        }
        if ("None".equals(dns) && !Fields.isMap(spec.get("dnsConfig"))) {
            p.required(path.field("dnsConfig"), "must provide `dnsConfig` when `dnsPolicy` is None");
        }
        Meta.labels(map(spec, "nodeSelector"), path.field("nodeSelector"), p);
        String sa = str(spec, "serviceAccountName");
        if (sa != null && !sa.isEmpty()) p.check(path.field("serviceAccountName"), sa, Names.dns1123Subdomain(sa));
        String hostname = str(spec, "hostname");
        if (hostname != null && !hostname.isEmpty()) p.check(path.field("hostname"), hostname, Names.dns1123Label(hostname));
        String subdomain = str(spec, "subdomain");
        if (subdomain != null && !subdomain.isEmpty()) p.check(path.field("subdomain"), subdomain, Names.dns1123Label(subdomain));
        nonNegative(spec, "terminationGracePeriodSeconds", path, p);
        tolerations(list(spec, "tolerations"), path.field("tolerations"), p);
        if (Fields.isMap(spec.get("affinity"))) Scheduling.affinity(map(spec, "affinity"), path.field("affinity"), p);
        if (Fields.isMap(spec.get("securityContext"))) Scheduling.securityContext(map(spec, "securityContext"), path.field("securityContext"), true, p);
        topologySpread(list(spec, "topologySpreadConstraints"), path.field("topologySpreadConstraints"), p);
        Long deadline = integer(spec, "activeDeadlineSeconds");
        if (deadline != null && deadline <= 0) p.invalid(path.field("activeDeadlineSeconds"), deadline, "must be between 1 and 2147483647, inclusive");
    }

    /** ValidateTolerations: keys are label names; operator, value and effect fit together. */
    private static void tolerations(List<Object> tolerations, FieldPath path, Problems p) {
        for (int i = 0; i < tolerations.size(); i++) {
            Map<String, Object> t = map(tolerations.get(i));
            FieldPath tp = path.index(i);
            String key = text(t, "key");
            String operator = text(t, "operator");
            String value = text(t, "value");
            String effect = text(t, "effect");
            if (!key.isEmpty()) p.check(tp.field("key"), key, Names.qualifiedName(key));
            if (key.isEmpty() && !operator.equals("Exists")) {
                p.invalid(tp.field("operator"), operator, "operator must be Exists when `key` is empty, which means \"match all values and all keys\"");
            }
            if (t.get("tolerationSeconds") != null && !effect.equals("NoExecute")) {
                p.invalid(tp.field("effect"), effect, "effect must be 'NoExecute' when `tolerationSeconds` is set");
            }
            switch (operator) {
                case "", "Equal" -> p.check(tp.field("operator"), value, Names.labelValue(value));
                case "Exists" -> {
                    if (!value.isEmpty()) p.invalid(tp.field("operator"), value, "value must be empty when `operator` is 'Exists'");
                }
                default -> p.unsupported(tp.field("operator"), operator, "\"Equal\", \"Exists\"");
            }
            if (!effect.isEmpty() && !TAINT_EFFECTS.contains(effect)) {
                p.unsupported(tp.field("effect"), effect, "\"NoExecute\", \"NoSchedule\", \"PreferNoSchedule\"");
            }
        }
    }

    /** validateTopologySpreadConstraints: maxSkew above 0, a topology key, an action, each (key, action) once, minDomains. */
    private static void topologySpread(List<Object> constraints, FieldPath path, Problems p) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < constraints.size(); i++) {
            Map<String, Object> c = map(constraints.get(i));
            FieldPath cp = path.index(i);
            Long skew = integer(c, "maxSkew");
            if (skew != null && skew <= 0) p.invalid(cp.field("maxSkew"), skew, "must be greater than zero");
            String key = text(c, "topologyKey");
            if (key.isEmpty()) p.required(cp.field("topologyKey"), "can not be empty");
            else p.check(cp.field("topologyKey"), key, Names.qualifiedName(key));
            String action = text(c, "whenUnsatisfiable");
            if (!action.equals("DoNotSchedule") && !action.equals("ScheduleAnyway")) {
                p.unsupported(cp.field("whenUnsatisfiable"), action, "\"DoNotSchedule\", \"ScheduleAnyway\"");
            }
            if (!seen.add(key + "/" + action)) p.duplicate(cp, "{" + key + ", " + action + "}");
            Long minDomains = integer(c, "minDomains");
            if (minDomains != null && minDomains <= 0) p.invalid(cp.field("minDomains"), minDomains, "must be greater than 0");
            else if (minDomains != null && !action.equals("DoNotSchedule")) {
                p.invalid(cp.field("minDomains"), minDomains, "can only use minDomains if whenUnsatisfiable=DoNotSchedule, not " + action);
            }
            if (Fields.isMap(c.get("labelSelector"))) Meta.labelSelector(map(c, "labelSelector"), cp.field("labelSelector"), p);
        }
    }

    /** Volume names are unique DNS labels, and each volume has exactly one source; returns the names. */
    private static Set<String> volumes(List<Object> volumes, FieldPath path, Problems p) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < volumes.size(); i++) {
            Map<String, Object> v = map(volumes.get(i));
            FieldPath vp = path.index(i);
            uniqueLabel(text(v, "name"), vp.field("name"), names, p);
            int sources = 0;
            for (String key : v.keySet()) if (VOLUME_SOURCES.contains(key)) sources++;
            if (sources == 0) p.required(vp, "must specify a volume type");
            else if (sources > 1) p.forbidden(vp, "may not specify more than 1 volume type");
            Map<String, Object> cm = map(v, "configMap");
            for (String source : KEYED_SOURCES) {
                List<Object> items = list(map(v, source), "items");
                for (int j = 0; j < items.size(); j++) {
                    Map<String, Object> item = map(items.get(j));
                    FieldPath ip = vp.field(source).field("items").index(j);
                    String key = text(item, "key");
                    if (key.isEmpty()) p.required(ip.field("key"), "");
                    else p.check(ip.field("key"), key, Names.configMapKey(key));
                    String itemPath = text(item, "path");
                    if (itemPath.isEmpty()) p.required(ip.field("path"), "");
                    else p.check(ip.field("path"), itemPath, itemPath.startsWith("..") ? "must not start with '..'" : localDescendingPath(itemPath));
                }
            }
            String pvc = str(map(v, "persistentVolumeClaim"), "claimName");
            if (v.containsKey("persistentVolumeClaim") && (pvc == null || pvc.isEmpty())) p.required(vp.field("persistentVolumeClaim").field("claimName"), "");
            if (cm.containsKey("defaultMode")) fileMode(cm, vp.field("configMap"), p);
            if (map(v, "secret").containsKey("defaultMode")) fileMode(map(v, "secret"), vp.field("secret"), p);
        }
        return names;
    }

    private static void fileMode(Map<String, Object> source, FieldPath path, Problems p) {
        Long mode = integer(source, "defaultMode");
        if (mode != null && (mode < 0 || mode > 0777)) p.invalid(path.field("defaultMode"), mode, "must be a number between 0 and 0777 (octal), both inclusive");
    }

    /** A name that is required, a DNS label and unique among {@code names} (which it joins). */
    private static void uniqueLabel(String name, FieldPath path, Set<String> names, Problems p) {
        if (name.isEmpty()) p.required(path, "");
        else if (!names.add(name)) p.duplicate(path, name);
        else p.check(path, name, Names.dns1123Label(name));
    }

    /** validateLocalDescendingPath: relative, and no '..' element. */
    static String localDescendingPath(String path) {
        if (path.startsWith("/")) return "must be a relative path";
        for (String part : path.split("/", -1)) if (part.equals("..")) return "must not contain '..'";
        return null;
    }

    private static void container(Map<String, Object> c, FieldPath path, boolean init, Set<String> volumes, Set<String> names, Problems p) {
        String name = text(c, "name");
        uniqueLabel(name, path.field("name"), names, p);
        String image = str(c, "image");
        if (image != null && !image.isEmpty() && !image.strip().equals(image)) {
            p.invalid(path.field("image"), image, "must not have leading or trailing whitespace");
        }
        String pull = str(c, "imagePullPolicy");
        if (pull != null && !PULL_POLICIES.contains(pull)) {
            p.unsupported(path.field("imagePullPolicy"), pull, "\"Always\", \"IfNotPresent\", \"Never\"");
        }
        Set<String> portNames = ports(list(c, "ports"), path.field("ports"), p);
        env(list(c, "env"), path.field("env"), p);
        envFrom(list(c, "envFrom"), path.field("envFrom"), p);
        mounts(list(c, "volumeMounts"), path.field("volumeMounts"), volumes, p);
        resources(map(c, "resources"), path.field("resources"), p);
        Object restart = c.get("restartPolicy");
        boolean sidecar = false;
        if (restart != null) {
            if (!init) {
                p.forbidden(path.field("restartPolicy"), "may not be set for non-init containers");
            } else if (p.minor < SIDECARS) {
                // the API server drops the field while SidecarContainers is off: the sidecar would
                // run as an init container that never ends
                p.forbidden(path.field("restartPolicy"), "init containers with restartPolicy Always (sidecars) need Kubernetes 1."
                        + SIDECARS + " (SidecarContainers); before, the field is dropped and the pod never starts");
                sidecar = true;
            } else if (!"Always".equals(restart)) {
                p.unsupported(path.field("restartPolicy"), restart, "\"Always\"");
            } else {
                sidecar = true;
            }
        }
        for (String probe : PROBES) {
            if (!Fields.isMap(c.get(probe))) continue;
            if (init && !sidecar) {
                p.forbidden(path.field(probe), "may not be set for init containers without restartPolicy=Always");
                continue;
            }
            probe(map(c, probe), path.field(probe), !probe.equals("readinessProbe"), portNames, name, p);
        }
        if (init && !sidecar && Fields.isMap(c.get("lifecycle"))) {
            p.forbidden(path.field("lifecycle"), "may not be set for init containers without restartPolicy=Always");
        } else {
            Map<String, Object> lifecycle = map(c, "lifecycle");
            for (String hook : LIFECYCLE_HOOKS) {
                if (Fields.isMap(lifecycle.get(hook))) handlers(map(lifecycle, hook), path.field("lifecycle").field(hook), LIFECYCLE_HANDLERS, p);
            }
        }
        if (Fields.isMap(c.get("securityContext"))) Scheduling.securityContext(map(c, "securityContext"), path.field("securityContext"), false, p);
        String messagePolicy = str(c, "terminationMessagePolicy");
        if (messagePolicy != null && !messagePolicy.equals("File") && !messagePolicy.equals("FallbackToLogsOnError")) {
            p.unsupported(path.field("terminationMessagePolicy"), messagePolicy, "\"FallbackToLogsOnError\", \"File\"");
        }
    }

    /** Container ports: number required and valid, protocol supported, names IANA_SVC_NAME and unique; returns the names. */
    private static Set<String> ports(List<Object> ports, FieldPath path, Problems p) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            Map<String, Object> port = map(ports.get(i));
            FieldPath pp = path.index(i);
            String name = str(port, "name");
            if (name != null && !name.isEmpty()) {
                String problem = Names.portName(name);
                if (problem != null) p.invalid(pp.field("name"), name, problem);
                else if (!names.add(name)) p.duplicate(pp.field("name"), name);
            }
            Long number = integer(port, "containerPort");
            if (number == null || number == 0) p.required(pp.field("containerPort"), "");
            else if (Names.portNumber(number) != null) p.invalid(pp.field("containerPort"), number, Names.portNumber(number));
            Long host = integer(port, "hostPort");
            if (host != null && host != 0 && Names.portNumber(host) != null) p.invalid(pp.field("hostPort"), host, Names.portNumber(host));
            protocol(port, pp, p);
        }
        return names;
    }

    static void protocol(Map<String, Object> port, FieldPath path, Problems p) {
        String protocol = str(port, "protocol");
        if (protocol != null && !PROTOCOLS.contains(protocol)) p.unsupported(path.field("protocol"), protocol, "\"SCTP\", \"TCP\", \"UDP\"");
    }

    private static void env(List<Object> env, FieldPath path, Problems p) {
        for (int i = 0; i < env.size(); i++) {
            Map<String, Object> e = map(env.get(i));
            FieldPath ep = path.index(i);
            String name = text(e, "name");
            if (name.isEmpty()) p.required(ep.field("name"), "");
            else envName(ep.field("name"), name, p);
            Map<String, Object> from = map(e, "valueFrom");
            if (e.containsKey("valueFrom")) {
                if (!text(e, "value").isEmpty()) {
                    p.invalid(ep.field("valueFrom"), "", "may not be specified when `value` is not empty");
                }
                int sources = 0;
                for (String s : ENV_SOURCES) {
                    if (Fields.isMap(from.get(s))) sources++;
                }
                if (sources == 0) p.invalid(ep.field("valueFrom"), "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`");
                else if (sources > 1) p.invalid(ep.field("valueFrom"), "", "may not have more than one field specified at a time");
                for (String ref : KEY_REFS) {
                    if (!Fields.isMap(from.get(ref))) continue;
                    Map<String, Object> r = map(from, ref);
                    FieldPath rp = ep.field("valueFrom").field(ref);
                    String key = text(r, "key");
                    if (key.isEmpty()) p.required(rp.field("key"), "");
                    else p.check(rp.field("key"), key, Names.configMapKey(key));
                    String refName = text(r, "name");
                    if (refName.isEmpty()) p.required(rp.field("name"), "");
                    else p.check(rp.field("name"), refName, Names.dns1123Subdomain(refName));
                }
            }
        }
    }

    private static void envName(FieldPath path, String name, Problems p) {
        String problem = Names.envVarName(name, p.minor);
        if (problem == null) return;
        if (p.minor < Names.RELAXED_ENV_VAR_NAMES && Names.relaxedEnvVarName(name) == null) {
            problem += " (Kubernetes 1." + p.minor + "; from 1." + Names.RELAXED_ENV_VAR_NAMES
                    + " any printable ASCII character but '=' is allowed)";
        }
        p.invalid(path, name, problem);
    }

    private static void envFrom(List<Object> envFrom, FieldPath path, Problems p) {
        for (int i = 0; i < envFrom.size(); i++) {
            Map<String, Object> e = map(envFrom.get(i));
            FieldPath ep = path.index(i);
            String prefix = text(e, "prefix");
            if (!prefix.isEmpty()) envName(ep.field("prefix"), prefix, p);
            boolean cm = Fields.isMap(e.get("configMapRef"));
            boolean secret = Fields.isMap(e.get("secretRef"));
            if (cm && secret) p.invalid(ep, "", "may not have more than one field specified at a time");
            else if (!cm && !secret) p.invalid(ep, "", "must specify one of: `configMapRef` or `secretRef`");
            for (String ref : ENV_FROM_REFS) {
                if (!Fields.isMap(e.get(ref))) continue;
                String refName = text(map(e, ref), "name");
                if (refName.isEmpty()) p.required(ep.field(ref).field("name"), "");
                else p.check(ep.field(ref).field("name"), refName, Names.dns1123Subdomain(refName));
            }
        }
    }

    /** Volume mounts name a volume of the pod, each mountPath once; subPath stays inside the volume. */
    private static void mounts(List<Object> mounts, FieldPath path, Set<String> volumes, Problems p) {
        Set<String> paths = new HashSet<>();
        for (int i = 0; i < mounts.size(); i++) {
            Map<String, Object> m = map(mounts.get(i));
            FieldPath mp = path.index(i);
            String name = text(m, "name");
            if (name.isEmpty()) p.required(mp.field("name"), "");
            else if (!volumes.contains(name)) p.list().add(new Problems.Problem(mp.field("name").toString(),
                    "Not found: '" + name + "' (no volume of the pod has this name)", name, false));
            String mountPath = text(m, "mountPath");
            if (mountPath.isEmpty()) p.required(mp.field("mountPath"), "");
            else if (!paths.add(mountPath)) p.invalid(mp.field("mountPath"), mountPath, "must be unique");
            String subPath = text(m, "subPath");
            if (!subPath.isEmpty()) p.check(mp.field("subPath"), subPath, localDescendingPath(subPath));
            if (!subPath.isEmpty() && !text(m, "subPathExpr").isEmpty()) {
                p.invalid(mp.field("subPathExpr"), text(m, "subPathExpr"), "subPathExpr and subPath are mutually exclusive");
            }
        }
    }

    /**
     * ValidateResourceRequirements for a container: resource names, non-negative quantities,
     * requests at most the limits, and extended resources (not overcommitable) with a limit equal
     * to the request. Unparsable quantities are the schema check's.
     */
    static void resources(Map<String, Object> res, FieldPath path, Problems p) {
        Map<String, Object> limits = map(res, "limits");
        Map<String, Object> requests = map(res, "requests");
        for (Map.Entry<String, Object> e : limits.entrySet()) {
            FieldPath lp = path.field("limits").field(e.getKey());
            resourceName(e.getKey(), path.field("limits"), p);
            nonNegative(e.getValue(), lp, p);
        }
        for (Map.Entry<String, Object> e : requests.entrySet()) {
            String r = e.getKey();
            FieldPath rp = path.field("requests").field(r);
            resourceName(r, path.field("requests"), p);
            Quantity request = nonNegative(e.getValue(), rp, p);
            Object limitValue = limits.get(r);
            Quantity limit = Quantity.fromValue(limitValue).orElse(null);
            boolean overcommitable = overcommitable(r);
            if (request != null && limit != null) {
                if (overcommitable && request.compareTo(limit) > 0) {
                    p.invalid(rp, e.getValue(), "must be less than or equal to " + r + " limit of " + limitValue);
                } else if (!overcommitable && request.compareTo(limit) != 0) {
                    p.invalid(rp, e.getValue(), "must be equal to " + r + " limit of " + limitValue);
                }
            } else if (!overcommitable && limitValue == null) {
                p.forbidden(path.field("limits"), "Limit must be set for non overcommitable resources (" + r + ")");
            }
        }
    }

    private static Quantity nonNegative(Object value, FieldPath path, Problems p) {
        Quantity q = Quantity.fromValue(value).orElse(null);
        if (q != null && q.signum() < 0) p.invalid(path, value, "must be greater than or equal to 0");
        return q;
    }

    /** validateContainerResourceName: a qualified name; without a domain one of the standard ones or hugepages-*. */
    private static void resourceName(String name, FieldPath path, Problems p) {
        String problem = Names.qualifiedName(name);
        if (problem != null) {
            p.invalid(path, name, problem);
        } else if (!name.contains("/")) {
            if (!STANDARD_CONTAINER_RESOURCES.contains(name) && !name.startsWith("hugepages-")) {
                p.invalid(path, name, "must be a standard resource for containers");
            }
        } else if (!name.contains("kubernetes.io/") && (name.startsWith("requests.") || Names.qualifiedName("requests." + name) != null)) {
            p.invalid(path, name, "doesn't follow extended resource name standard");
        }
    }

    /** IsOvercommitAllowed: native resources (no domain, or kubernetes.io) other than hugepages. */
    private static boolean overcommitable(String name) {
        return (!name.contains("/") || name.contains("kubernetes.io/")) && !name.startsWith("hugepages-");
    }

    /**
     * A probe: exactly one handler; a port number or IANA port name; the thresholds; liveness and
     * startup probes succeed after one success. A named port that the container does not declare
     * is accepted by the API server but the kubelet cannot probe it (a liveness probe then
     * restarts the container for ever, a readiness probe never passes): an error all the same.
     */
    private static void probe(Map<String, Object> probe, FieldPath path, boolean successOne, Set<String> portNames, String container, Problems p) {
        handlers(probe, path, PROBE_HANDLERS, p);
        for (String h : PORT_HANDLERS) {
            if (!Fields.isMap(probe.get(h))) continue;
            Object port = map(probe, h).get("port");
            FieldPath pp = path.field(h).field("port");
            portNumberOrName(port, pp, p);
            if (port instanceof String s && Names.portName(s) == null && !portNames.contains(s)) {
                p.cannotWork(pp, s, "container " + container + " has no port named '" + s
                        + "': the API server accepts the probe, but the kubelet cannot run it");
            }
        }
        if (Fields.isMap(probe.get("httpGet"))) {
            String scheme = str(map(probe, "httpGet"), "scheme");
            if (scheme != null && !scheme.equals("HTTP") && !scheme.equals("HTTPS")) {
                p.unsupported(path.field("httpGet").field("scheme"), scheme, "\"HTTP\", \"HTTPS\"");
            }
        }
        if (Fields.isMap(probe.get("grpc"))) {
            Long port = integer(map(probe, "grpc"), "port");
            if (port != null && Names.portNumber(port) != null) p.invalid(path.field("grpc").field("port"), port, Names.portNumber(port));
        }
        for (String f : PROBE_NUMBERS) {
            nonNegative(probe, f, path, p);
        }
        Long success = integer(probe, "successThreshold");
        if (successOne && success != null && success != 0 && success != 1) p.invalid(path.field("successThreshold"), success, "must be 1");
        Long grace = integer(probe, "terminationGracePeriodSeconds");
        if (grace != null && grace <= 0) p.invalid(path.field("terminationGracePeriodSeconds"), grace, "must be greater than 0");
    }

    /** validateHandler: exactly one of the handler types, an exec with a command. */
    private static void handlers(Map<String, Object> handler, FieldPath path, List<String> types, Problems p) {
        int handlers = 0;
        for (String h : types) {
            if (!Fields.isMap(handler.get(h))) continue;
            handlers++;
            if (handlers > 1) p.forbidden(path.field(h), "may not specify more than 1 handler type");
        }
        if (handlers == 0) p.required(path, "must specify a handler type");
        if (Fields.isMap(handler.get("exec")) && list(map(handler, "exec"), "command").isEmpty()) {
            p.required(path.field("exec").field("command"), "");
        }
    }

    /** ValidatePortNumOrName: an integer 1..65535 or an IANA_SVC_NAME. */
    static void portNumberOrName(Object port, FieldPath path, Problems p) {
        if (port instanceof String s) p.check(path, s, Names.portName(s));
        else if (port instanceof Number n) p.check(path, String.valueOf(n), Names.portNumber(n.longValue()));
    }

    static void nonNegative(Map<String, Object> m, String field, FieldPath path, Problems p) {
        Long v = integer(m, field);
        if (v != null && v < 0) p.invalid(path.field(field), v, "must be greater than or equal to 0");
    }
}
