package dev.plinth.check;

import dev.plinth.render.RenderedObject;
import dev.plinth.resolve.ResolvedPlatform.ClusterPlan;
import dev.plinth.spec.Specs.Cluster;

import java.util.List;

/**
 * What a {@link NamespaceCheck} sees of a cluster: the cluster-scoped objects, then a
 * namespace's (only the cluster-scoped ones for their own scope, named {@code ""}; every object
 * of the cluster, with a null name, for a check that reads other namespaces), and the cluster's
 * spec.
 */
public record NamespaceView(String name, List<RenderedObject> objects, ClusterSpec spec) {
    public Cluster cluster() {
        return spec.cluster();
    }

    public ClusterPlan plan() {
        return spec.plan();
    }

    public List<String> tenantNamespaces(String tenant) {
        return spec.tenantNamespaces(tenant);
    }
}
