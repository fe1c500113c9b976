package dev.plinth.check;

import dev.plinth.check.admission.PolicyEvaluation;
import dev.plinth.render.RenderedObject;

import java.util.List;

/**
 * The platform's ValidatingAdmissionPolicies evaluated offline on every rendered object (see
 * {@link PolicyEvaluation}): a failed validation of a binding with Deny is an error, of one with
 * Warn or Audit a warning. It cannot be waived: the cluster enforces the policies.
 */
final class AdmissionCheck implements NamespaceCheck {
    static final String ID = "admission";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public boolean readsOtherNamespaces(List<RenderedObject> clusterScoped) {
        return PolicyEvaluation.readsOtherNamespaces(clusterScoped);
    }

    @Override
    public void check(NamespaceView namespace, CheckContext context, Findings findings) {
        PolicyEvaluation.evaluate(namespace.objects(), context.crds(), new PolicyEvaluation.Verdicts() {
            @Override
            public boolean reports(RenderedObject o) {
                return findings.reports(o);
            }

            @Override
            public void error(RenderedObject o, String path, String message, String value) {
                findings.error(ID, o, path, message, value);
            }

            @Override
            public void warning(RenderedObject o, String path, String message, String value) {
                findings.warning(ID, o, path, message, value);
            }
        });
    }
}
