package dev.plinth.check;

import dev.plinth.check.k8s.CoreModel;
import dev.plinth.check.k8s.CrdSchemas;
import dev.plinth.render.RenderedObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Every object against its schema: built-in kinds strictly against the Kubernetes model
 * (unknown fields, wrong types, required fields), custom resources against the
 * {@code openAPIV3Schema} of the version their CRD serves. Custom resources without a CRD in the
 * platform's {@code spec.crds} are not schema-checked (the cluster-capabilities check still
 * requires their group to be served).
 */
final class SchemaCheck implements ObjectCheck {
    @Override
    public String id() {
        return "schema";
    }

    @Override
    public void check(RenderedObject o, String kubeVersion, CheckContext context, Findings findings) {
        CoreModel core = context.core();
        CrdSchemas crds = context.crds();
        String group = o.group();
        if (core.isBuiltInGroup(group)) {
            CoreModel.Type type = core.typeFor(o.apiVersion(), o.kind());
            if (type == null) {
                if (context.apiVersions().lifecycle(o.apiVersion(), o.kind()).isPresent()) return; // api-version reports it
                List<String> kinds = core.kindsOf(o.apiVersion());
                findings.error(id(), o, "kind", "Kubernetes has no " + o.kind() + " in " + o.apiVersion()
                        + (kinds.isEmpty() ? " (no such apiVersion)" : ""), o.kind());
                return;
            }
            List<CoreModel.Problem> problems = new ArrayList<>();
            core.validate(o.body(), type, problems);
            for (CoreModel.Problem p : problems) findings.error(id(), o, p.path(), p.message(), p.value());
        } else if (crds.knowsKind(group, o.kind())) {
            if (!crds.hasSchema(o.apiVersion(), o.kind())) {
                findings.error(id(), o, "apiVersion", "the CRD of " + o.kind() + " serves " + group + "/"
                        + String.join(", " + group + "/", crds.versionsOf(group, o.kind())) + ", not " + o.apiVersion(), o.apiVersion());
                return;
            }
            for (CrdSchemas.Problem p : crds.validate(o.apiVersion(), o.kind(), o.body())) {
                findings.error(id(), o, p.path(), p.message(), null);
            }
        }
    }
}
