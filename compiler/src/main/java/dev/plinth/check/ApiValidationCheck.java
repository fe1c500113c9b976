package dev.plinth.check;

import dev.plinth.check.api.ApiValidation;
import dev.plinth.check.api.Problems;
import dev.plinth.check.k8s.CoreModel;
import dev.plinth.render.RenderedObject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the Kubernetes API server's validation would reject (or accept but never run) in each
 * object, for the cluster's Kubernetes version: see {@link ApiValidation}. It replaces the
 * {@code object-shape} check, whose name and label rules it includes. A field the schema check
 * already reports (missing where the model requires it, or of the wrong type) is not reported
 * again.
 */
final class ApiValidationCheck implements ObjectCheck {
    static final String ID = "api-validation";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public void check(RenderedObject o, String kubeVersion, CheckContext context, Findings findings) {
        List<Problems.Problem> problems = ApiValidation.validate(o.body(), o.apiVersion(), o.kind(), kubeVersion);
        if (problems.isEmpty()) return;
        Set<String> schemaPaths = schemaPaths(o, context.core());
        for (Problems.Problem p : problems) {
            if (schemaPaths.contains(p.path())) continue;
            if (p.warning()) findings.warning(id(), o, p.path(), p.message(), p.value());
            else findings.error(id(), o, p.path(), p.message(), p.value());
        }
    }

    /** The paths the schema check reports for the object (worked out only for objects with problems: few). */
    private static Set<String> schemaPaths(RenderedObject o, CoreModel core) {
        if (core == null || !core.isBuiltInGroup(o.group())) return Set.of();
        CoreModel.Type type = core.typeFor(o.apiVersion(), o.kind());
        if (type == null) return Set.of();
        List<CoreModel.Problem> schema = new ArrayList<>();
        core.validate(o.body(), type, schema);
        Set<String> paths = new HashSet<>();
        for (CoreModel.Problem p : schema) paths.add(p.path());
        return paths;
    }
}
