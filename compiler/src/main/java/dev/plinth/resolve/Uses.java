package dev.plinth.resolve;

import dev.plinth.diag.Diagnostics;
import dev.plinth.diag.Loc;
import dev.plinth.resolve.ResolvedPlatform.Link;
import dev.plinth.resolve.ResolvedPlatform.Links;
import dev.plinth.resolve.ResolvedPlatform.PlacedApp;
import dev.plinth.spec.Specs.AppSpec;
import dev.plinth.spec.Specs.Cluster;
import dev.plinth.spec.Specs.ComponentSpec;
import dev.plinth.spec.Specs.TenantSpec;
import dev.plinth.spec.Specs.Use;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The declared uses of one cluster's components, resolved to the placed components they name:
 * each becomes a {@link Link} that both ends' units render NetworkPolicy rules for. A use that
 * names nothing on the cluster, or crosses tenants that do not let it, is an error at its line:
 * across tenants, the target's tenant must admit the source's namespace ({@code network.allowFrom})
 * and the source's tenant must let it out to the target's namespace ({@code network.allowTo}),
 * where the tenant is isolated.
 */
final class Uses {
    static final String TENANT_LABEL = "plinth.dev/tenant";
    static final String NAME_LABEL = "kubernetes.io/metadata.name";

    private Uses() {
    }

    /** The links of the placed apps, by {@link Links#key}; errors go to {@code diags}. */
    static Map<String, Links> resolve(Cluster cluster, List<PlacedApp> placed, Map<String, AppSpec> environmentApps,
                                      String environment, Diagnostics diags) {
        Map<String, PlacedApp> byName = new HashMap<>();
        for (PlacedApp p : placed) byName.put(p.app().name(), p);
        Map<String, List<Link>> out = new TreeMap<>();
        Map<String, List<Link>> in = new TreeMap<>();
        for (PlacedApp source : placed) {
            for (ComponentSpec c : source.app().components()) {
                for (Use use : c.uses()) {
                    Link link = link(cluster, source, c, use, byName, environmentApps, environment, diags);
                    if (link == null) continue;
                    out.computeIfAbsent(Links.key(source.app().name(), c.name()), k -> new ArrayList<>()).add(link);
                    in.computeIfAbsent(Links.key(link.target().app().name(), link.targetComponent().name()),
                            k -> new ArrayList<>()).add(link);
                }
            }
        }
        Map<String, Links> links = new TreeMap<>();
        out.forEach((k, l) -> links.put(k, new Links(List.copyOf(l), List.of())));
        in.forEach((k, l) -> links.merge(k, new Links(List.of(), List.copyOf(l)), (a, b) -> new Links(a.out(), b.in())));
        return links;
    }

    private static Link link(Cluster cluster, PlacedApp source, ComponentSpec component, Use use,
                             Map<String, PlacedApp> placed, Map<String, AppSpec> environmentApps, String environment,
                             Diagnostics diags) {
        String appName = use.app() == null ? source.app().name() : use.app();
        Loc appLoc = use.appLoc() == null ? use.loc() : use.appLoc();
        PlacedApp target = placed.get(appName);
        if (target == null) {
            if (environmentApps.containsKey(appName)) {
                diags.error(appLoc, "uses app '" + appName + "', which is not placed on cluster '" + cluster.name()
                        + "' where app '" + source.app().name() + "' runs");
            } else {
                diags.error(appLoc, "uses app '" + appName + "', which does not exist in environment '" + environment + "'");
            }
            return null;
        }
        ComponentSpec targetComponent = target.app().components().stream()
                .filter(t -> t.name().equals(use.component())).findFirst().orElse(null);
        Loc componentLoc = use.componentLoc() == null ? use.loc() : use.componentLoc();
        if (targetComponent == null) {
            diags.error(componentLoc, "uses component '" + use.component() + "' of app '" + appName
                    + "', which has none of that name (its components: "
                    + String.join(", ", target.app().components().stream().map(ComponentSpec::name).toList()) + ")");
            return null;
        }
        if (target == source && targetComponent == component) {
            diags.error(componentLoc, "component '" + component.name() + "' uses itself");
            return null;
        }
        Set<String> permittedPorts = null;
        if (target.tenant() != source.tenant()) {
            String refused = null;
            List<Map<?, ?>> out = entries(source.tenant(), "allowTo").stream()
                    .filter(e -> names(e, target.tenant(), target.namespace())).toList();
            if (target.tenant().isolated()
                    && entries(target.tenant(), "allowFrom").stream().noneMatch(e -> names(e, source.tenant(), source.namespace()))) {
                refused = "tenant '" + target.tenant().name() + "' does not admit namespace '" + source.namespace()
                        + "' (add {namespace: " + source.namespace() + "} to its network.allowFrom)";
            } else if (source.tenant().isolated() && out.isEmpty()) {
                refused = "tenant '" + source.tenant().name() + "' does not let its pods out to namespace '" + target.namespace()
                        + "' (add {namespace: " + target.namespace() + "} to its network.allowTo)";
            } else if (source.tenant().isolated() && out.stream().allMatch(e -> e.get("ports") instanceof List<?>)) {
                permittedPorts = new TreeSet<>();
                for (Map<?, ?> e : out) for (Object p : (List<?>) e.get("ports")) permittedPorts.add(String.valueOf(p));
            }
            if (refused != null) {
                diags.error(use.loc(), "component '" + component.name() + "' of app '" + source.app().name()
                        + "' (tenant '" + source.tenant().name() + "') uses component '" + targetComponent.name()
                        + "' of app '" + appName + "' (tenant '" + target.tenant().name() + "'), but " + refused);
                return null;
            }
        }
        return new Link(use, source, component, target, targetComponent, permittedPorts);
    }

    private static List<Map<?, ?>> entries(TenantSpec tenant, String field) {
        List<Map<?, ?>> out = new ArrayList<>();
        if (tenant.spec().get("network") instanceof Map<?, ?> n && n.get(field) instanceof List<?> l) {
            for (Object e : l) if (e instanceof Map<?, ?> m) out.add(m);
        }
        return out;
    }

    /**
     * Whether an allowFrom or allowTo entry names the namespace: by name, or by labels that the
     * namespace carries ({@value TENANT_LABEL} and {@value NAME_LABEL}, as the tenant renders them).
     */
    private static boolean names(Map<?, ?> entry, TenantSpec tenant, String namespace) {
        if (entry.get("namespace") != null) return namespace.equals(String.valueOf(entry.get("namespace")));
        if (!(entry.get("namespaceSelector") instanceof Map<?, ?> sel)) return false;
        Map<String, String> labels = Map.of(TENANT_LABEL, tenant.name(), NAME_LABEL, namespace);
        return sel.entrySet().stream().allMatch(e -> String.valueOf(e.getValue()).equals(labels.get(String.valueOf(e.getKey()))));
    }
}
