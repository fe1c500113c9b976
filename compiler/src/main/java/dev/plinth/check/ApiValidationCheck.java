package dev.plinth.check;

import dev.plinth.check.api.ApiValidation;
import dev.plinth.check.api.Problems;
import dev.plinth.render.RenderedObject;

/**
 * What the Kubernetes API server's validation would reject (or accept but never run) in each
 * object, for the cluster's Kubernetes version: see {@link ApiValidation}. It replaces the
 * {@code object-shape} check, whose name and label rules it includes.
 */
final class ApiValidationCheck implements ObjectCheck {
    static final String ID = "api-validation";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public void check(RenderedObject o, String kubeVersion, CheckContext context, Findings findings) {
        for (Problems.Problem p : ApiValidation.validate(o.body(), o.apiVersion(), o.kind(), kubeVersion)) {
            if (p.warning()) findings.warning(id(), o, p.path(), p.message(), p.value());
            else findings.error(id(), o, p.path(), p.message(), p.value());
        }
    }
}
