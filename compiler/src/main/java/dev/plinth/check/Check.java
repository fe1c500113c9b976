package dev.plinth.check;

import dev.plinth.diag.Diagnostics;
import dev.plinth.render.RenderedPlatform.RenderedCluster;

/**
 * One check over a cluster's rendered objects, in the spirit of a kustomize filter: small,
 * independent, reporting findings at the spec line that produced the object.
 */
public interface Check {
    /** The id printed as {@code error[ID]}. */
    String id();

    void run(RenderedCluster cluster, Diagnostics findings);
}
