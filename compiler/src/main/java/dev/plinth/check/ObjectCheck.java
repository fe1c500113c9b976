package dev.plinth.check;

import dev.plinth.render.RenderedObject;

/**
 * A check of one object at a time, whose findings depend on nothing but the object, the
 * cluster's Kubernetes version, the CRD schemas and the check's own code. That is what lets the
 * checker keep their findings per unit in the render cache: an unchanged unit is not checked
 * again (see {@link Checker.FindingsMemo}).
 */
public non-sealed interface ObjectCheck extends Check {
    void check(RenderedObject o, String kubeVersion, CheckContext context, Findings findings);
}
