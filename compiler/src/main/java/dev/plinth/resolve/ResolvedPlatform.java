package dev.plinth.resolve;

import dev.plinth.spec.Specs.AppSpec;
import dev.plinth.spec.Specs.ComponentSpec;
import dev.plinth.spec.Specs.Cluster;
import dev.plinth.spec.Specs.PlatformSpec;
import dev.plinth.spec.Specs.TenantSpec;
import dev.plinth.spec.Specs.Use;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What each cluster receives once extends, overrides and placement are applied: the input of
 * the render stage. Lists are sorted by name so later stages are deterministic.
 */
public record ResolvedPlatform(Path root, PlatformSpec platform, List<ClusterPlan> clusters) {

    /**
     * @param links     the declared uses between the placed components, by {@link Links#key}
     * @param dependsOn for each placed app that depends on others, the apps placed here it is synced
     *                  after (its {@code spec.dependsOn} and the apps its components use), sorted; acyclic
     */
    public record ClusterPlan(Cluster cluster, List<TenantSpec> tenants, List<PlacedApp> apps, Map<String, Links> links,
                              Map<String, List<String>> dependsOn) {
        public Links links(String app, String component) {
            return links.getOrDefault(Links.key(app, component), Links.NONE);
        }

        public List<String> dependsOn(String app) {
            return dependsOn.getOrDefault(app, List.of());
        }

        /**
         * Each placed app's dependency depth: 0 when it depends on nothing here, else one more
         * than the deepest app it depends on (what Argo CD's sync waves need).
         */
        public Map<String, Integer> depths() {
            Map<String, Integer> depth = new HashMap<>();
            for (PlacedApp p : apps) depth(p.app().name(), depth);
            return depth;
        }

        private int depth(String app, Map<String, Integer> memo) {
            Integer known = memo.get(app);
            if (known != null) return known;
            int d = 0;
            for (String dep : dependsOn(app)) d = Math.max(d, depth(dep, memo) + 1);
            memo.put(app, d);
            return d;
        }
    }

    /**
     * A declared use resolved on a cluster: from a component's pods to another's.
     *
     * @param permittedPorts across tenants, the port numbers the source tenant's {@code allowTo}
     *                       entries that name the target's namespace list; null when one of them
     *                       lists none (any port), or within a tenant
     */
    public record Link(Use use, PlacedApp source, ComponentSpec sourceComponent, PlacedApp target,
                       ComponentSpec targetComponent, Set<String> permittedPorts) {
    }

    /** A component's uses ({@code out}) and the uses of it ({@code in}). */
    public record Links(List<Link> out, List<Link> in) {
        static final Links NONE = new Links(List.of(), List.of());

        static String key(String app, String component) {
            return app + "/" + component;
        }
    }

    /** An app on a cluster, its components already carrying the environment's overrides. */
    public record PlacedApp(AppSpec app, TenantSpec tenant, String namespace) {
    }
}
