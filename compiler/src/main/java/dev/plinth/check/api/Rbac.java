package dev.plinth.check.api;

import dev.plinth.values.FieldPath;

import java.util.List;
import java.util.Map;

import static dev.plinth.check.api.Fields.list;
import static dev.plinth.check.api.Fields.map;
import static dev.plinth.check.api.Fields.text;

/** rbac.authorization.k8s.io/v1: Role, ClusterRole, RoleBinding, ClusterRoleBinding (rbac validation). */
final class Rbac {
    static final String GROUP = "rbac.authorization.k8s.io";

    private Rbac() {
    }

    static void validate(String kind, Map<String, Object> body, Problems p) {
        switch (kind) {
            case "Role" -> rules(list(body, "rules"), true, p);
            case "ClusterRole" -> {
                if (!Fields.isMap(body.get("aggregationRule"))) rules(list(body, "rules"), false, p);
                List<Object> selectors = list(map(body, "aggregationRule"), "clusterRoleSelectors");
                if (Fields.isMap(body.get("aggregationRule")) && selectors.isEmpty()) {
                    p.required(FieldPath.ROOT.field("aggregationRule").field("clusterRoleSelectors"), "at least one clusterRoleSelector required if aggregationRule is non-nil");
                }
                for (int i = 0; i < selectors.size(); i++) {
                    Meta.labelSelector(map(selectors.get(i)), FieldPath.ROOT.field("aggregationRule").field("clusterRoleSelectors").index(i), p);
                }
            }
            case "RoleBinding" -> binding(body, true, p);
            case "ClusterRoleBinding" -> binding(body, false, p);
            default -> {
            }
        }
    }

    /** ValidatePolicyRule: verbs; resource rules need API groups; non-resource URLs only in ClusterRoles and alone. */
    private static void rules(List<Object> rules, boolean namespaced, Problems p) {
        for (int i = 0; i < rules.size(); i++) {
            Map<String, Object> r = map(rules.get(i));
            FieldPath rp = FieldPath.ROOT.field("rules").index(i);
            if (list(r, "verbs").isEmpty()) p.required(rp.field("verbs"), "verbs must contain at least one value");
            boolean urls = !list(r, "nonResourceURLs").isEmpty();
            if (urls) {
                if (namespaced) {
                    p.invalid(rp.field("nonResourceURLs"), list(r, "nonResourceURLs"), "namespaced rules cannot apply to non-resource URLs");
                }
                if (!list(r, "apiGroups").isEmpty() || !list(r, "resources").isEmpty() || !list(r, "resourceNames").isEmpty()) {
                    p.invalid(rp.field("nonResourceURLs"), list(r, "nonResourceURLs"), "rules cannot apply to both regular resources and non-resource URLs");
                }
                continue;
            }
            if (list(r, "apiGroups").isEmpty()) p.required(rp.field("apiGroups"), "resource rules must supply at least one api group");
            if (list(r, "resources").isEmpty()) p.required(rp.field("resources"), "resource rules must supply at least one resource");
        }
    }

    /** ValidateRoleBinding / ValidateClusterRoleBinding: roleRef and subjects (an empty API group is defaulted to the RBAC group). */
    private static void binding(Map<String, Object> body, boolean namespaced, Problems p) {
        Map<String, Object> ref = map(body, "roleRef");
        FieldPath rp = FieldPath.ROOT.field("roleRef");
        String apiGroup = text(ref, "apiGroup");
        if (!apiGroup.isEmpty() && !apiGroup.equals(GROUP)) p.unsupported(rp.field("apiGroup"), apiGroup, "\"" + GROUP + "\"");
        String kind = text(ref, "kind");
        if (namespaced && !kind.equals("Role") && !kind.equals("ClusterRole")) {
            p.unsupported(rp.field("kind"), kind, "\"ClusterRole\", \"Role\"");
        } else if (!namespaced && !kind.equals("ClusterRole")) {
            p.unsupported(rp.field("kind"), kind, "\"ClusterRole\"");
        }
        String name = text(ref, "name");
        if (name.isEmpty()) p.required(rp.field("name"), "");
        else p.check(rp.field("name"), name, Names.pathSegmentName(name));
        List<Object> subjects = list(body, "subjects");
        for (int i = 0; i < subjects.size(); i++) subject(map(subjects.get(i)), FieldPath.ROOT.field("subjects").index(i), namespaced, p);
    }

    private static void subject(Map<String, Object> s, FieldPath path, boolean namespaced, Problems p) {
        String name = text(s, "name");
        String apiGroup = text(s, "apiGroup");
        if (name.isEmpty()) p.required(path.field("name"), "");
        switch (text(s, "kind")) {
            case "ServiceAccount" -> {
                if (!name.isEmpty()) p.check(path.field("name"), name, Names.dns1123Subdomain(name));
                if (!apiGroup.isEmpty()) p.unsupported(path.field("apiGroup"), apiGroup, "\"\"");
                if (!namespaced && text(s, "namespace").isEmpty()) p.required(path.field("namespace"), "");
            }
            case "User", "Group" -> {
                if (!apiGroup.isEmpty() && !apiGroup.equals(GROUP)) p.unsupported(path.field("apiGroup"), apiGroup, "\"" + GROUP + "\"");
            }
            default -> p.unsupported(path.field("kind"), text(s, "kind"), "\"Group\", \"ServiceAccount\", \"User\"");
        }
    }
}
