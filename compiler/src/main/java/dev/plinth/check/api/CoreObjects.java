package dev.plinth.check.api;

import dev.plinth.values.LabelSelectors;

import dev.plinth.values.FieldPath;

import java.math.BigDecimal;
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
import java.math.RoundingMode;
import java.util.TreeSet;

/** The core (v1) kinds other than pods' specs: Pod, Service, ConfigMap, Secret, ResourceQuota, LimitRange, PVC. */
final class CoreObjects {
    /** MaxSecretSize: the data of a ConfigMap or Secret together. */
    static final int MAX_DATA_BYTES = 1024 * 1024;
    private static final FieldPath SPEC = FieldPath.ROOT.field("spec");
    private static final Set<String> SERVICE_TYPES = Set.of("ClusterIP", "NodePort", "LoadBalancer", "ExternalName");
    private static final Set<String> QUOTA_RESOURCES = Set.of("pods", "services", "replicationcontrollers", "resourcequotas",
            "secrets", "configmaps", "persistentvolumeclaims", "services.nodeports", "services.loadbalancers", "cpu", "memory",
            "ephemeral-storage", "requests.cpu", "requests.memory", "requests.ephemeral-storage", "requests.storage",
            "limits.cpu", "limits.memory", "limits.ephemeral-storage");
    private static final Set<String> QUOTA_SCOPES = Set.of("Terminating", "NotTerminating", "BestEffort", "NotBestEffort",
            "PriorityClass", "CrossNamespacePodAffinity", "VolumeAttributesClass");

    private CoreObjects() {
    }

    static void validate(String kind, Map<String, Object> body, Problems p) {
        switch (kind) {
            case "Pod" -> {
                Map<String, Object> spec = map(body, "spec");
                PodSpecs.podSpec(spec, SPEC, p);
                for (String field : new String[] {"initContainers", "containers"}) {
                    List<Object> cs = list(spec, field);
                    for (int i = 0; i < cs.size(); i++) {
                        if (text(map(cs.get(i)), "image").isEmpty()) p.required(SPEC.field(field).index(i).field("image"), "");
                    }
                }
            }
            case "PodTemplate" -> PodSpecs.template(map(body, "template"), FieldPath.ROOT.field("template"), Set.of("Always", "OnFailure", "Never"), p);
            case "ReplicationController" -> {
                Map<String, Object> spec = map(body, "spec");
                PodSpecs.nonNegative(spec, "replicas", SPEC, p);
                Map<String, Object> selector = map(spec, "selector");
                Meta.labels(selector, SPEC.field("selector"), p);
                Map<String, Object> labels = map(map(map(spec, "template"), "metadata"), "labels");
                if (!selector.isEmpty() && !LabelSelectors.matches(Map.of("matchLabels", selector), labels)) {
                    p.invalid(SPEC.field("template").field("metadata").field("labels"), labels, "`selector` does not match template `labels`");
                }
                PodSpecs.template(map(spec, "template"), SPEC.field("template"), Apps.ALWAYS, p);
            }
            case "Service" -> service(map(body, "spec"), p);
            case "ConfigMap" -> configMap(body, p);
            case "Secret" -> secret(body, p);
            case "ResourceQuota" -> resourceQuota(map(body, "spec"), p);
            case "LimitRange" -> limitRange(map(body, "spec"), p);
            case "PersistentVolumeClaim" -> {
                Map<String, Object> spec = map(body, "spec");
                if (list(spec, "accessModes").isEmpty()) p.required(SPEC.field("accessModes"), "at least 1 access mode is required");
                for (Object m : list(spec, "accessModes")) {
                    if (!Set.of("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod").contains(String.valueOf(m))) {
                        p.unsupported(SPEC.field("accessModes"), m, "\"ReadOnlyMany\", \"ReadWriteMany\", \"ReadWriteOnce\", \"ReadWriteOncePod\"");
                    }
                }
                Object request = map(map(spec, "resources"), "requests").get("storage");
                FieldPath rp = SPEC.field("resources").field("requests").field("storage");
                if (request == null) p.required(rp, "");
                else if (Quantity.fromValue(request).filter(q -> q.signum() <= 0).isPresent()) p.invalid(rp, request, "must be greater than zero");
            }
            default -> {
            }
        }
    }

