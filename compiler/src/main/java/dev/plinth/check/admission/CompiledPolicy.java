package dev.plinth.check.admission;

import dev.cel.common.types.CelType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.plinth.check.cel.CelEnvironment;
import dev.plinth.check.cel.CelEnvironment.Expression;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import dev.plinth.values.JsonValues;
import java.util.HashSet;

/**
 * A ValidatingAdmissionPolicy's spec with its CEL expressions compiled: built once per distinct
 * policy body (kept across clusters and namespaces), immutable, so evaluated on many threads.
 */
final class CompiledPolicy {
    /** The variables the expressions of a policy see ({@code authorizer} is not provided). */
    static final Map<String, CelType> VARS = Map.of(
            "object", SimpleType.DYN,
            "oldObject", SimpleType.DYN,
            "params", SimpleType.DYN,
            "namespaceObject", SimpleType.DYN,
            "request", MapType.create(SimpleType.STRING, SimpleType.DYN),
            "variables", MapType.create(SimpleType.STRING, SimpleType.DYN));

    /** A named expression (a match condition or a variable). */
    record Named(String name, Expression expression) {
    }

    record Validation(Expression expression, String message, Expression messageExpression) {
    }

    /** One rule of resourceRules or excludeResourceRules. */
    record Rule(Set<String> groups, Set<String> versions, Set<String> resources, Set<String> operations, String scope) {
        boolean matches(String group, String version, String resource, boolean namespaced, boolean exact) {
            if (!operations.contains("*") && !operations.contains("CREATE")) return false;
            if (!groups.contains("*") && !groups.contains(group)) return false;
            // matchPolicy Equivalent: the object in another version of its group is the same object
            if (exact && !versions.contains("*") && !versions.contains(version)) return false;
            if (!resources.contains("*") && !resources.contains("*/*") && !resources.contains(resource)) return false;
            return switch (scope) {
                case "Cluster" -> !namespaced;
                case "Namespaced" -> namespaced;
                default -> true;
            };
        }

        @SuppressWarnings("unchecked")
        static Rule of(Object o) {
            Map<String, Object> m = o instanceof Map<?, ?> x ? (Map<String, Object>) x : Map.of();
            return new Rule(set(m.get("apiGroups")), set(m.get("apiVersions")), set(m.get("resources")),
                    set(m.get("operations")), m.get("scope") instanceof String s ? s : "*");
        }

        private static Set<String> set(Object o) {
            if (!(o instanceof List<?> l)) return Set.of();
            Set<String> out = new HashSet<>();
            for (Object x : l) out.add(String.valueOf(x));
            return out;
        }
    }

    /** matchConstraints of a policy or matchResources of a binding. */
    record Match(Object namespaceSelector, Object objectSelector, List<Rule> rules, List<Rule> excludes, boolean exact) {
        @SuppressWarnings("unchecked")
        static Match of(Object o) {
            if (!(o instanceof Map<?, ?> x)) return null;
            Map<String, Object> m = (Map<String, Object>) x;
            List<Rule> rules = new ArrayList<>();
            if (m.get("resourceRules") instanceof List<?> l) for (Object r : l) rules.add(Rule.of(r));
            List<Rule> excludes = new ArrayList<>();
            if (m.get("excludeResourceRules") instanceof List<?> l) for (Object r : l) excludes.add(Rule.of(r));
            return new Match(m.get("namespaceSelector"), m.get("objectSelector"), rules, excludes,
                    "Exact".equals(m.get("matchPolicy")));
        }

        /**
         * Whether the rules (not the selectors) take the object's resource. A binding's
         * matchResources without resourceRules does not narrow by resource (its excludes still do).
         */
        boolean takes(String group, String version, String resource, boolean namespaced, boolean binding) {
            boolean in = binding && rules.isEmpty();
            for (Rule r : rules) {
                if (r.matches(group, version, resource, namespaced, exact)) {
                    in = true;
                    break;
                }
            }
            if (!in) return false;
            for (Rule r : excludes) if (r.matches(group, version, resource, namespaced, exact)) return false;
            return true;
        }
    }

    /** A problem with the policy itself: a field path of the policy, a message and the expression (to place it by). */
    record Problem(String path, String message, String expression) {
    }

    final String name;
    final String paramApiVersion;
    final String paramKind;
    final Match constraints;
    final boolean failClosed;
    final List<Named> matchConditions = new ArrayList<>();
    final List<Named> variables = new ArrayList<>();
    final List<Validation> validations = new ArrayList<>();
    final List<Problem> problems = new ArrayList<>();
    /** What the policy uses that Plinth does not evaluate (the authorizer), or null. */
    String unsupported;

    @SuppressWarnings("unchecked")
    private CompiledPolicy(Map<String, Object> body) {
        Map<String, Object> meta = body.get("metadata") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        name = String.valueOf(meta.get("name"));
        Map<String, Object> spec = body.get("spec") instanceof Map<?, ?> s ? (Map<String, Object>) s : Map.of();
        Map<String, Object> pk = spec.get("paramKind") instanceof Map<?, ?> p ? (Map<String, Object>) p : null;
        paramApiVersion = pk == null ? null : String.valueOf(pk.get("apiVersion"));
        paramKind = pk == null ? null : String.valueOf(pk.get("kind"));
        constraints = Match.of(spec.get("matchConstraints"));
        failClosed = !"Ignore".equals(spec.get("failurePolicy"));
        if (spec.get("matchConditions") instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                Map<String, Object> c = l.get(i) instanceof Map<?, ?> x ? (Map<String, Object>) x : Map.of();
                matchConditions.add(new Named(String.valueOf(c.get("name")), compile(c.get("expression"), "spec.matchConditions[" + i + "].expression")));
            }
        }
        if (spec.get("variables") instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                Map<String, Object> c = l.get(i) instanceof Map<?, ?> x ? (Map<String, Object>) x : Map.of();
                variables.add(new Named(String.valueOf(c.get("name")), compile(c.get("expression"), "spec.variables[" + i + "].expression")));
            }
        }
        if (spec.get("validations") instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                Map<String, Object> v = l.get(i) instanceof Map<?, ?> x ? (Map<String, Object>) x : Map.of();
                Expression me = v.get("messageExpression") instanceof String s && !s.isBlank()
                        ? compile(s, "spec.validations[" + i + "].messageExpression") : null;
                validations.add(new Validation(compile(v.get("expression"), "spec.validations[" + i + "].expression"),
                        v.get("message") instanceof String s ? s.trim() : "", me));
            }
        }
    }

    private Expression compile(Object text, String path) {
        String t = text == null ? "" : String.valueOf(text);
        Expression e = CelEnvironment.compile(t, VARS);
        if (e.unsupported() != null) {
            if (unsupported == null) unsupported = e.unsupported();
        } else if (!e.compiled()) {
            problems.add(new Problem(path, "compilation failed: " + e.error(), t));
        }
        return e;
    }

    private static final Map<String, CompiledPolicy> CACHE = new ConcurrentHashMap<>();

    /** The compiled policy of this body: compiled once per distinct body. */
    static CompiledPolicy of(Map<String, Object> body) {
        String key = JsonValues.write(body);
        CompiledPolicy p = CACHE.get(key);
        if (p != null) return p;
        p = new CompiledPolicy(body);
        if (CACHE.size() > 512) CACHE.clear();
        CACHE.put(key, p);
        return p;
    }
}
