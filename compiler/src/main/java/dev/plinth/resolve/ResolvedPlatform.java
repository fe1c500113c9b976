package dev.plinth.resolve;

import dev.plinth.spec.Specs.AppSpec;
import dev.plinth.spec.Specs.Cluster;
import dev.plinth.spec.Specs.PlatformSpec;
import dev.plinth.spec.Specs.TenantSpec;

import java.nio.file.Path;
import java.util.List;

/**
 * What each cluster receives once extends, overrides and placement are applied: the input of
 * the render stage. Lists are sorted by name so later stages are deterministic.
 */
public record ResolvedPlatform(Path root, PlatformSpec platform, List<ClusterPlan> clusters) {

    public record ClusterPlan(Cluster cluster, List<TenantSpec> tenants, List<PlacedApp> apps) {
    }

    /** An app on a cluster, its components already carrying the environment's overrides. */
    public record PlacedApp(AppSpec app, TenantSpec tenant, String namespace) {
    }
}