    /** ValidateService: type, ports (names, numbers, protocols, target ports, node ports), clusterIP None, selector labels. */
    private static void service(Map<String, Object> spec, Problems p) {
        String type = spec.get("type") instanceof String s ? s : "ClusterIP";
        if (!SERVICE_TYPES.contains(type)) p.unsupported(SPEC.field("type"), type, "\"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"");
        String clusterIP = text(spec, "clusterIP");
        boolean headless = clusterIP.equals("None");
        List<Object> ports = list(spec, "ports");
        if (type.equals("ExternalName")) {
            String external = text(spec, "externalName");
            if (external.isEmpty()) p.required(SPEC.field("externalName"), "");
            else p.check(SPEC.field("externalName"), external, Names.dns1123Subdomain(external.endsWith(".") ? external.substring(0, external.length() - 1) : external));
            if (!clusterIP.isEmpty()) p.forbidden(SPEC.field("clusterIP"), "may not be set for ExternalName services");
        } else if (ports.isEmpty() && !headless) {
            p.required(SPEC.field("ports"), "");
        }
        if (headless && (type.equals("NodePort") || type.equals("LoadBalancer"))) {
            p.invalid(SPEC.field("clusterIP"), clusterIP, "may not be set to 'None' for " + type + " services");
        }
        if (!clusterIP.isEmpty() && !headless && !isIp(clusterIP)) {
            p.invalid(SPEC.field("clusterIP"), clusterIP, "must be empty, 'None', or a valid IP address");
        }
        Set<String> names = new HashSet<>();
        Set<String> portProtocols = new HashSet<>();
        boolean requireName = ports.size() > 1;
        for (int i = 0; i < ports.size(); i++) {
            Map<String, Object> port = map(ports.get(i));
            FieldPath pp = SPEC.field("ports").index(i);
            String name = text(port, "name");
            if (requireName && name.isEmpty()) {
                p.required(pp.field("name"), "");
            } else if (!name.isEmpty()) {
                String problem = Names.dns1123Label(name);
                if (problem != null) p.invalid(pp.field("name"), name, problem);
                else if (!names.add(name)) p.duplicate(pp.field("name"), name);
            }
            Long number = integer(port, "port");
            if (number == null) p.required(pp.field("port"), "");
            else if (Names.portNumber(number) != null) p.invalid(pp.field("port"), number, Names.portNumber(number));
            PodSpecs.protocol(port, pp, p);
            String protocol = port.get("protocol") instanceof String s ? s : "TCP";
            if (number != null && !portProtocols.add(number + "/" + protocol)) p.duplicate(pp, number + "/" + protocol);
            Object target = port.get("targetPort");
            if (target != null && !(target instanceof Number n && n.longValue() == 0)) PodSpecs.portNumberOrName(target, pp.field("targetPort"), p);
            Long nodePort = integer(port, "nodePort");
            if (nodePort != null && nodePort != 0) {
                if (!type.equals("NodePort") && !type.equals("LoadBalancer")) {
                    p.forbidden(pp.field("nodePort"), "may not be used when `type` is '" + type + "'");
                } else if (Names.portNumber(nodePort) != null) {
                    p.invalid(pp.field("nodePort"), nodePort, Names.portNumber(nodePort));
                }
            }
        }
        if (!type.equals("ExternalName")) Meta.labels(map(spec, "selector"), SPEC.field("selector"), p);
        String affinity = str(spec, "sessionAffinity");
        if (affinity != null && !affinity.equals("None") && !affinity.equals("ClientIP")) {
            p.unsupported(SPEC.field("sessionAffinity"), affinity, "\"ClientIP\", \"None\"");
        }
        String etp = str(spec, "externalTrafficPolicy");
        if (etp != null && !etp.isEmpty()) {
            boolean external = type.equals("NodePort") || type.equals("LoadBalancer") || type.equals("ClusterIP") && !list(spec, "externalIPs").isEmpty();
            if (!external) {
                p.invalid(SPEC.field("externalTrafficPolicy"), etp, "may only be set for externally-accessible services");
            } else if (!etp.equals("Cluster") && !etp.equals("Local")) {
                p.unsupported(SPEC.field("externalTrafficPolicy"), etp, "\"Cluster\", \"Local\"");
            }
        }
    }

    static boolean isIp(String s) {
        return Ips.isIp(s);
    }

    /** ConfigMap: keys valid, none both in data and binaryData, at most 1 MiB together. */
    private static void configMap(Map<String, Object> body, Problems p) {
        Map<String, Object> data = map(body, "data");
        Map<String, Object> binary = map(body, "binaryData");
        long size = 0;
        for (Map.Entry<String, Object> e : data.entrySet()) {
            p.check(FieldPath.ROOT.field("data").field(e.getKey()), e.getKey(), Names.configMapKey(e.getKey()));
            size += e.getValue() == null ? 0 : Meta.utf8Length(String.valueOf(e.getValue()));
        }
        for (Map.Entry<String, Object> e : binary.entrySet()) {
            FieldPath kp = FieldPath.ROOT.field("binaryData").field(e.getKey());
            p.check(kp, e.getKey(), Names.configMapKey(e.getKey()));
            if (data.containsKey(e.getKey())) p.invalid(kp, e.getKey(), "duplicate of key present in data");
            size += decodedLength(e.getValue());
        }
        if (size > MAX_DATA_BYTES) {
            p.list().add(new Problems.Problem("", "Too long: may not be more than " + MAX_DATA_BYTES + " bytes (data and binaryData take "
                    + size + ")", null, false));
        }
    }

    /** Secret: keys of data and stringData valid, at most 1 MiB together, and the keys its type requires. */
    private static void secret(Map<String, Object> body, Problems p) {
        Map<String, Object> data = map(body, "data");
        Map<String, Object> stringData = map(body, "stringData");
        Map<String, Long> sizes = new HashMap<>();
        for (Map.Entry<String, Object> e : data.entrySet()) {
            p.check(FieldPath.ROOT.field("data").field(e.getKey()), e.getKey(), Names.configMapKey(e.getKey()));
            sizes.put(e.getKey(), decodedLength(e.getValue()));
        }
        for (Map.Entry<String, Object> e : stringData.entrySet()) {
            p.check(FieldPath.ROOT.field("stringData").field(e.getKey()), e.getKey(), Names.configMapKey(e.getKey()));
            sizes.put(e.getKey(), e.getValue() == null ? 0 : Meta.utf8Length(String.valueOf(e.getValue()))); // stringData wins
        }
        long size = sizes.values().stream().mapToLong(Long::longValue).sum();
        if (size > MAX_DATA_BYTES) {
            p.list().add(new Problems.Problem("data", "Too long: may not be more than " + MAX_DATA_BYTES + " bytes (data takes " + size + ")", null, false));
        }
        String type = text(body, "type");
        List<String> needs = switch (type) {
            case "kubernetes.io/tls" -> List.of("tls.crt", "tls.key");
            case "kubernetes.io/dockerconfigjson" -> List.of(".dockerconfigjson");
            case "kubernetes.io/dockercfg" -> List.of(".dockercfg");
            case "kubernetes.io/ssh-auth" -> List.of("ssh-privatekey");
            default -> List.of();
        };
        for (String key : needs) if (!sizes.containsKey(key)) p.required(FieldPath.ROOT.field("data").field(key), "");
        if (type.equals("kubernetes.io/basic-auth") && !sizes.containsKey("username") && !sizes.containsKey("password")) {
            p.required(FieldPath.ROOT.field("data").field("username"), "either username or password is required");
        }
        if (type.equals("kubernetes.io/service-account-token")
                && text(map(map(body, "metadata"), "annotations"), "kubernetes.io/service-account.name").isEmpty()) {
            p.required(FieldPath.ROOT.field("metadata").field("annotations").field("kubernetes.io/service-account.name"), "");
        }
    }

    /** The bytes a base64 value stands for, worked out from its length (whitespace and padding left out). */
    private static long decodedLength(Object v) {
        if (v == null) return 0;
        String s = String.valueOf(v);
        long chars = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '=' && !Character.isWhitespace(c)) chars++;
        }
        return chars * 3 / 4;
    }

    /** ResourceQuota: resource names (standard, or qualified with a domain), quantities not negative, scopes. */
    private static void resourceQuota(Map<String, Object> spec, Problems p) {
        for (Map.Entry<String, Object> e : map(spec, "hard").entrySet()) {
            String r = e.getKey();
            FieldPath hp = SPEC.field("hard");
            String problem = Names.qualifiedName(r);
            if (problem != null) p.invalid(hp, r, problem);
            else if (!r.contains("/") && !QUOTA_RESOURCES.contains(r) && !r.startsWith("hugepages-") && !r.startsWith("requests.hugepages-")) {
                p.invalid(hp, r, "must be a standard resource for quota");
            }
            if (Quantity.fromValue(e.getValue()).filter(q -> q.signum() < 0).isPresent()) {
                p.invalid(hp.field(r), e.getValue(), "must be greater than or equal to 0");
            }
        }
        List<Object> scopes = list(spec, "scopes");
        for (int i = 0; i < scopes.size(); i++) {
            String s = String.valueOf(scopes.get(i));
            if (!QUOTA_SCOPES.contains(s)) p.unsupported(SPEC.field("scopes").index(i), s, PodSpecs.quoted(QUOTA_SCOPES));
        }
    }

    /**
     * LimitRange: one entry per type; per resource min &lt;= defaultRequest &lt;= default &lt;= max,
     * min &lt;= max, maxLimitRequestRatio at least 1; Pod entries have no defaults.
     */
    private static void limitRange(Map<String, Object> spec, Problems p) {
        List<Object> limits = list(spec, "limits");
        Set<String> types = new HashSet<>();
        for (int i = 0; i < limits.size(); i++) {
            Map<String, Object> l = map(limits.get(i));
            FieldPath lp = SPEC.field("limits").index(i);
            String type = text(l, "type");
            if (!types.add(type)) p.duplicate(lp.field("type"), type);
            if (!Set.of("Pod", "Container", "PersistentVolumeClaim").contains(type) && Names.qualifiedName(type) != null) {
                p.invalid(lp.field("type"), type, Names.qualifiedName(type));
            }
            Map<String, Object> min = map(l, "min");
            Map<String, Object> max = map(l, "max");
            Map<String, Object> def = map(l, "default");
            Map<String, Object> defReq = map(l, "defaultRequest");
            Map<String, Object> ratio = map(l, "maxLimitRequestRatio");
            if (type.equals("Pod")) {
                if (!def.isEmpty()) p.forbidden(lp.field("default"), "may not be specified when `type` is 'Pod'");
                if (!defReq.isEmpty()) p.forbidden(lp.field("defaultRequest"), "may not be specified when `type` is 'Pod'");
            }
            Set<String> resources = new TreeSet<>();
            for (Map<String, Object> m : List.of(min, max, def, defReq, ratio)) resources.addAll(m.keySet());
            for (String r : resources) {
                // each pair: the lower bound, the upper bound, where the finding goes
                Bound mn = new Bound("min value", min, "min", r);
                Bound mx = new Bound("max value", max, "max", r);
                Bound d = new Bound("default value", def, "default", r);
                Bound dr = new Bound("default request value", defReq, "defaultRequest", r);
                notAbove(mn, mx, mn, lp, p);
                notAbove(mn, dr, dr, lp, p);
                notAbove(dr, mx, dr, lp, p);
                notAbove(dr, new Bound("default limit value", def, "default", r), dr, lp, p);
                notAbove(mn, d, d, lp, p);
                notAbove(d, mx, d, lp, p);
                BigDecimal ra = Quantity.fromValue(ratio.get(r)).map(Quantity::amount).orElse(null);
                if (ra != null && ra.compareTo(BigDecimal.ONE) < 0) {
                    p.invalid(lp.field("maxLimitRequestRatio").field(r), ratio.get(r), "ratio " + ratio.get(r) + " is less than 1");
                }
                if (ra != null && mn.amount != null && mx.amount != null && mn.amount.signum() > 0) {
                    BigDecimal most = mx.amount.divide(mn.amount, 6, RoundingMode.HALF_UP);
                    if (ra.compareTo(most) > 0) {
                        p.invalid(lp.field("maxLimitRequestRatio").field(r), ratio.get(r), "ratio " + ratio.get(r) + " is greater than max/min = "
                                + most.stripTrailingZeros().toPlainString());
                    }
                }
            }
        }
    }

    /** One of a LimitRange entry's values for a resource: what the API server calls it, as written and as an amount. */
    private record Bound(String label, Object written, BigDecimal amount, String field, String resource) {
        Bound(String label, Map<String, Object> values, String field, String resource) {
            this(label, values.get(resource), Quantity.fromValue(values.get(resource)).map(Quantity::amount).orElse(null), field, resource);
        }
    }

    /** "{low} is greater than {high}", at {at}'s field, when both are set and low exceeds high. */
    private static void notAbove(Bound low, Bound high, Bound at, FieldPath entry, Problems p) {
        if (low.amount == null || high.amount == null || low.amount.compareTo(high.amount) <= 0) return;
        p.invalid(entry.field(at.field).field(at.resource), at.written,
                low.label + " " + low.written + " is greater than " + high.label + " " + high.written);
    }
}
