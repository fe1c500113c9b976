package dev.plinth.spec;

import dev.plinth.diag.Loc;
import dev.plinth.yaml.PNode;

import java.net.URI;
import java.util.List;
import java.util.TreeSet;
import java.util.Map;
import java.nio.file.Path;

/** The spec kinds (docs/spec.md) as loaded and checked, before extends and overrides are applied. */
public final class Specs {
    private Specs() {
    }

    public static final String API_VERSION = "plinth.dev/v1alpha1";

    /** Everything read from a platform repository. Environments are keyed by name, sorted. */
    public record LoadedPlatform(Path root, PlatformSpec platform, Map<String, EnvironmentSpec> environments) {
    }

    /** {@code settings} is the checked {@code spec} with defaults, handed to definitions as {@code ctx.platform}. */
    public record PlatformSpec(Loc loc, String name, String output, List<String> library, List<String> crds,
                               Map<String, Object> settings) {
        /** {@code spec.library} resolved against the platform root: the folders searched before the built-ins. */
        public List<Path> libraryRoots(Path root) {
            return library.stream().map(root::resolve).toList();
        }

        /** {@code spec.admission}: files or folders of admission policies, relative to the root (default {@code [admission]}). */
        public List<String> admission() {
            if (!(settings.get("admission") instanceof List<?> l)) return List.of("admission");
            return l.stream().map(String::valueOf).toList();
        }
    }

    public record EnvironmentSpec(Loc loc, String name, String dir, List<String> extendsNames, Loc extendsLoc,
                                  boolean isAbstract, List<Cluster> clusters, List<Placement> placement,
                                  List<Override> overrides, Map<String, TenantSpec> tenants,
                                  Map<String, AppSpec> apps) {
    }

    /**
     * @param apiServerCIDRs where pods reach the API server, for egress policies; empty when unknown
     * @param crds           CRD files or folders of this cluster (relative to the root); the kinds
     *                       they define replace the platform-wide CRDs of those kinds here
     */
    public record Cluster(Loc loc, String name, String environment, String kubeVersion, String server,
                          List<String> apiServerCIDRs, Map<String, String> labels, Map<String, String> operators,
                          List<String> crds, Loc crdsLoc) {
        /** The ports pods reach the API server on: the port of the server URL and 443 (the in-cluster kubernetes Service), sorted. */
        public List<Long> apiServerPorts() {
            TreeSet<Long> ports = new TreeSet<>(List.of(443L));
            if (server != null) {
                try {
                    int p = URI.create(server).getPort();
                    if (p > 0) ports.add((long) p);
                } catch (IllegalArgumentException e) {
                    // not a URL
                }
            }
            return List.copyOf(ports);
        }
    }

    /** Null lists mean "not given". */
    public record Placement(Loc loc, List<String> tenants, List<String> apps, List<String> clusters,
                            Map<String, String> clusterSelector) {
    }

    public record Override(Loc loc, String app, Loc appLoc, String component, Loc componentLoc,
                           PNode properties, List<TraitSpec> traits) {
    }

    /**
     * {@code spec} is the checked tenant spec with defaults; namespaces always filled.
     * {@code node} is the document as written, for positions.
     */
    public record TenantSpec(Loc loc, String name, List<String> namespaces, Map<String, Object> spec, PNode node,
                             List<Waiver> waivers) {
        /** Whether the tenant's namespaces are isolated (network.isolation: tenant, the default). */
        public boolean isolated() {
            return !(spec.get("network") instanceof Map<?, ?> n) || !"none".equals(n.get("isolation"));
        }
    }

    /** A check the spec opts out of, with the reason the reviewer accepted. */
    public record Waiver(Loc loc, String check, String reason) {
    }

    /**
     * @param external objects the app refers to that something other than Plinth creates, by kind
     *                 ("configMaps", "secrets", "persistentVolumeClaims", "services") -> names
     * @param dependsOn the apps this app is synced after ({@code spec.dependsOn}), in spec order
     */
    public record AppSpec(Loc loc, String name, String tenant, Loc tenantLoc, String namespace, Loc namespaceLoc,
                          List<ComponentSpec> components, List<Waiver> waivers, Map<String, List<String>> external,
                          List<Dependency> dependsOn) {
        public AppSpec withComponents(List<ComponentSpec> newComponents) {
            return new AppSpec(loc, name, tenant, tenantLoc, namespace, namespaceLoc, newComponents, waivers, external, dependsOn);
        }
    }

    /** An entry of an app's {@code spec.dependsOn}: the app it names, at the entry's line. */
    public record Dependency(String app, Loc loc) {
    }

    /**
     * {@code properties} keeps positions so schema errors point at the user's line.
     *
     * @param uses what the component talks to: other components of the platform
     */
    public record ComponentSpec(Loc loc, String name, String type, Loc typeLoc, PNode properties,
                                List<TraitSpec> traits, List<Use> uses) {
        public ComponentSpec withPropertiesAndTraits(PNode props, List<TraitSpec> newTraits) {
            return new ComponentSpec(loc, name, type, typeLoc, props, newTraits, uses);
        }
    }

    /**
     * A declared use of another component: the flow from this component's pods to its pods,
     * which the render opens in the NetworkPolicies of both ends and the reachability check proves.
     *
     * @param app      the target's app; null for the component's own app
     * @param port     a port number or a port name of the target's pods; null for the ports the
     *                 target's type listens on
     * @param protocol TCP, UDP or SCTP
     * @param access   for a kafka-topic target: produce, consume or both; otherwise null
     */
    public record Use(Loc loc, String app, Loc appLoc, String component, Loc componentLoc, String port, Loc portLoc,
                      String protocol, String access) {
    }

    public record TraitSpec(Loc loc, String type, Loc typeLoc, PNode properties) {
        public TraitSpec withProperties(PNode props) {
            return new TraitSpec(loc, type, typeLoc, props);
        }
    }
}
