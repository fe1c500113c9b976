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

    /**
     * True when what the check finds about an object of a namespace, and the quota usage it
     * records for a namespace, depend only on the objects of that namespace, the cluster-scoped
     * objects and the cluster's spec (its tenants and apps): then it runs one namespace at a time
     * and keeps its findings per namespace (see {@link Scopes}). False unless a check says so.
     */
    default boolean localToNamespaces(RenderedCluster cluster) {
        return false;
    }
}
