package dev.plinth.gitops;

import dev.plinth.check.k8s.ResourceNames;
import dev.plinth.values.LabelSelectors;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a service account may do on a cluster, as Kubernetes RBAC decides it: the RoleBindings
 * and ClusterRoleBindings naming it, the Roles and ClusterRoles they refer to, ClusterRole
 * aggregation, and the built-in {@code admin}, {@code edit} and {@code view} roles as the API
 * server bootstraps them (kubernetes {@code plugin/pkg/auth/authorizer/rbac/bootstrappolicy}):
 * {@code admin} is {@code edit} plus Roles and RoleBindings, {@code edit} writes the built-in
 * workload, service, config and network kinds, and neither writes ResourceQuotas, LimitRanges,
 * Endpoints, EndpointSlices or any custom resource unless a ClusterRole labelled
 * {@code rbac.authorization.k8s.io/aggregate-to-admin} (or {@code -edit}) grants it.
 *
 * <p>Only RBAC objects the model is given count (Plinth's render of the cluster and the GitOps
 * objects for it): a ClusterRole that an operator installs on the cluster is not known.
 */
final class KubeRbac {
    static final String ADMIN_LABEL = "rbac.authorization.k8s.io/aggregate-to-admin";
    static final String EDIT_LABEL = "rbac.authorization.k8s.io/aggregate-to-edit";
    static final String VIEW_LABEL = "rbac.authorization.k8s.io/aggregate-to-view";

    private static final List<String> READ = List.of("get", "list", "watch");
    private static final List<String> WRITE = List.of("create", "update", "patch", "delete", "deletecollection");

    /** One policy rule; "*" as in RBAC. */
    record Rule(List<String> apiGroups, List<String> resources, List<String> verbs, List<String> resourceNames) {
        boolean allows(String verb, String group, String resource, String name) {
            return (verbs.contains("*") || verbs.contains(verb))
                    && (apiGroups.contains("*") || apiGroups.contains(group))
                    && (resources.contains("*") || resources.contains(resource))
                    && (resourceNames.isEmpty() || (name != null && resourceNames.contains(name)));
        }

        @SuppressWarnings("unchecked")
        static Rule of(Map<?, ?> m) {
            return new Rule(strings(m.get("apiGroups")), strings(m.get("resources")), strings(m.get("verbs")), strings(m.get("resourceNames")));
        }
    }

    /** A Role or ClusterRole: its rules, labels and aggregation's label selectors. */
    record Role(String kind, String namespace, String name, List<Rule> rules, Map<String, String> labels,
                List<Object> aggregation) {
    }

    /** A binding of a role to subjects; namespace null for a ClusterRoleBinding. */
    record Binding(String namespace, String roleKind, String roleName, List<String> serviceAccounts) {
    }

