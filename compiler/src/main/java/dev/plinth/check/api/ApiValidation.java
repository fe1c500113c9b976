package dev.plinth.check.api;

import dev.plinth.check.k8s.KubeVersions;

import dev.plinth.values.FieldPath;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the Kubernetes API server's own validation (kubernetes {@code pkg/apis/*\/validation},
 * apimachinery's {@code util/validation}) would reject in an object on create, ported rule by
 * rule: object meta of every object, and the specs of the built-in kinds Plinth renders or
 * passes through. Objects are taken as written, with the API server's defaults for absent
 * fields. Rules that changed between Kubernetes versions follow the cluster's version.
 */
public final class ApiValidation {
    /** The minor assumed when a cluster's version cannot be read: the newest rules. */
    static final int LATEST = Integer.MAX_VALUE;
    /** The built-in versions whose specs are validated (older betas of the same shape included). */
    private static final Set<String> VERSIONS = Set.of("v1", "apps/v1", "batch/v1", "batch/v1beta1",
            "networking.k8s.io/v1", "policy/v1", "policy/v1beta1", "autoscaling/v1", "autoscaling/v2", "autoscaling/v2beta2",
            "rbac.authorization.k8s.io/v1", "apiextensions.k8s.io/v1");

    private ApiValidation() {
    }

    /**
     * The problems of one object.
     *
     * @param kubeVersion the cluster's version, "1.30" (or "v1.30.2")
     */
    public static List<Problems.Problem> validate(Map<String, Object> body, String apiVersion, String kind, String kubeVersion) {
        Problems p = new Problems(minor(kubeVersion));
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        Meta.objectMeta(body, Meta.nameRule(group, kind), p);
        if (!VERSIONS.contains(apiVersion)) return p.list(); // not served: the schema and api-version checks say so
        switch (group) {
            case "" -> CoreObjects.validate(kind, body, p);
            case "apps" -> Apps.validate(kind, body, p);
            case "batch" -> Batch.validate(kind, body, p);
            case "networking.k8s.io" -> Networking.validate(kind, body, p);
            case "policy" -> Policy.validate(kind, body, p);
            case "autoscaling" -> Autoscaling.validate(apiVersion, kind, body, p);
            case "rbac.authorization.k8s.io" -> Rbac.validate(kind, body, p);
            case "apiextensions.k8s.io" -> customResourceDefinition(kind, body, p);
            default -> {
            }
        }
        return p.list();
    }

    /** A CRD is named {@code <plural>.<group>}. */
    private static void customResourceDefinition(String kind, Map<String, Object> body, Problems p) {
        if (!kind.equals("CustomResourceDefinition")) return;
        Map<String, Object> spec = Fields.map(body, "spec");
        String expected = Fields.text(Fields.map(spec, "names"), "plural") + "." + Fields.text(spec, "group");
        String name = Fields.text(Fields.map(body, "metadata"), "name");
        if (!name.isEmpty() && !name.equals(expected)) {
            p.invalid(FieldPath.ROOT.field("metadata").field("name"), name, "must be spec.names.plural+\".\"+spec.group (" + expected + ")");
        }
    }

    /** The minor of "1.30", "v1.30" or "1.30.2"; the newest rules when it cannot be read. */
    static int minor(String kubeVersion) {
        return KubeVersions.minor(kubeVersion, LATEST);
    }
}
