package dev.plinth.render;

import dev.plinth.concurrent.Parallel;
import dev.plinth.definitions.JsonnetEngine;
import dev.plinth.diag.Diagnostics;
import dev.plinth.render.RenderedPlatform.RenderedCluster;
import dev.plinth.resolve.ResolvedPlatform;
import dev.plinth.resolve.ResolvedPlatform.ClusterPlan;
import dev.plinth.resolve.ResolvedPlatform.PlacedApp;
import dev.plinth.spec.Specs.ComponentSpec;
import dev.plinth.spec.Specs.TenantSpec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import dev.plinth.values.Strings;
import java.nio.file.Path;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stage 3, render: evaluates every unit (a tenant on a cluster, a component on a cluster) with
 * {@link UnitRenderer}, on {@code jobs} threads. Results and diagnostics are put together in
 * unit order, so output never depends on scheduling.
 */
public final class Renderer {
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String TENANT_LABEL = "plinth.dev/tenant";
    public static final String APP_LABEL = "plinth.dev/app";
    public static final String COMPONENT_LABEL = "plinth.dev/component";
    private static final Set<String> CLUSTER_SCOPED = loadClusterScoped();

    /** Called with the number of units done, for a progress line. */
    public interface Progress {
        void update(int done, int total);

        Progress NONE = (done, total) -> {
        };
    }

    private Renderer() {
    }

    /**
     * Which kinds are cluster-scoped, and so get no namespace: the built-in ones (a list kept equal
     * to the Kubernetes model) and the custom resources whose CRD, among the platform's, says so.
     *
     * @param customResources "group/Kind" of the cluster-scoped CRDs
     */
    public static final class ClusterScopedKinds {
        public static final ClusterScopedKinds BUILT_IN = new ClusterScopedKinds(Set.of());

        private final Set<String> customResources;
        private final String cacheKey;

        public ClusterScopedKinds(Set<String> customResources) {
            this.customResources = Set.copyOf(customResources);
            // part of every unit's cache key: the namespace stamped on an object depends on it,
            // and a unit's objects are kept stamped (empty without such CRDs)
            this.cacheKey = customResources.isEmpty() ? "" : "+" + Strings.checksum(
                    String.join("\n", new TreeSet<>(customResources)).getBytes(StandardCharsets.UTF_8));
        }

        public boolean isClusterScoped(String apiVersion, String kind) {
            if (Renderer.isClusterScoped(apiVersion, kind)) return true;
            int i = apiVersion.indexOf('/');
            return i > 0 && customResources.contains(apiVersion.substring(0, i) + "/" + kind);
        }

        String cacheKey() {
            return cacheKey;
        }
    }

    /** How many units at most are put off until an engine lane is free (see {@link UnitRenderer.Deferred}). */
    private static final int MAX_DEFERRALS = 8;

    /** One unit's objects and diagnostics; null when it was put off. */
    private static UnitResult renderUnit(Unit u, ResolvedPlatform resolved, Definitions definitions, JsonnetEngine engine,
                                         HelmCharts helm, UnitMemo cache, ClusterScopedKinds scopes, boolean mayDefer, Set<Path> read) {
        UnitRenderer r = new UnitRenderer(resolved, definitions, engine, helm, cache, scopes, mayDefer, read);
        try {
            List<RenderedObject> objects = u.tenant() != null
                    ? r.renderTenant(u.plan().cluster(), u.tenant())
                    : r.renderComponent(u.plan(), u.app(), u.component());
            return new UnitResult(objects, r.diagnostics());
        } catch (UnitRenderer.Deferred e) {
            return null;
        }
    }

