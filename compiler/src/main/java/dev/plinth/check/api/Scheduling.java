package dev.plinth.check.api;

import dev.plinth.values.FieldPath;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.plinth.check.api.Fields.integer;
import static dev.plinth.check.api.Fields.list;
import static dev.plinth.check.api.Fields.map;
import static dev.plinth.check.api.Fields.str;
import static dev.plinth.check.api.Fields.text;
import java.util.regex.Pattern;

/** Where and as whom a pod runs: affinity (validateAffinity) and security contexts (the checks of their values). */
final class Scheduling {
    private static final Set<String> SECCOMP_TYPES = Set.of("RuntimeDefault", "Unconfined", "Localhost");
    private static final List<String> IDS = List.of("runAsUser", "runAsGroup", "fsGroup");
    private static final long MAX_ID = 2147483647L;
    private static final Pattern INTEGER = Pattern.compile("-?[0-9]{1,18}");

    private Scheduling() {
    }

    static void affinity(Map<String, Object> affinity, FieldPath path, Problems p) {
        Map<String, Object> node = map(affinity, "nodeAffinity");
        FieldPath np = path.field("nodeAffinity");
        if (Fields.isMap(node.get("requiredDuringSchedulingIgnoredDuringExecution"))) {
            FieldPath rp = np.field("requiredDuringSchedulingIgnoredDuringExecution");
            List<Object> terms = list(map(node, "requiredDuringSchedulingIgnoredDuringExecution"), "nodeSelectorTerms");
            if (terms.isEmpty()) p.required(rp.field("nodeSelectorTerms"), "must have at least one node selector term");
            for (int i = 0; i < terms.size(); i++) nodeSelectorTerm(map(terms.get(i)), rp.field("nodeSelectorTerms").index(i), p);
        }
        weighted(node, np, "preference", Scheduling::nodeSelectorTerm, p);
        for (String kind : new String[] {"podAffinity", "podAntiAffinity"}) {
            Map<String, Object> pod = map(affinity, kind);
            FieldPath pp = path.field(kind);
            List<Object> required = list(pod, "requiredDuringSchedulingIgnoredDuringExecution");
            for (int i = 0; i < required.size(); i++) {
                podAffinityTerm(map(required.get(i)), pp.field("requiredDuringSchedulingIgnoredDuringExecution").index(i), p);
            }
            weighted(pod, pp, "podAffinityTerm", Scheduling::podAffinityTerm, p);
        }
    }

    /** A term's rules: a node selector term or a pod affinity term. */
    private interface Term {
        void check(Map<String, Object> term, FieldPath path, Problems p);
    }

    /** The preferred terms of an affinity: each a weight 1..100 and its inner term. */
    private static void weighted(Map<String, Object> owner, FieldPath path, String inner, Term rules, Problems p) {
        List<Object> terms = list(owner, "preferredDuringSchedulingIgnoredDuringExecution");
        for (int i = 0; i < terms.size(); i++) {
            Map<String, Object> term = map(terms.get(i));
            FieldPath tp = path.field("preferredDuringSchedulingIgnoredDuringExecution").index(i);
            Long weight = integer(term, "weight");
            if (weight != null && (weight < 1 || weight > 100)) p.invalid(tp.field("weight"), weight, "must be in the range 1-100");
            rules.check(map(term, inner), tp.field(inner), p);
        }
    }

