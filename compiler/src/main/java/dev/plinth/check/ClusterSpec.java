package dev.plinth.check;

import dev.plinth.render.RenderedPlatform.RenderedCluster;
import dev.plinth.resolve.ResolvedPlatform.ClusterPlan;
import dev.plinth.resolve.ResolvedPlatform.PlacedApp;
import dev.plinth.spec.Specs.Cluster;
import dev.plinth.spec.Specs.TenantSpec;
import dev.plinth.values.JsonValues;
import dev.plinth.values.Strings;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a namespace check reads of a cluster besides objects: the cluster, its tenants and the
 * apps placed on it, without the cluster's objects. Its {@link #fingerprint} is part of the key
 * of every namespace's kept findings.
 *
 * @param appsByTenant       the apps placed on this cluster per tenant, sorted
 * @param namespacesByTenant each placed tenant's namespaces
 */
public record ClusterSpec(Cluster cluster, List<String> tenants, Map<String, List<String>> appsByTenant,
                          Map<String, List<String>> namespacesByTenant, ClusterPlan plan, Map<String, Object> platform,
                          Map<String, List<Map<String, Object>>> listens) {
    /**
     * @param platform the checked {@code spec} of platform.yaml
     * @param listens  the ports each component type of the cluster listens on
     */
    static ClusterSpec of(RenderedCluster c, Map<String, Object> platform) {
        return new ClusterSpec(c.cluster(), c.tenants(), c.appsByTenant(), c.namespacesByTenant(), c.plan(), platform, c.listens());
    }

    public ClusterSpec(Cluster cluster, List<String> tenants, Map<String, List<String>> appsByTenant,
                       Map<String, List<String>> namespacesByTenant, ClusterPlan plan) {
        this(cluster, tenants, appsByTenant, namespacesByTenant, plan, Map.of(), Map.of());
    }

    public List<String> tenantNamespaces(String tenant) {
        return namespacesByTenant.getOrDefault(tenant, List.of());
    }

    /**
     * A checksum of everything this record holds that a check can read, and of the cluster's
     * CRD files: a new field read by a check must be added here.
     */
    String fingerprint(String crds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cluster", Arrays.asList(cluster.name(), cluster.environment(), cluster.kubeVersion(), cluster.server(),
                cluster.apiServerCIDRs(), cluster.labels(), cluster.operators()));
        m.put("crds", crds);
        List<Object> tenantSpecs = new ArrayList<>();
        for (TenantSpec t : plan.tenants()) tenantSpecs.add(Arrays.asList(t.name(), t.namespaces(), t.spec()));
        m.put("tenants", tenantSpecs);
        List<Object> apps = new ArrayList<>();
        for (PlacedApp a : plan.apps()) apps.add(Arrays.asList(a.app().name(), a.tenant().name(), a.namespace(), a.app().external()));
        m.put("apps", apps);
        m.put("placed", Arrays.asList(tenants, appsByTenant, namespacesByTenant));
        m.put("platform", platform);
        m.put("listens", listens);
        List<Object> links = new ArrayList<>();
        if (plan != null) {
            plan.links().forEach((k, l) -> l.out().forEach(link -> links.add(Arrays.asList(k, link.target().app().name(),
                    link.targetComponent().name(), link.use().port(), link.use().protocol(), String.valueOf(link.use().loc())))));
        }
        m.put("uses", links);
        return Strings.checksum(JsonValues.write(m).getBytes(StandardCharsets.UTF_8));
    }
}
