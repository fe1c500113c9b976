package dev.plinth.render;

import dev.plinth.resolve.ResolvedPlatform.ClusterPlan;
import dev.plinth.spec.Specs.Cluster;
import dev.plinth.spec.Specs.PlatformSpec;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The render stage's result: every object of every cluster, in a deterministic order. */
public record RenderedPlatform(Path root, PlatformSpec platform, List<RenderedCluster> clusters) {

    /**
     * @param appsByTenant       the apps placed on this cluster per tenant, sorted
     * @param namespacesByTenant each placed tenant's namespaces
     * @param listens            the ports each component type placed here listens on ({@link Definition#listens}),
     *                           which a declared use without a port reaches
     */
    public record RenderedCluster(Cluster cluster, List<String> tenants, Map<String, List<String>> appsByTenant,
                                  Map<String, List<String>> namespacesByTenant, List<RenderedObject> objects,
                                  ClusterPlan plan, Map<String, List<Map<String, Object>>> listens) {
        public RenderedCluster(Cluster cluster, List<String> tenants, Map<String, List<String>> appsByTenant,
                               Map<String, List<String>> namespacesByTenant, List<RenderedObject> objects, ClusterPlan plan) {
            this(cluster, tenants, appsByTenant, namespacesByTenant, objects, plan, Map.of());
        }

        public List<String> tenantNamespaces(String tenant) {
            return namespacesByTenant.getOrDefault(tenant, List.of());
        }
    }
}
