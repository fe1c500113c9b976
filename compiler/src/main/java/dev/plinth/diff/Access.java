package dev.plinth.diff;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whether a changed RBAC object or NetworkPolicy lets more through than before. Rules are compared
 * by what they allow, not by their text: reordering rules or narrowing one is not widening.
 */
final class Access {
    private Access() {
    }

    /** One permission a rule grants; an empty name means every object of the resource. */
    private record Grant(String group, String resource, String verb, String name) {
        boolean coveredBy(Grant g) {
            return match(g.group, group) && match(g.resource, resource) && match(g.verb, verb)
                    && (g.name.isEmpty() || g.name.equals(name));
        }

        private static boolean match(String granted, String wanted) {
            return granted.equals("*") || granted.equals(wanted);
        }

        @Override
        public String toString() {
            return verb + " " + (group.isEmpty() ? resource : resource + "." + group) + (name.isEmpty() ? "" : "/" + name);
        }
    }

    /** A one-line explanation when {@code after} grants or binds more than {@code before}; else null. */
    static String rbacWidened(Map<String, Object> before, Map<String, Object> after) {
        if (after.containsKey("roleRef") || before.containsKey("roleRef")) {
            if (!Objects.equals(before.get("roleRef"), after.get("roleRef"))) {
                return "binds a different role (" + describeRef(before.get("roleRef")) + " → " + describeRef(after.get("roleRef"))
                        + "); roleRef is immutable, so the binding is re-created";
            }
            Set<String> added = new TreeSet<>(subjects(after));
            added.removeAll(subjects(before));
            return added.isEmpty() ? null : "binds more subjects: " + firstFew(added);
        }
        if (!Objects.equals(before.get("aggregationRule"), after.get("aggregationRule")) && after.get("aggregationRule") != null) {
            return "aggregates other roles than before: it gains whatever the roles its selectors now match grant";
        }
        List<Grant> old = grants(before);
        Set<String> added = new LinkedHashSet<>();
        for (Grant g : grants(after)) {
            if (old.stream().noneMatch(g::coveredBy)) added.add(g.toString());
        }
        return added.isEmpty() ? null : "grants more: " + firstFew(added);
    }

    private static String firstFew(Set<String> items) {
        List<String> shown = new ArrayList<>(items).subList(0, Math.min(5, items.size()));
        return String.join(", ", shown) + (items.size() > shown.size() ? " and " + (items.size() - shown.size()) + " more" : "");
    }

    /** A one-line explanation when {@code after} allows traffic {@code before} did not; else null. */
    static String networkWidened(Map<String, Object> before, Map<String, Object> after) {
        Map<?, ?> a = map(before.get("spec"));
        Map<?, ?> b = map(after.get("spec"));
        Set<String> enforced = policyTypes(a);
        Set<String> types = new TreeSet<>(enforced);
        types.removeAll(policyTypes(b));
        if (!types.isEmpty()) return "no longer restricts " + types + " traffic";
        if (!Objects.equals(a.get("podSelector"), b.get("podSelector"))) {
            return "selects different pods: the ones it no longer selects lose its restrictions";
        }
        for (String[] direction : new String[][]{{"ingress", "from", "Ingress"}, {"egress", "to", "Egress"}}) {
            if (!enforced.contains(direction[2])) continue; // all of it was allowed before
            List<Object> oldRules = list(a.get(direction[0]));
            List<Object> newRules = list(b.get(direction[0]));
            for (int i = 0; i < newRules.size(); i++) {
                Map<?, ?> rule = map(newRules.get(i));
                if (oldRules.stream().noneMatch(o -> covers(map(o), rule, direction[1]))) {
                    return direction[0] + " rule " + i + " allows peers or ports no rule allowed before";
                }
            }
        }
        return null;
    }

    /** The policy types in force: as listed, or by default Ingress, and Egress when there are egress rules. */
    private static Set<String> policyTypes(Map<?, ?> spec) {
        Set<String> types = new TreeSet<>();
        if (spec.get("policyTypes") instanceof List<?> l) {
            l.forEach(t -> types.add(String.valueOf(t)));
        } else {
            types.add("Ingress");
            if (spec.containsKey("egress")) types.add("Egress");
        }
        return types;
    }

    /** An empty peer or port list means "all", so it covers anything; otherwise every item must appear. */
    private static boolean covers(Map<?, ?> old, Map<?, ?> rule, String peers) {
        return coversList(list(old.get(peers)), list(rule.get(peers))) && coversList(list(old.get("ports")), list(rule.get("ports")));
    }

    private static boolean coversList(List<Object> old, List<Object> wanted) {
        if (old.isEmpty()) return true;
        return !wanted.isEmpty() && old.containsAll(wanted);
    }

    private static List<Grant> grants(Map<String, Object> role) {
        List<Grant> out = new ArrayList<>();
        for (Object r : list(role.get("rules"))) {
            Map<?, ?> rule = map(r);
            List<Object> groups = list(rule.get("apiGroups"));
            List<Object> resources = new ArrayList<>(list(rule.get("resources")));
            for (Object url : list(rule.get("nonResourceURLs"))) resources.add("url:" + url);
            List<Object> names = list(rule.get("resourceNames"));
            for (Object g : groups.isEmpty() ? List.<Object>of("") : groups) {
                for (Object res : resources) {
                    for (Object v : list(rule.get("verbs"))) {
                        for (Object n : names.isEmpty() ? List.<Object>of("") : names) {
                            out.add(new Grant(String.valueOf(g), String.valueOf(res), String.valueOf(v), String.valueOf(n)));
                        }
                    }
                }
            }
        }
        return out;
    }

    private static Set<String> subjects(Map<String, Object> binding) {
        Set<String> out = new TreeSet<>();
        for (Object s : list(binding.get("subjects"))) {
            Map<?, ?> m = map(s);
            out.add(m.get("kind") + " " + (m.get("namespace") == null ? "" : m.get("namespace") + "/") + m.get("name"));
        }
        return out;
    }

    private static String describeRef(Object ref) {
        Map<?, ?> m = map(ref);
        return m.isEmpty() ? "none" : m.get("kind") + "/" + m.get("name");
    }

    private static Map<?, ?> map(Object v) {
        return v instanceof Map<?, ?> m ? m : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object v) {
        return v instanceof List<?> l ? (List<Object>) l : List.of();
    }
}