    /** The built-in aggregated roles and what their bootstrap parts grant. */
    private static final List<Rule> AGGREGATE_TO_ADMIN = List.of(
            rule(List.of("authorization.k8s.io"), List.of("localsubjectaccessreviews"), List.of("create")),
            rule(List.of("rbac.authorization.k8s.io"), List.of("rolebindings", "roles"), concat(READ, WRITE)));
    private static final List<Rule> AGGREGATE_TO_EDIT = List.of(
            rule(List.of(""), List.of("pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "secrets", "services/proxy"), READ),
            rule(List.of(""), List.of("serviceaccounts"), List.of("impersonate")),
            rule(List.of(""), List.of("pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy"), WRITE),
            rule(List.of(""), List.of("pods/eviction"), List.of("create")),
            rule(List.of(""), List.of("configmaps", "events", "persistentvolumeclaims", "replicationcontrollers",
                    "replicationcontrollers/scale", "secrets", "serviceaccounts", "services", "services/proxy"), WRITE),
            rule(List.of(""), List.of("serviceaccounts/token"), List.of("create")),
            rule(List.of("apps"), List.of("daemonsets", "deployments", "deployments/rollback", "deployments/scale", "replicasets",
                    "replicasets/scale", "statefulsets", "statefulsets/scale"), WRITE),
            rule(List.of("autoscaling"), List.of("horizontalpodautoscalers"), WRITE),
            rule(List.of("batch"), List.of("cronjobs", "jobs"), WRITE),
            rule(List.of("extensions"), List.of("daemonsets", "deployments", "deployments/rollback", "deployments/scale", "ingresses",
                    "networkpolicies", "replicasets", "replicasets/scale", "replicationcontrollers/scale"), WRITE),
            rule(List.of("policy"), List.of("poddisruptionbudgets"), WRITE),
            rule(List.of("networking.k8s.io"), List.of("ingresses", "networkpolicies"), WRITE),
            rule(List.of("coordination.k8s.io"), List.of("leases"), concat(READ, WRITE)));
    private static final List<Rule> AGGREGATE_TO_VIEW = List.of(
            rule(List.of(""), List.of("configmaps", "endpoints", "persistentvolumeclaims", "persistentvolumeclaims/status", "pods",
                    "replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts", "services", "services/status",
                    "bindings", "events", "limitranges", "namespaces/status", "pods/log", "pods/status",
                    "replicationcontrollers/status", "resourcequotas", "resourcequotas/status", "namespaces"), READ),
            rule(List.of("discovery.k8s.io"), List.of("endpointslices"), READ),
            rule(List.of("apps"), List.of("controllerrevisions", "daemonsets", "daemonsets/status", "deployments", "deployments/scale",
                    "deployments/status", "replicasets", "replicasets/scale", "replicasets/status", "statefulsets", "statefulsets/scale",
                    "statefulsets/status"), READ),
            rule(List.of("autoscaling"), List.of("horizontalpodautoscalers", "horizontalpodautoscalers/status"), READ),
            rule(List.of("batch"), List.of("cronjobs", "cronjobs/status", "jobs", "jobs/status"), READ),
            rule(List.of("extensions"), List.of("daemonsets", "daemonsets/status", "deployments", "deployments/scale",
                    "deployments/status", "ingresses", "ingresses/status", "networkpolicies", "replicasets", "replicasets/scale",
                    "replicasets/status", "replicationcontrollers/scale"), READ),
            rule(List.of("policy"), List.of("poddisruptionbudgets", "poddisruptionbudgets/status"), READ),
            rule(List.of("networking.k8s.io"), List.of("ingresses", "ingresses/status", "networkpolicies"), READ));

    private final List<Role> roles = new ArrayList<>();
    /** Bindings by the service accounts they name ("namespace:name"). */
    private final Map<String, List<Binding>> bindingsBySubject = new HashMap<>();
    /** The rules an account holds, by "subject namespace" (namespace "" for cluster-wide only). */
    private final Map<String, List<Rule>> heldRules = new HashMap<>();
    private final Map<String, List<Rule>> clusterRoleRules = new HashMap<>();

    /** Adds an RBAC object of the cluster (others are ignored). */
    void add(Map<?, ?> body) {
        String kind = String.valueOf(body.get("kind"));
        String apiVersion = String.valueOf(body.get("apiVersion"));
        if (!apiVersion.startsWith("rbac.authorization.k8s.io/")) return;
        Map<?, ?> meta = body.get("metadata") instanceof Map<?, ?> m ? m : Map.of();
        String name = String.valueOf(meta.get("name"));
        String namespace = meta.get("namespace") == null ? null : String.valueOf(meta.get("namespace"));
        switch (kind) {
            case "Role", "ClusterRole" -> {
                List<Rule> rules = new ArrayList<>();
                if (body.get("rules") instanceof List<?> l) for (Object r : l) if (r instanceof Map<?, ?> rm) rules.add(Rule.of(rm));
                Map<String, String> labels = new HashMap<>();
                if (meta.get("labels") instanceof Map<?, ?> lm) lm.forEach((k, v) -> labels.put(String.valueOf(k), String.valueOf(v)));
                List<Object> selectors = new ArrayList<>();
                if (body.get("aggregationRule") instanceof Map<?, ?> ar && ar.get("clusterRoleSelectors") instanceof List<?> sel) {
                    selectors.addAll(sel);
                }
                roles.add(new Role(kind, kind.equals("Role") ? namespace : null, name, rules, labels, selectors));
                clusterRoleRules.clear();
                heldRules.clear();
            }
            case "RoleBinding", "ClusterRoleBinding" -> {
                Map<?, ?> ref = body.get("roleRef") instanceof Map<?, ?> r ? r : Map.of();
                List<String> sas = new ArrayList<>();
                if (body.get("subjects") instanceof List<?> l) {
                    for (Object s : l) {
                        if (s instanceof Map<?, ?> sm && "ServiceAccount".equals(sm.get("kind"))) {
                            Object ns = sm.get("namespace") != null ? sm.get("namespace") : namespace;
                            sas.add(ns + ":" + sm.get("name"));
                        }
                    }
                }
                Binding b = new Binding(kind.equals("RoleBinding") ? namespace : null, String.valueOf(ref.get("kind")),
                        String.valueOf(ref.get("name")), sas);
                for (String sa : sas) bindingsBySubject.computeIfAbsent(sa, k -> new ArrayList<>()).add(b);
                heldRules.clear();
            }
            default -> {
            }
        }
    }

    /**
     * May the service account {@code saNamespace:saName} do {@code verb} on a resource of
     * {@code group} in {@code namespace} (null for a cluster-scoped object)?
     */
    boolean allows(String saNamespace, String saName, String verb, String group, String resource, String namespace, String name) {
        for (Rule r : rulesOf(saNamespace, saName, namespace)) {
            if (r.allows(verb, group, resource, name)) return true;
        }
        return false;
    }

    /** Every rule the account holds in a namespace (null: cluster-wide rules only). */
    List<Rule> rulesOf(String saNamespace, String saName, String namespace) {
        String subject = saNamespace + ":" + saName;
        return heldRules.computeIfAbsent(subject + " " + (namespace == null ? "" : namespace), k -> {
            List<Rule> out = new ArrayList<>();
            for (Binding b : bindingsBySubject.getOrDefault(subject, List.of())) {
                if (b.namespace() != null && !b.namespace().equals(namespace)) continue;
                out.addAll(rulesOfRef(b.roleKind(), b.roleName(), b.namespace()));
            }
            return out;
        });
    }

    /** The rules a binding's roleRef stands for; empty for a role the model does not know. */
    List<Rule> rulesOfRef(String kind, String name, String namespace) {
        if (kind.equals("Role")) {
            List<Rule> out = new ArrayList<>();
            for (Role r : roles) if (r.kind().equals("Role") && r.name().equals(name) && r.namespace() != null && r.namespace().equals(namespace)) out.addAll(r.rules());
            return out;
        }
        return clusterRole(name, new LinkedHashSet<>());
    }

    /** True when the model knows a ClusterRole of this name (built in or given). */
    boolean knowsClusterRole(String name) {
        return isBuiltIn(name) || roles.stream().anyMatch(r -> r.kind().equals("ClusterRole") && r.name().equals(name));
    }

    private static boolean isBuiltIn(String name) {
        return name.equals("admin") || name.equals("edit") || name.equals("view") || name.equals("cluster-admin");
    }

    private List<Rule> clusterRole(String name, Set<String> visiting) {
        List<Rule> cached = clusterRoleRules.get(name);
        if (cached != null) return cached;
        if (!visiting.add(name)) return List.of();
        List<Rule> out = new ArrayList<>();
        switch (name) {
            case "cluster-admin" -> out.add(rule(List.of("*"), List.of("*"), List.of("*")));
            // admin aggregates aggregate-to-admin roles, among them edit (labelled so), which aggregates
            // aggregate-to-edit roles, among them view's parts
            case "admin" -> {
                out.addAll(AGGREGATE_TO_ADMIN);
                out.addAll(clusterRole("edit", visiting));
                out.addAll(aggregated(Map.of("matchLabels", Map.of(ADMIN_LABEL, "true")), visiting));
            }
            case "edit" -> {
                out.addAll(AGGREGATE_TO_EDIT);
                out.addAll(AGGREGATE_TO_VIEW); // edit carries aggregate-to-view's rules through view's aggregation
                out.addAll(aggregated(Map.of("matchLabels", Map.of(EDIT_LABEL, "true")), visiting));
                out.addAll(aggregated(Map.of("matchLabels", Map.of(VIEW_LABEL, "true")), visiting));
            }
            case "view" -> {
                out.addAll(AGGREGATE_TO_VIEW);
                out.addAll(aggregated(Map.of("matchLabels", Map.of(VIEW_LABEL, "true")), visiting));
            }
            default -> {
                for (Role r : roles) {
                    if (!r.kind().equals("ClusterRole") || !r.name().equals(name)) continue;
                    out.addAll(r.rules());
                    for (Object selector : r.aggregation()) out.addAll(aggregated(selector, visiting));
                }
            }
        }
        visiting.remove(name);
        clusterRoleRules.put(name, out);
        return out;
    }

    /**
     * The rules of the given ClusterRoles whose labels match the selector (an empty one is taken
     * to match none: the model then reports a missing permission rather than assume one).
     */
    private List<Rule> aggregated(Object selector, Set<String> visiting) {
        List<Rule> out = new ArrayList<>();
        for (Role r : roles) {
            if (!r.kind().equals("ClusterRole") || visiting.contains(r.name()) || isBuiltIn(r.name())) continue;
            boolean matches = !LabelSelectors.isEmpty(selector) && LabelSelectors.matches(selector, r.labels());
            if (matches) out.addAll(clusterRole(r.name(), visiting));
        }
        return out;
    }

    /** The resource (plural) the API server serves a kind as (see {@link ResourceNames#resourceOf}). */
    static String resourceOf(String kind, String crdPlural) {
        return ResourceNames.resourceOf(kind, crdPlural);
    }

    private static Rule rule(List<String> groups, List<String> resources, List<String> verbs) {
        return new Rule(groups, resources, verbs, List.of());
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static List<String> strings(Object v) {
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> l) for (Object o : l) out.add(String.valueOf(o));
        return out;
    }
}
