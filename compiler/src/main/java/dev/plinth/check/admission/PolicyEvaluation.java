package dev.plinth.check.admission;

import dev.plinth.values.LabelSelectors;

import dev.plinth.check.k8s.ResourceNames;

import dev.cel.common.values.NullValue;
import dev.plinth.check.k8s.CrdSchemas;
import dev.plinth.check.cel.CelEnvironment;
import dev.plinth.check.cel.CelValues;
import dev.plinth.check.admission.CompiledPolicy.Match;
import dev.plinth.check.admission.CompiledPolicy.Named;
import dev.plinth.check.admission.CompiledPolicy.Validation;
import dev.plinth.render.RenderedObject;
import dev.plinth.render.Renderer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ValidatingAdmissionPolicies of a cluster (those of platform.yaml {@code spec.admission},
 * rendered into its {@code platform/} directory, and any other the cluster's objects hold),
 * evaluated on every object of the cluster as the API server would on CREATE: the policy's
 * matchConstraints and the binding's matchResources (resource rules by plural resource name,
 * excludeResourceRules, namespaceSelector against the rendered Namespace's labels, objectSelector),
 * matchConditions, variables, params by paramRef, then the validations. A failed validation is an
 * error when the binding's validationActions include Deny, else a warning (Warn, Audit).
 * Objects of admissionregistration.k8s.io are not subject to policies, as on the API server.
 */
public final class PolicyEvaluation {
    private PolicyEvaluation() {
    }

    /** Where the evaluation reports what the policies say about an object (the admission check's findings). */
    public interface Verdicts {
        /** False for an object whose verdicts belong to another part of the run (a cluster-scoped object in a namespace's). */
        boolean reports(RenderedObject o);

        void error(RenderedObject o, String path, String message, String value);

        void warning(RenderedObject o, String path, String message, String value);
    }

    /** A binding with its policy. */
    private record Active(String bindingName, CompiledPolicy policy, Match match, boolean deny, Map<String, Object> paramRef) {
    }

    /**
     * True when a binding among these cluster-scoped objects takes its params from a named
     * namespace: then what the policies say about an object depends on another namespace's
     * objects.
     */
    public static boolean readsOtherNamespaces(List<RenderedObject> clusterScoped) {
        // the policies' paramKind only, read without compiling their expressions
        Map<String, Map<String, Object>> paramKinds = new HashMap<>();
        List<RenderedObject> bindings = new ArrayList<>();
        for (RenderedObject o : clusterScoped) {
            if (!AdmissionFiles.API_VERSION.equals(o.apiVersion())) continue;
            if (AdmissionFiles.POLICY.equals(o.kind())) paramKinds.put(o.name(), map(map(o.body().get("spec")).get("paramKind")));
            else if (AdmissionFiles.BINDING.equals(o.kind())) bindings.add(o);
        }
        for (RenderedObject b : bindings) {
            Map<String, Object> spec = map(b.body().get("spec"));
            Map<String, Object> paramKind = paramKinds.getOrDefault(String.valueOf(spec.get("policyName")), Map.of());
            if (paramKind.isEmpty()) continue;
            if (map(spec.get("paramRef")).get("namespace") instanceof String ns && !ns.isEmpty()
                    && !Renderer.isClusterScoped(String.valueOf(paramKind.get("apiVersion")), String.valueOf(paramKind.get("kind")))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Evaluates the cluster's policies and bindings (among its cluster-scoped objects) on every
     * object of the cluster, as the API server would on CREATE.
     */
    public static void evaluate(List<RenderedObject> objects, CrdSchemas crds, Verdicts findings) {
        Map<String, RenderedObject> policyObjects = new TreeMap<>();
        List<RenderedObject> bindings = new ArrayList<>();
        Map<String, RenderedObject> namespaces = new HashMap<>();
        for (RenderedObject o : objects) {
            if (o.namespace() != null) continue;
            if (AdmissionFiles.API_VERSION.equals(o.apiVersion()) && AdmissionFiles.POLICY.equals(o.kind())) policyObjects.put(o.name(), o);
            else if (AdmissionFiles.API_VERSION.equals(o.apiVersion()) && AdmissionFiles.BINDING.equals(o.kind())) bindings.add(o);
            else if ("v1".equals(o.apiVersion()) && "Namespace".equals(o.kind())) namespaces.put(o.name(), o);
        }
        if (policyObjects.isEmpty() && bindings.isEmpty()) return;
        Map<String, CompiledPolicy> policies = new HashMap<>();
        for (RenderedObject p : policyObjects.values()) {
            CompiledPolicy c = CompiledPolicy.of(p.body());
            policies.put(p.name(), c);
            for (CompiledPolicy.Problem problem : c.problems) findings.error(p, problem.path(), problem.message(), problem.expression());
            if (c.unsupported != null && c.problems.isEmpty()) {
                findings.warning(p, "spec", "ValidatingAdmissionPolicy " + p.name() + " uses '" + c.unsupported
                        + "', which Plinth does not evaluate: the cluster enforces the policy, but it is not checked offline", null);
            }
        }
        bindings.sort(Comparator.comparing(RenderedObject::name));
        List<Active> active = new ArrayList<>();
        for (RenderedObject b : bindings) {
            Map<String, Object> spec = map(b.body().get("spec"));
            String policyName = String.valueOf(spec.get("policyName"));
            CompiledPolicy p = policies.get(policyName);
            if (p == null) {
                findings.warning(b, "spec.policyName", "binding " + b.name() + " names ValidatingAdmissionPolicy '" + policyName
                        + "', which the cluster does not have: it does nothing", policyName);
                continue;
            }
            if (!p.problems.isEmpty() || p.unsupported != null || p.constraints == null) continue;
            List<?> actions = spec.get("validationActions") instanceof List<?> l ? l : List.of();
            active.add(new Active(b.name(), p, Match.of(spec.get("matchResources")),
                    actions.contains("Deny"), spec.get("paramRef") instanceof Map<?, ?> ? map(spec.get("paramRef")) : null));
        }
        if (active.isEmpty()) return;
        Params params = new Params(objects, crds);
        Map<String, String> resources = new HashMap<>();
        for (RenderedObject o : objects) {
            // over a namespace's scope the cluster-scoped objects are evaluated by the scope of their own
            if (!findings.reports(o)) continue;
            String group = o.group();
            if (group.equals("admissionregistration.k8s.io")) continue;
            String apiVersion = o.apiVersion();
            String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
            String resource = resources.computeIfAbsent(group + "/" + o.kind(), k -> resource(group, o.kind(), crds));
            boolean namespaced = o.namespace() != null;
            Subject subject = null;
            for (Active a : active) {
                if (!a.policy().constraints.takes(group, version, resource, namespaced, false)) continue;
                if (a.match() != null && !a.match().takes(group, version, resource, namespaced, true)) continue;
                if (subject == null) subject = new Subject(o, group, version, resource, namespaces);
                if (!subject.selected(a.policy().constraints) || (a.match() != null && !subject.selected(a.match()))) continue;
                evaluate(a, subject, params, findings);
            }
        }
    }

    /** What the policies see of one object, worked out once for all bindings that match it. */
    private static final class Subject {
        final RenderedObject object;
        final Map<?, ?> namespaceLabels;
        final Object namespaceObject;
        private final String group;
        private final String version;
        private final String resource;
        private Map<String, Object> vars;

        Subject(RenderedObject o, String group, String version, String resource, Map<String, RenderedObject> namespaces) {
            this.object = o;
            this.group = group;
            this.version = version;
            this.resource = resource;
            String ns = o.namespace();
            if (ns != null) {
                RenderedObject n = namespaces.get(ns);
                Map<String, Object> body = n != null ? n.body() : Map.of("apiVersion", "v1", "kind", "Namespace",
                        "metadata", Map.of("name", ns));
                namespaceObject = CelValues.dyn(withNameLabel(body, ns));
                namespaceLabels = labels(withNameLabel(body, ns));
            } else if ("v1".equals(o.apiVersion()) && "Namespace".equals(o.kind())) {
                namespaceObject = NullValue.NULL_VALUE;
                namespaceLabels = labels(withNameLabel(o.body(), o.name()));
            } else {
                namespaceObject = NullValue.NULL_VALUE;
                namespaceLabels = null; // a namespaceSelector does not apply to other cluster-scoped objects
            }
        }

        boolean selected(Match m) {
            if (namespaceLabels != null && !LabelSelectors.matches(m.namespaceSelector(), namespaceLabels)) return false;
            return m.objectSelector() == null || LabelSelectors.matches(m.objectSelector(), labels(object.body()));
        }

        /** The variables of an evaluation, but params and variables. */
        Map<String, Object> vars() {
            if (vars == null) {
                Map<String, Object> v = new HashMap<>();
                v.put("object", CelValues.dyn(object.body()));
                v.put("oldObject", NullValue.NULL_VALUE);
                v.put("namespaceObject", namespaceObject);
                v.put("request", request());
                vars = v;
            }
            return vars;
        }

        private Map<String, Object> request() {
            Map<String, Object> r = new LinkedHashMap<>();
            Map<String, Object> kind = Map.of("group", group, "version", version, "kind", object.kind());
            Map<String, Object> res = Map.of("group", group, "version", version, "resource", resource);
            r.put("kind", kind);
            r.put("resource", res);
            r.put("subResource", "");
            r.put("requestKind", kind);
            r.put("requestResource", res);
            r.put("requestSubResource", "");
            r.put("name", object.name() == null ? "" : object.name());
            r.put("namespace", object.namespace() == null ? "" : object.namespace());
            r.put("operation", "CREATE");
            r.put("userInfo", Map.of("username", "", "groups", List.of("system:authenticated")));
            r.put("dryRun", false);
            r.put("options", Map.of("apiVersion", "meta.k8s.io/v1", "kind", "CreateOptions"));
            return r;
        }
    }

    private static void evaluate(Active a, Subject s, Params params, Verdicts findings) {
        CompiledPolicy p = a.policy();
        List<String> failures = new ArrayList<>();
        if (p.paramKind == null) {
            evaluateWith(p, s, NullValue.NULL_VALUE, failures);
        } else {
            List<Object> found = new ArrayList<>();
            String problem = params.find(p, a.paramRef(), s.object, found);
            if (problem != null) {
                failures.add(problem);
            } else if (found.isEmpty()) {
                boolean deny = a.paramRef() == null || !"Allow".equals(a.paramRef().get("parameterNotFoundAction"));
                if (deny) failures.add("no params found for policy binding with `Deny` parameterNotFoundAction");
            } else {
                for (Object param : found) evaluateWith(p, s, CelValues.dyn(param), failures);
            }
        }
        for (String f : failures) {
            if (a.deny()) {
                findings.error(s.object, "", "ValidatingAdmissionPolicy '" + p.name + "' with binding '" + a.bindingName()
                        + "' denied request: " + f, null);
            } else {
                findings.warning(s.object, "", "Validation failed for ValidatingAdmissionPolicy '" + p.name + "' with binding '"
                        + a.bindingName() + "': " + f, null);
            }
        }
    }

    /** What an evaluation error says, unless it is about a Secret (it may quote the Secret's data). */
    private static String detail(CelEnvironment.EvaluationError e, boolean secret) {
        return secret ? " (details withheld: the object is a Secret)" : ": " + e.getMessage();
    }

    /** Evaluates the policy with one params object, adding what fails (nothing when a match condition is false). */
    private static void evaluateWith(CompiledPolicy p, Subject s, Object param, List<String> failures) {
        Map<String, Object> vars = new HashMap<>(s.vars());
        vars.put("params", param);
        // an evaluation error or a computed message about a Secret may quote its data: Plinth
        // never prints a secret value
        boolean secret = "v1".equals(s.object.apiVersion()) && "Secret".equals(s.object.kind());
        Map<String, Object> variables = new LinkedHashMap<>();
        vars.put("variables", variables);
        for (Named c : p.matchConditions) {
            try {
                if (!Boolean.TRUE.equals(c.expression().eval(vars))) return;
            } catch (CelEnvironment.EvaluationError e) {
                if (p.failClosed) failures.add("failed to evaluate matchCondition '" + c.name() + "'" + detail(e, secret));
                return;
            }
        }
        for (Named v : p.variables) {
            // the API server evaluates a variable when an expression reads it; one that fails is left
            // out here, and reading it fails the expression
            try {
                variables.put(v.name(), v.expression().eval(vars));
            } catch (CelEnvironment.EvaluationError e) {
                // see above
            }
        }
        for (Validation v : p.validations) {
            Object result;
            try {
                result = v.expression().eval(vars);
            } catch (CelEnvironment.EvaluationError e) {
                if (p.failClosed) failures.add("expression '" + v.expression().text() + "' resulted in error" + detail(e, secret));
                continue;
            }
            if (Boolean.TRUE.equals(result)) continue;
            String message = null;
            if (v.messageExpression() != null && !secret) {
                try {
                    if (v.messageExpression().eval(vars) instanceof String m && !m.isBlank() && m.trim().indexOf('\n') < 0) {
                        message = m.trim();
                    }
                } catch (CelEnvironment.EvaluationError e) {
                    // falls back to the message, as on the API server
                }
            }
            if (message == null) message = v.message().isEmpty() ? "failed expression: " + v.expression().text().trim() : v.message();
            failures.add(message);
        }
    }

    /** The params objects of a cluster, by apiVersion and kind. */
    private static final class Params {
        private final Map<String, List<RenderedObject>> byKind = new HashMap<>();
        private final CrdSchemas crds;

        Params(List<RenderedObject> objects, CrdSchemas crds) {
            this.crds = crds;
            for (RenderedObject o : objects) byKind.computeIfAbsent(o.apiVersion() + " " + o.kind(), k -> new ArrayList<>()).add(o);
        }

        /** Adds the params objects the binding names for the object; a message when it cannot name any. */
        String find(CompiledPolicy p, Map<String, Object> ref, RenderedObject object, List<Object> found) {
            if (ref == null) return "policy " + p.name + " has paramKind " + p.paramKind + " but the binding has no paramRef";
            List<RenderedObject> candidates = byKind.getOrDefault(p.paramApiVersion + " " + p.paramKind, List.of());
            int slash = p.paramApiVersion.indexOf('/');
            String group = slash < 0 ? "" : p.paramApiVersion.substring(0, slash);
            boolean clusterScoped = Renderer.isClusterScoped(p.paramApiVersion, p.paramKind)
                    || crds.clusterScopedKinds().contains(group + "/" + p.paramKind);
            String namespace = null;
            if (!clusterScoped) {
                namespace = ref.get("namespace") instanceof String ns && !ns.isEmpty() ? ns : object.namespace();
                if (namespace == null) {
                    return "cannot use a namespaced paramRef without a namespace in a binding that matches cluster-scoped "
                            + object.kind() + " " + object.name();
                }
            }
            for (RenderedObject c : candidates) {
                if (namespace != null && !namespace.equals(c.namespace())) continue;
                if (ref.get("name") instanceof String name && !name.isEmpty()) {
                    if (name.equals(c.name())) found.add(c.body());
                } else if (LabelSelectors.matches(ref.get("selector") == null ? Map.of() : ref.get("selector"), labels(c.body()))) {
                    found.add(c.body());
                }
            }
            return null;
        }
    }

    /** The resource (plural) name of a kind: the CRD's names.plural, else as the API server names built-in kinds. */
    static String resource(String group, String kind, CrdSchemas crds) {
        return ResourceNames.resourceOf(kind, crds == null ? null : crds.pluralOf(group, kind));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static Map<?, ?> labels(Map<String, Object> body) {
        return map(map(body.get("metadata")).get("labels"));
    }

    /** The body with the label kubernetes.io/metadata.name the API server gives every Namespace. */
    private static Map<String, Object> withNameLabel(Map<String, Object> body, String name) {
        Map<String, Object> out = new LinkedHashMap<>(body);
        Map<String, Object> meta = new LinkedHashMap<>(map(body.get("metadata")));
        Map<String, Object> labels = new LinkedHashMap<>(map(meta.get("labels")));
        labels.put("kubernetes.io/metadata.name", name);
        meta.put("labels", labels);
        out.put("metadata", meta);
        return out;
    }
}
