package dev.plinth.check;

import dev.plinth.render.RenderedPlatform.RenderedCluster;

/**
 * One check over a cluster's rendered objects, in the spirit of a kustomize filter: small,
 * independent, reporting through {@link Findings}, which places each finding at the spec line
 * that produced the object (or the value) and applies waivers.
 */
public interface Check {
    /** The id printed as {@code error[ID]} and named by waivers. */
    String id();

    void run(RenderedCluster cluster, CheckContext context, Findings findings);
}