    /**
     * Entry point of the stage: every unit of every cluster on {@code jobs} threads.
     *
     * @param cache  results of the previous render, reused for units whose inputs did not change
     * @param scopes which kinds get no namespace
     * @param read   gets every file and chart folder the units read outside the spec files
     *               ({@code file} and {@code yaml-file} properties, Helm charts), wherever they are
     *               in the platform root: the no-op check watches them too
     */
    public static RenderedPlatform render(ResolvedPlatform resolved, JsonnetEngine engine, int jobs, Progress progress,
                                          UnitMemo cache, ClusterScopedKinds scopes, Set<Path> read) {
        Definitions definitions = new Definitions(engine, cache);
        HelmCharts helm = new HelmCharts();
        List<Unit> units = new ArrayList<>();
        for (ClusterPlan plan : resolved.clusters()) {
            for (TenantSpec t : plan.tenants()) units.add(new Unit(plan, t, null, null));
            for (PlacedApp app : plan.apps()) {
                for (ComponentSpec c : app.app().components()) units.add(new Unit(plan, null, app, c));
            }
        }
        // A unit the cache misses while every engine lane is evaluating is put off, up to a few,
        // and rendered after the others: after a small change the few units to evaluate then
        // share one lane's parsed library instead of each thread parsing it (a full render stops
        // putting off at once and gets a lane per thread).
        AtomicInteger deferrals = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        List<UnitResult> results = new ArrayList<>(Parallel.map(units, jobs, u -> {
            UnitResult r = renderUnit(u, resolved, definitions, engine, helm, cache, scopes, deferrals.get() < MAX_DEFERRALS, read);
            if (r == null) deferrals.incrementAndGet();
            else progress.update(done.incrementAndGet(), units.size());
            return r;
        }));
        List<Integer> deferred = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) if (results.get(i) == null) deferred.add(i);
        // on as many threads as there are lanes: nothing is parsed again
        List<UnitResult> later = Parallel.map(deferred, Math.min(jobs, engine.lanes()), i -> {
            UnitResult r = renderUnit(units.get(i), resolved, definitions, engine, helm, cache, scopes, false, read);
            progress.update(done.incrementAndGet(), units.size());
            return r;
        });
        for (int d = 0; d < deferred.size(); d++) results.set(deferred.get(d), later.get(d));
        Diagnostics diags = new Diagnostics();
        results.forEach(r -> diags.addAll(r.diagnostics()));
        diags.throwIfErrors();

        List<RenderedCluster> clusters = new ArrayList<>();
        int i = 0;
        for (ClusterPlan plan : resolved.clusters()) {
            List<RenderedObject> objects = new ArrayList<>();
            List<String> tenants = new ArrayList<>();
            Map<String, List<String>> apps = new TreeMap<>();
            Map<String, List<String>> namespaces = new TreeMap<>();
            for (TenantSpec t : plan.tenants()) {
                tenants.add(t.name());
                apps.put(t.name(), new ArrayList<>());
                namespaces.put(t.name(), t.namespaces());
                objects.addAll(results.get(i++).objects());
            }
            for (PlacedApp app : plan.apps()) {
                apps.get(app.tenant().name()).add(app.app().name());
                for (int c = 0; c < app.app().components().size(); c++) objects.addAll(results.get(i++).objects());
            }
            clusters.add(new RenderedCluster(plan.cluster(), tenants, apps, namespaces, objects, plan, listens(plan, definitions)));
        }
        return new RenderedPlatform(resolved.root(), resolved.platform(), clusters);
    }

    /** The ports each component type of the cluster listens on, by type (types that fail to load listen on none). */
    private static Map<String, List<Map<String, Object>>> listens(ClusterPlan plan, Definitions definitions) {
        Map<String, List<Map<String, Object>>> out = new TreeMap<>();
        for (PlacedApp app : plan.apps()) {
            for (ComponentSpec c : app.app().components()) {
                out.computeIfAbsent(c.type(), type -> {
                    try {
                        return definitions.find("components", type).map(Definition::listens).orElse(List.of());
                    } catch (Definitions.BrokenDefinition e) {
                        return List.of(); // reported by the component's unit
                    }
                });
            }
        }
        return out;
    }

    /** A tenant unit has {@code tenant}; a component unit has {@code app} and {@code component}. */
    record Unit(ClusterPlan plan, TenantSpec tenant, PlacedApp app, ComponentSpec component) {
    }

    record UnitResult(List<RenderedObject> objects, Diagnostics diagnostics) {
    }

    /**
     * Starts recording every unit's Jsonnet program: the benchmark evaluates the same programs
     * with the plain sjsonnet and C++ jsonnet command lines to compare engines on equal work.
     */
    public static Map<String, String> recordPrograms() {
        Map<String, String> m = new ConcurrentHashMap<>();
        UnitRenderer.programs = m;
        return m;
    }

    public static boolean isClusterScoped(String apiVersion, String kind) {
        int i = apiVersion.indexOf('/');
        String group = i < 0 ? "core" : apiVersion.substring(0, i);
        return CLUSTER_SCOPED.contains(group + "/" + kind);
    }

    private static Set<String> loadClusterScoped() {
        try (InputStream in = Renderer.class.getResourceAsStream("/dev/plinth/render/cluster-scoped-kinds.txt")) {
            Set<String> out = new HashSet<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                line = line.trim();
                if (!line.isEmpty() && !line.startsWith("#")) out.add(line);
            }
            return Set.copyOf(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
