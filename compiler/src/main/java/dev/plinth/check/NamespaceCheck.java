package dev.plinth.check;

import dev.plinth.render.RenderedObject;

import java.util.List;

/**
 * A check that relates the objects of one namespace to each other, to the cluster-scoped
 * objects and to the cluster's spec, and to nothing else: it is given exactly that (a
 * {@link NamespaceView}), so its findings about a namespace can be kept under a key of those
 * inputs, and after a small change only the namespaces it touched are checked again. The
 * cluster-scoped objects are a namespace of their own ({@code ""}).
 */
public non-sealed interface NamespaceCheck extends Check {
    void check(NamespaceView namespace, CheckContext context, Findings findings);

    /**
     * True when the cluster-scoped objects make the check read other namespaces too (an
     * admission binding that takes its params from a named namespace): then the check runs once
     * over a view of the whole cluster, and nothing is kept for that cluster.
     */
    default boolean readsOtherNamespaces(List<RenderedObject> clusterScoped) {
        return false;
    }
}