    /** ValidateNodeSelectorTerm: expressions on labels (In, NotIn, Exists, DoesNotExist, Gt, Lt) and on metadata.name. */
    private static void nodeSelectorTerm(Map<String, Object> term, FieldPath path, Problems p) {
        List<Object> exprs = list(term, "matchExpressions");
        for (int i = 0; i < exprs.size(); i++) {
            Map<String, Object> e = map(exprs.get(i));
            FieldPath ep = path.field("matchExpressions").index(i);
            String key = text(e, "key");
            p.check(ep.field("key"), key, Names.qualifiedName(key));
            List<Object> values = list(e, "values");
            String op = text(e, "operator");
            switch (op) {
                case "In", "NotIn" -> {
                    if (values.isEmpty()) p.required(ep.field("values"), "must be specified when `operator` is 'In' or 'NotIn'");
                }
                case "Exists", "DoesNotExist" -> {
                    if (!values.isEmpty()) p.forbidden(ep.field("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
                }
                case "Gt", "Lt" -> {
                    if (values.size() != 1) p.required(ep.field("values"), "must be specified single value when `operator` is 'Lt' or 'Gt'");
                    else if (!INTEGER.matcher(String.valueOf(values.get(0))).matches()) p.invalid(ep.field("values").index(0), values.get(0), "must be an integer");
                }
                default -> p.unsupported(ep.field("operator"), op, "\"DoesNotExist\", \"Exists\", \"Gt\", \"In\", \"Lt\", \"NotIn\"");
            }
            for (int j = 0; j < values.size(); j++) {
                if (op.equals("Gt") || op.equals("Lt")) break;
                String v = String.valueOf(values.get(j));
                p.check(ep.field("values").index(j), v, Names.labelValue(v));
            }
        }
        List<Object> fields = list(term, "matchFields");
        for (int i = 0; i < fields.size(); i++) {
            Map<String, Object> f = map(fields.get(i));
            FieldPath fp = path.field("matchFields").index(i);
            if (!text(f, "key").equals("metadata.name")) p.invalid(fp.field("key"), text(f, "key"), "not a valid field selector key");
            String op = text(f, "operator");
            if (!op.equals("In") && !op.equals("NotIn")) p.unsupported(fp.field("operator"), op, "\"In\", \"NotIn\"");
            else if (list(f, "values").size() != 1) p.required(fp.field("values"), "must be only one value when `operator` is 'In' or 'NotIn' for node field selector");
        }
    }

    /** validatePodAffinityTerm: a topology key (a qualified name) and a valid label selector. */
    private static void podAffinityTerm(Map<String, Object> term, FieldPath path, Problems p) {
        String key = text(term, "topologyKey");
        if (key.isEmpty()) p.required(path.field("topologyKey"), "can not be empty");
        else p.check(path.field("topologyKey"), key, Names.qualifiedName(key));
        if (Fields.isMap(term.get("labelSelector"))) Meta.labelSelector(map(term, "labelSelector"), path.field("labelSelector"), p);
        if (Fields.isMap(term.get("namespaceSelector"))) Meta.labelSelector(map(term, "namespaceSelector"), path.field("namespaceSelector"), p);
    }

    /** User and group ids in range; a seccomp profile type, with a localhost profile exactly for Localhost. */
    static void securityContext(Map<String, Object> sc, FieldPath path, boolean pod, Problems p) {
        for (String id : IDS) {
            if (!pod && id.equals("fsGroup")) continue;
            Long v = integer(sc, id);
            if (v != null && (v < 0 || v > MAX_ID)) p.invalid(path.field(id), v, "must be between 0 and 2147483647, inclusive");
        }
        if (!Fields.isMap(sc.get("seccompProfile"))) return;
        Map<String, Object> seccomp = map(sc, "seccompProfile");
        FieldPath sp = path.field("seccompProfile");
        String type = text(seccomp, "type");
        String localhost = str(seccomp, "localhostProfile");
        if (!SECCOMP_TYPES.contains(type)) {
            p.unsupported(sp.field("type"), type, "\"Localhost\", \"RuntimeDefault\", \"Unconfined\"");
        } else if (type.equals("Localhost") && (localhost == null || localhost.isEmpty())) {
            p.required(sp.field("localhostProfile"), "must be set when seccomp type is Localhost");
        } else if (!type.equals("Localhost") && localhost != null) {
            p.invalid(sp.field("localhostProfile"), localhost, "can only be set when seccomp type is Localhost");
        }
    }
}
