package dev.plinth.resolve;

import dev.plinth.diag.Diagnostics;
import dev.plinth.resolve.ResolvedPlatform.ClusterPlan;
import dev.plinth.resolve.ResolvedPlatform.PlacedApp;
import dev.plinth.spec.Specs.AppSpec;
import dev.plinth.spec.Specs.Cluster;
import dev.plinth.spec.Specs.ComponentSpec;
import dev.plinth.spec.Specs.EnvironmentSpec;
import dev.plinth.spec.Specs.LoadedPlatform;
import dev.plinth.spec.Specs.Override;
import dev.plinth.spec.Specs.Placement;
import dev.plinth.spec.Specs.TenantSpec;
import dev.plinth.spec.Specs.TraitSpec;
import dev.plinth.yaml.PNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Stage 2, resolve: applies {@code extends} (tenants and apps by name, later wins; overrides and
 * placement rules accumulate, parents first), checks references, applies overrides and places
 * tenants and apps on clusters.
 *
 * <p>Placement: a rule applies to a tenant it names, to an app it names, or to everything when it
 * names neither. A tenant or app goes to the clusters matched by the rules that apply to it (all
 * of the environment's clusters when none apply); an app never goes where its tenant is not.
 */
public final class Resolver {
    private final LoadedPlatform loaded;
    private final Diagnostics diags = new Diagnostics();

    private Resolver(LoadedPlatform loaded) {
        this.loaded = loaded;
    }

    /**
     * Entry point of the stage.
     *
     * @param environments the environments to render; empty for every concrete one
     */
    public static ResolvedPlatform resolve(LoadedPlatform loaded, List<String> environments) {
        Resolver r = new Resolver(loaded);
        ResolvedPlatform p = r.run(environments);
        r.diags.throwIfErrors();
        return p;
    }

    private ResolvedPlatform run(List<String> selected) {
        checkClusterNames();
        List<ClusterPlan> plans = new ArrayList<>();
        for (EnvironmentSpec env : loaded.environments().values()) {
            List<EnvironmentSpec> chain = linearize(env, new LinkedHashSet<>(), new ArrayList<>());
            if (env.isAbstract()) {
                if (!env.clusters().isEmpty()) {
                    diags.error(env.clusters().get(0).loc(), "abstract environment '" + env.name()
                            + "' cannot list clusters");
                }
                continue;
            }
            if (chain == null) continue;
            List<ClusterPlan> envPlans = resolveEnvironment(env, chain);
            if (selected.isEmpty() || selected.contains(env.name())) plans.addAll(envPlans);
        }
        plans.sort(Comparator.comparing(p -> p.cluster().name()));
        return new ResolvedPlatform(loaded.root(), loaded.platform(), plans);
    }

    private void checkClusterNames() {
        Map<String, Cluster> seen = new TreeMap<>();
        for (EnvironmentSpec env : loaded.environments().values()) {
            for (Cluster c : env.clusters()) {
                Cluster prev = seen.putIfAbsent(c.name(), c);
                if (prev != null) {
                    diags.error(c.loc(), "cluster name '" + c.name() + "' is already used at " + prev.loc()
                            + " (cluster names are unique across all environments)");
                }
            }
        }
    }

    /** The extends chain, ancestors first, each once; null after reporting a cycle. */
    private List<EnvironmentSpec> linearize(EnvironmentSpec env, LinkedHashSet<String> path, List<EnvironmentSpec> out) {
        if (path.contains(env.name())) {
            List<String> cycle = new ArrayList<>(path);
            cycle = cycle.subList(cycle.indexOf(env.name()), cycle.size());
            cycle.add(env.name());
            // report each cycle once, at the environment that sorts first in it
            String first = new TreeSet<>(cycle).first();
            int at = cycle.indexOf(first);
            List<String> rotated = new ArrayList<>(cycle.subList(at, cycle.size() - 1));
            rotated.addAll(cycle.subList(0, at));
            rotated.add(first);
            EnvironmentSpec reportAt = loaded.environments().get(first);
            diags.error(reportAt.extendsLoc(), "cycle in extends: " + String.join(" -> ", rotated));
            return null;
        }
        path.add(env.name());
        for (String parentName : env.extendsNames()) {
            EnvironmentSpec parent = loaded.environments().get(parentName);
            if (parent == null) {
                diags.error(env.extendsLoc(), "environment '" + env.name() + "' extends unknown environment '"
                        + parentName + "'" + known(loaded.environments().keySet()));
                return null;
            }
            if (linearize(parent, path, out) == null) return null;
        }
        path.remove(env.name());
        if (out.stream().noneMatch(e -> e.name().equals(env.name()))) out.add(env);
        return out;
    }

    private List<ClusterPlan> resolveEnvironment(EnvironmentSpec env, List<EnvironmentSpec> chain) {
        Map<String, TenantSpec> tenants = new TreeMap<>();
        Map<String, AppSpec> apps = new TreeMap<>();
        List<Override> overrides = new ArrayList<>();
        List<Placement> placement = new ArrayList<>();
        for (EnvironmentSpec e : chain) {
            tenants.putAll(e.tenants());
            apps.putAll(e.apps());
            overrides.addAll(e.overrides());
            placement.addAll(e.placement());
        }
        checkKafkaGrants(tenants, env);
        // references: app -> tenant and namespace
        Map<String, String> appNamespace = new TreeMap<>();
        for (AppSpec app : apps.values()) {
            TenantSpec t = tenants.get(app.tenant());
            if (t == null) {
                diags.error(app.tenantLoc(), "application '" + app.name() + "' names tenant '" + app.tenant()
                        + "', which does not exist in environment '" + env.name() + "'" + known(tenants.keySet()));
                continue;
            }
            String ns = app.namespace() == null ? t.namespaces().get(0) : app.namespace();
            if (!t.namespaces().contains(ns)) {
                diags.error(app.namespaceLoc(), "namespace '" + ns + "' does not belong to tenant '" + t.name()
                        + "' (its namespaces: " + String.join(", ", t.namespaces()) + ")");
                continue;
            }
            appNamespace.put(app.name(), ns);
        }
        Map<String, AppSpec> overridden = applyOverrides(apps, overrides);
        checkPlacementReferences(placement, tenants, apps, env);
        boolean ordered = Order.check(apps, env.name(), diags);

        List<ClusterPlan> plans = new ArrayList<>();
        for (Cluster cluster : env.clusters()) {
            List<TenantSpec> placedTenants = new ArrayList<>();
            for (TenantSpec t : tenants.values()) {
                if (placed(cluster, placement, r -> r.tenants() != null && r.tenants().contains(t.name()))) {
                    placedTenants.add(t);
                }
            }
            // looked up once per app: a set (by identity, as the list holds these very specs)
            Set<TenantSpec> tenantsHere = Collections.newSetFromMap(new IdentityHashMap<>());
            tenantsHere.addAll(placedTenants);
            List<PlacedApp> placedApps = new ArrayList<>();
            for (AppSpec app : overridden.values()) {
                String ns = appNamespace.get(app.name());
                if (ns == null) continue;
                TenantSpec t = tenants.get(app.tenant());
                boolean named = placement.stream().anyMatch(r -> r.apps() != null && r.apps().contains(app.name()));
                boolean here = named
                        ? placed(cluster, placement, r -> r.apps() != null && r.apps().contains(app.name()))
                        : true;
                if (here && tenantsHere.contains(t)) placedApps.add(new PlacedApp(app, t, ns));
            }
            Map<String, ResolvedPlatform.Links> links = Uses.resolve(cluster, placedApps, apps, env.name(), diags);
            plans.add(new ClusterPlan(cluster, placedTenants, placedApps, links,
                    ordered ? Order.onCluster(placedApps, links) : Map.of()));
        }
        return plans;
    }

    /** Each Kafka grant of a tenant names another tenant of the environment. */
    private void checkKafkaGrants(Map<String, TenantSpec> tenants, EnvironmentSpec env) {
        for (TenantSpec t : tenants.values()) {
            if (!(t.node() instanceof PNode.PMap doc) || !(doc.get("spec") instanceof PNode.PMap spec)
                    || !(spec.get("kafka") instanceof PNode.PMap kafka) || !(kafka.get("grants") instanceof PNode.PList grants)) {
                continue;
            }
            for (PNode g : grants.items()) {
                if (!(g instanceof PNode.PMap grant) || !(grant.get("tenant") instanceof PNode.PScalar to)) continue;
                String name = String.valueOf(to.value());
                if (name.equals(t.name())) {
                    diags.error(to.loc(), "tenant '" + t.name() + "' grants Kafka topics to itself; its own topics need no grant");
                } else if (!tenants.containsKey(name)) {
                    diags.error(to.loc(), "tenant '" + t.name() + "' grants Kafka topics to tenant '" + name
                            + "', which does not exist in environment '" + env.name() + "'" + known(tenants.keySet()));
                }
            }
        }
    }

    /** True when the cluster matches a rule that applies to the subject, or no rule applies to it. */
    private static boolean placed(Cluster cluster, List<Placement> rules, Predicate<Placement> names) {
        List<Placement> applicable = rules.stream()
                .filter(r -> names.test(r) || (r.tenants() == null && r.apps() == null))
                .toList();
        if (applicable.isEmpty()) return true;
        return applicable.stream().anyMatch(r -> matches(cluster, r));
    }

    private static boolean matches(Cluster cluster, Placement r) {
        if (r.clusters() != null && !r.clusters().contains(cluster.name())) return false;
        if (r.clusterSelector() != null) {
            for (Map.Entry<String, String> e : r.clusterSelector().entrySet()) {
                if (!e.getValue().equals(cluster.labels().get(e.getKey()))) return false;
            }
        }
        return true;
    }

    private void checkPlacementReferences(List<Placement> rules, Map<String, TenantSpec> tenants,
                                          Map<String, AppSpec> apps, EnvironmentSpec env) {
        Set<String> clusterNames = new TreeSet<>();
        env.clusters().forEach(c -> clusterNames.add(c.name()));
        // rules inherited from a parent may name clusters of the environments that extend it
        Set<String> allClusters = new TreeSet<>();
        loaded.environments().values().forEach(e -> e.clusters().forEach(c -> allClusters.add(c.name())));
        for (Placement r : rules) {
            if (r.tenants() != null) {
                for (String t : r.tenants()) {
                    if (!tenants.containsKey(t)) {
                        diags.error(r.loc(), "placement names unknown tenant '" + t + "'" + known(tenants.keySet()));
                    }
                }
            }
            if (r.apps() != null) {
                for (String a : r.apps()) {
                    if (!apps.containsKey(a)) {
                        diags.error(r.loc(), "placement names unknown application '" + a + "'" + known(apps.keySet()));
                    }
                }
            }
            if (r.clusters() != null) {
                for (String c : r.clusters()) {
                    if (!clusterNames.contains(c) && !allClusters.contains(c)) {
                        diags.error(r.loc(), "placement names unknown cluster '" + c + "'" + known(clusterNames));
                    }
                }
            }
        }
    }

    private Map<String, AppSpec> applyOverrides(Map<String, AppSpec> apps, List<Override> overrides) {
        Map<String, AppSpec> out = new LinkedHashMap<>(apps);
        for (Override o : overrides) {
            AppSpec app = out.get(o.app());
            if (app == null) {
                diags.error(o.appLoc(), "override targets unknown application '" + o.app() + "'" + known(apps.keySet()));
                continue;
            }
            if (o.component() != null && app.components().stream().noneMatch(c -> c.name().equals(o.component()))) {
                diags.error(o.componentLoc(), "override targets unknown component '" + o.component()
                        + "' of application '" + app.name() + "'");
                continue;
            }
            List<ComponentSpec> comps = new ArrayList<>();
            for (ComponentSpec c : app.components()) {
                if (o.component() != null && !o.component().equals(c.name())) {
                    comps.add(c);
                    continue;
                }
                PNode props = c.properties();
                if (o.properties() != null) props = props == null ? o.properties() : PNode.merge(props, o.properties());
                List<TraitSpec> traits = new ArrayList<>(c.traits());
                for (TraitSpec ot : o.traits()) {
                    int i = indexOfType(traits, ot.type());
                    if (i < 0) {
                        traits.add(ot);
                    } else {
                        TraitSpec base = traits.get(i);
                        PNode merged = base.properties() == null ? ot.properties()
                                : ot.properties() == null ? base.properties() : PNode.merge(base.properties(), ot.properties());
                        traits.set(i, base.withProperties(merged));
                    }
                }
                comps.add(c.withPropertiesAndTraits(props, traits));
            }
            out.put(app.name(), app.withComponents(comps));
        }
        return out;
    }

    private static int indexOfType(List<TraitSpec> traits, String type) {
        for (int i = 0; i < traits.size(); i++) if (traits.get(i).type().equals(type)) return i;
        return -1;
    }

    private static String known(Collection<String> names) {
        return names.isEmpty() ? "" : " (known: " + String.join(", ", new TreeSet<>(names)) + ")";
    }
}
