package dev.plinth.check;

import dev.plinth.check.k8s.ApiVersions;
import dev.plinth.check.k8s.ClusterCrds;
import dev.plinth.concurrent.Parallel;
import dev.plinth.check.k8s.CoreModel;
import dev.plinth.check.k8s.CrdSchemas;
import dev.plinth.check.k8s.Operators;
import dev.plinth.diag.Diagnostics;
import dev.plinth.gitops.EngineAdmission;
import dev.plinth.render.RenderedObject;
import dev.plinth.render.RenderedPlatform;
import dev.plinth.render.RenderedPlatform.RenderedCluster;
import dev.plinth.resolve.ResolvedPlatform.PlacedApp;
import dev.plinth.spec.SpecLoader;
import dev.plinth.spec.Specs.Cluster;
import dev.plinth.spec.Specs.TenantSpec;
import dev.plinth.spec.Specs.Waiver;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import dev.plinth.values.JsonValues;
import java.io.IOException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Objects;
import java.util.function.Function;

/**
 * Stage 4, check: runs every check over every cluster's objects and collects all findings. Each
 * check has an id (printed as {@code error[id]}, documented in docs/policies.md) that apps and
 * tenants can waive with a reason.
 */
public final class Checker {
    static final List<Check> CHECKS = List.of(
            new ApiValidationCheck(),
            new ApiVersionCheck(),
            new SchemaCheck(),
            new ClusterCapabilityCheck(),
            new UniqueObjectCheck(),
            new TenantBoundaryCheck(),
            new QuotaFitCheck(),
            new ImagesPinnedCheck(),
            new ResourcesCheck(),
            new NoPlaintextSecretsCheck(),
            new ReferencesCheck(),
            new KafkaAccessCheck(),
            new ServiceMonitorSelectionCheck(),
            new ReachabilityCheck(),
            new CrossNamespaceReachabilityCheck(),
            new PodSecurityCheck(),
            new AdmissionCheck());

    /**
     * The findings and the quota headroom report, and the namespaces checked this time, whose
     * findings are kept once the emit stage has given every object's YAML digest (see
     * {@link #keep}).
     */
    public record Report(Diagnostics findings, List<QuotaUsage> quotaUsage, List<NamespaceChecked> checked) {
    }

    /** A namespace a namespace check ran over this time, with what it found, to be kept. */
    public record NamespaceChecked(String cluster, String check, ClusterNamespaces namespaces, int scope, NamespaceRuns.Kept kept) {
    }

    /**
     * Keeps the findings of the namespaces checked this time, each under the key of its objects'
     * YAML digests and its cluster's spec (a namespace whose objects' digests are not all known
     * is not kept).
     */
    public static void keep(List<NamespaceChecked> checked, Function<RenderedObject, String> yamlDigest, ScopeMemo scopes) {
        // the key of each cluster's cluster-scoped objects once, then those of the namespaces checked
        Map<ClusterNamespaces, String> clusterScopedKeys = new IdentityHashMap<>();
        Map<NamespaceRuns.Scope, String> keys = new IdentityHashMap<>();
        for (NamespaceChecked c : checked) {
            ClusterNamespaces cn = c.namespaces();
            String clusterScoped = clusterScopedKeys.computeIfAbsent(cn, x -> NamespaceRuns.key(x.context(), null, x.scopes().get(0), yamlDigest));
            NamespaceRuns.Scope scope = cn.scopes().get(c.scope());
            String key = keys.computeIfAbsent(scope, x -> c.scope() == 0 ? clusterScoped : NamespaceRuns.key(cn.context(), clusterScoped, x, yamlDigest));
            if (key != null) scopes.keep(c.cluster(), c.check(), scope.name(), key, NamespaceRuns.encode(c.kept()));
        }
    }

    /**
     * Where the findings of the checks across objects are kept per namespace between renders
     * (see {@link NamespaceRuns}).
     */
    public interface ScopeMemo {
        /** Remembers nothing: every namespace is checked. */
        ScopeMemo NONE = new ScopeMemo() {
            @Override
            public boolean enabled() {
                return false;
            }

            @Override
            public String kept(String cluster, String check, String scope, String key) {
                return null;
            }

            @Override
            public void keep(String cluster, String check, String scope, String key, String findings) {
            }
        };

        /** False when nothing is kept: then no namespace's key is worked out. */
        boolean enabled();

        /** The findings kept for a scope under this key, or null. */
        String kept(String cluster, String check, String scope, String key);

        void keep(String cluster, String check, String scope, String key, String findings);
    }

    /**
     * Where the findings of the {@link ObjectCheck}s are kept per unit between renders (the
     * render cache, whose entry for a unit goes when the unit's result changes). The key names
     * what else the findings depend on: the CRD schemas, the cluster's Kubernetes version and
     * the checks (their code is the build's, which the cache's version covers).
     */
    public record FindingsMemo(Lookup lookup, Store store) {
        /** The findings stored for the unit under this key, or null. */
        @FunctionalInterface
        public interface Lookup {
            String findings(String unit, String key);
        }

        @FunctionalInterface
        public interface Store {
            void store(String unit, String key, String findings);
        }
    }

    /** Units whose objects one task checks with the object checks. */
    private static final int UNITS_PER_TASK = 64;

    /** -Dplinth.profileChecks=true prints the time of each check per cluster (for the benchmark notes). */
    private static final boolean PROFILE = Boolean.getBoolean("plinth.profileChecks");

    private Checker() {
    }

    public static Set<String> checkIds() {
        Set<String> ids = new TreeSet<>();
        CHECKS.forEach(c -> ids.add(c.id()));
        return ids;
    }

    /** A cluster's namespaces, their views and keys, worked out once for all its namespace checks. */
    record ClusterNamespaces(ClusterSpec spec, List<NamespaceRuns.Scope> scopes, String context, List<String> keys) {
    }

    /**
     * Entry point of the stage: every check over every cluster on {@code jobs} threads, as one
     * task per (cluster, check) and, for the object checks, one per run of units, whose findings
     * come from {@code memo} where it has them. Findings and quota usage are put together in
     * cluster and check order, so the report does not depend on scheduling.
     *
     * @param scopes      where the namespace checks keep their findings per namespace: only
     *                    namespaces whose objects or context changed are checked again
     * @param yamlDigests the digest of an object's YAML where the render cache knows it (it
     *                    stands for the object's content in a namespace's key), else null
     */
    public static Report check(RenderedPlatform rendered, ClusterCrds crds, int jobs, FindingsMemo memo, ScopeMemo scopes,
                               Function<RenderedObject, String> yamlDigests) {
        CoreModel core = CoreModel.get();
        ApiVersions apiVersions = ApiVersions.get();
        Operators operators = Operators.get();
        Set<String> used = ConcurrentHashMap.newKeySet();
        Set<String> checkedWaivers = new HashSet<>();
        Set<String> checkedClusters = new HashSet<>();
        // check is null for a task of the object checks over some units' objects
        record Task(int cluster, Check check, Findings findings, Diagnostics sink, CheckContext context,
                    List<List<RenderedObject>> units) {
        }
        List<ObjectCheck> objectChecks = new ArrayList<>();
        for (Check c : CHECKS) if (c instanceof ObjectCheck oc) objectChecks.add(oc);
        String checksKey = String.join(",", objectChecks.stream().map(Check::id).toList());
        List<Diagnostics> specFindings = new ArrayList<>();
        List<Task> tasks = new ArrayList<>();
        Map<String, Object> platform = rendered.platform() == null ? SpecLoader.platformDefaults() : rendered.platform().settings();
        for (RenderedCluster cluster : rendered.clusters()) {
            // what the specs say about checks (unknown operators, waivers) once per cluster and waiver
            Diagnostics spec = new Diagnostics();
            checkOperators(cluster.cluster(), operators, spec, checkedClusters);
            Map<String, List<Waiver>> appWaivers = new HashMap<>();
            for (PlacedApp a : cluster.plan().apps()) {
                appWaivers.put(a.app().name(), a.app().waivers());
                checkWaivers(a.app().waivers(), spec, checkedWaivers);
            }
            Map<String, List<Waiver>> tenantWaivers = new HashMap<>();
            for (TenantSpec t : cluster.plan().tenants()) {
                tenantWaivers.put(t.name(), t.waivers());
                checkWaivers(t.waivers(), spec, checkedWaivers);
            }
            specFindings.add(spec);
            CrdSchemas clusterCrds = crds.of(cluster.cluster().name());
            List<List<RenderedObject>> units = byUnit(cluster.objects());
            for (int from = 0; from < units.size(); from += UNITS_PER_TASK) {
                Diagnostics sink = new Diagnostics();
                CheckContext context = new CheckContext(core, clusterCrds, apiVersions, operators, new ArrayList<>());
                tasks.add(new Task(specFindings.size() - 1, null, new Findings(sink, cluster, appWaivers, tenantWaivers, used),
                        sink, context, units.subList(from, Math.min(units.size(), from + UNITS_PER_TASK))));
            }
            for (Check check : CHECKS) {
                if (check instanceof ObjectCheck) continue;
                Diagnostics sink = new Diagnostics();
                CheckContext context = new CheckContext(core, clusterCrds, apiVersions, operators, new ArrayList<>(), platform);
                tasks.add(new Task(specFindings.size() - 1, check, new Findings(sink, cluster, appWaivers, tenantWaivers, used),
                        sink, context, List.of()));
            }
        }
        Map<Integer, ClusterNamespaces> namespaces = new ConcurrentHashMap<>();
        List<NamespaceChecked> checked = Collections.synchronizedList(new ArrayList<>());
        Parallel.map(tasks, jobs, t -> {
            long t0 = System.nanoTime();
            RenderedCluster cluster = rendered.clusters().get(t.cluster());
            if (t.check() == null) {
                String kubeVersion = cluster.cluster().kubeVersion();
                // the findings depend on the cluster's CRDs and Kubernetes version besides the object
                String key = t.context().crds().fingerprint() + "|" + checksKey + "|" + kubeVersion;
                for (List<RenderedObject> unit : t.units()) {
                    checkUnit(unit, objectChecks, kubeVersion, key, t.context(), memo, t.findings());
                }
            } else if (t.check() instanceof NamespaceCheck check) {
                ClusterNamespaces cn = namespaces.computeIfAbsent(t.cluster(), i -> namespacesOf(cluster, t.context().platform(), t.context().crds(), scopes, yamlDigests));
                checkNamespaces(check, cluster.cluster().name(), cn, scopes, t.findings(), t.context(), checked);
            } else if (t.check() instanceof ClusterCheck check) {
                check.check(cluster, t.context(), t.findings());
            }
            if (PROFILE) System.err.println("check " + (t.check() == null ? "objects" : t.check().id()) + " "
                    + cluster.cluster().name() + " " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            return t;
        });
        Diagnostics findings = new Diagnostics();
        List<QuotaUsage> usage = new ArrayList<>();
        for (int c = 0; c < specFindings.size(); c++) {
            findings.addAll(specFindings.get(c));
            for (Task t : tasks) {
                if (t.cluster() != c) continue;
                findings.addAll(t.sink());
                usage.addAll(t.context().quotaUsage());
            }
        }
        usage.sort(Comparator.comparing(QuotaUsage::cluster).thenComparing(QuotaUsage::namespace).thenComparing(QuotaUsage::resource));
        return new Report(findings, usage, List.copyOf(checked));
    }

    /** A cluster's namespaces and, when their findings are kept, their keys. */
    private static ClusterNamespaces namespacesOf(RenderedCluster cluster, Map<String, Object> platform, CrdSchemas crds,
                                                  ScopeMemo scopes, Function<RenderedObject, String> yamlDigests) {
        ClusterSpec spec = ClusterSpec.of(cluster, platform);
        List<NamespaceRuns.Scope> of = NamespaceRuns.of(cluster);
        if (!scopes.enabled()) return new ClusterNamespaces(spec, of, null, null);
        String context = spec.fingerprint(crds.fingerprint());
        return new ClusterNamespaces(spec, of, context, NamespaceRuns.keys(context, of, yamlDigests));
    }

    /**
     * Runs a namespace check over a cluster one namespace at a time, replaying the findings kept
     * for a namespace whose key is unchanged; a check that reads other namespaces (as the
     * cluster-scoped objects say) runs once over the whole cluster, and nothing is kept.
     */
    private static void checkNamespaces(NamespaceCheck check, String cluster, ClusterNamespaces cn, ScopeMemo scopes,
                                        Findings findings, CheckContext context, List<NamespaceChecked> checked) {
        if (check.readsOtherNamespaces(cn.scopes().get(0).own())) {
            List<RenderedObject> all = new ArrayList<>();
            for (NamespaceRuns.Scope scope : cn.scopes()) all.addAll(scope.own());
            check.check(new NamespaceView(null, all, cn.spec()), context, findings);
            return;
        }
        for (int i = 0; i < cn.scopes().size(); i++) {
            NamespaceRuns.Scope scope = cn.scopes().get(i);
            String key = cn.keys() == null ? null : cn.keys().get(i);
            NamespaceRuns.Kept k = key == null ? null : NamespaceRuns.decode(scopes.kept(cluster, check.id(), scope.name(), key), scope);
            if (k == null) {
                k = NamespaceRuns.run(check, scope, cn.spec(), context);
                if (cn.keys() != null) checked.add(new NamespaceChecked(cluster, check.id(), cn, i, k));
            }
            NamespaceRuns.replay(k, scope, findings, context.quotaUsage());
        }
    }

    /** A cluster's objects in runs of one unit each (a unit's objects are next to each other). */
    private static List<List<RenderedObject>> byUnit(List<RenderedObject> objects) {
        List<List<RenderedObject>> units = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= objects.size(); i++) {
            if (i == objects.size() || !Objects.equals(objects.get(i).unit(), objects.get(start).unit())) {
                units.add(objects.subList(start, i));
                start = i;
            }
        }
        return units;
    }

    /**
     * The object checks' findings about one unit's objects: replayed from the memo when it has
     * them under this key, else found, stored and replayed. A stored list that cannot be read or
     * does not fit the objects is found again, never trusted.
     */
    private static void checkUnit(List<RenderedObject> objects, List<ObjectCheck> checks, String kubeVersion, String key,
                                  CheckContext context, FindingsMemo memo, Findings findings) {
        String unit = objects.get(0).unit();
        List<Findings.Recorded> recorded = unit == null ? null : decode(memo.lookup().findings(unit, key), objects.size());
        if (recorded == null) {
            recorded = new ArrayList<>();
            Findings recorder = Findings.recorder(recorded);
            for (int i = 0; i < objects.size(); i++) {
                recorder.at(i);
                for (ObjectCheck c : checks) c.check(objects.get(i), kubeVersion, context, recorder);
            }
            if (unit != null) memo.store().store(unit, key, encode(recorded));
        }
        for (Findings.Recorded r : recorded) findings.replay(r, objects.get(r.object()));
    }

    /** Recorded findings as JSON on one line: an array of [object, severity, check, path, message, value]. */
    static String encode(List<Findings.Recorded> recorded) {
        if (recorded.isEmpty()) return "[]";
        List<Object> rows = new ArrayList<>();
        for (Findings.Recorded r : recorded) rows.add(r.row());
        return JsonValues.write(rows);
    }

    /** The findings {@link #encode} wrote, or null when there are none stored or they do not fit. */
    static List<Findings.Recorded> decode(String stored, int objects) {
        if (stored == null) return null;
        if (stored.equals("[]")) return List.of();
        try {
            return rows(JsonValues.read(stored), objects);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Findings from the rows of {@link Findings.Recorded#row}, or null when any does not fit. */
    static List<Findings.Recorded> rows(Object rows, int objects) {
        if (!(rows instanceof List<?> list)) return null;
        List<Findings.Recorded> out = new ArrayList<>();
        for (Object row : list) {
            Findings.Recorded r = Findings.Recorded.fromRow(row, objects);
            if (r == null) return null;
            out.add(r);
        }
        return out;
    }

    private static void checkWaivers(List<Waiver> waivers, Diagnostics findings, Set<String> seen) {
        for (Waiver w : waivers) {
            if (!seen.add(w.loc().toString())) continue;
            if (w.check().equals(Findings.RETIRED_OBJECT_SHAPE)) {
                findings.warning(w.loc(), null, "waiver names check '" + Findings.RETIRED_OBJECT_SHAPE + "', now part of '"
                        + ApiValidationCheck.ID + "': it waives that check's findings about metadata.name and metadata.labels only");
            } else if (w.check().equals(EngineAdmission.CHECK)) {
                findings.error(w.loc(), "waiver names check '" + w.check() + "', which cannot be waived: Argo CD or Flux refuses"
                        + " the object whatever the spec says; change the object or the platform's gitops definition");
            } else if (!checkIds().contains(w.check())) {
                findings.error(w.loc(), "waiver names unknown check '" + w.check() + "' (checks: "
                        + String.join(", ", checkIds()) + ")");
            } else if (w.check().equals(AdmissionCheck.ID)) {
                findings.error(w.loc(), "the admission check cannot be waived: the clusters enforce the platform's"
                        + " admission policies whatever the spec says (change the policy or its binding instead)");
            }
        }
    }

    private static void checkOperators(Cluster cluster, Operators operators, Diagnostics findings, Set<String> seen) {
        if (!seen.add(cluster.name())) return;
        for (String op : cluster.operators().keySet()) {
            // an API group (it has a dot) stands for an operator Plinth has no table entry for
            if (!operators.knows(op) && !op.contains(".")) {
                findings.error(cluster.loc(), "cluster " + cluster.name() + " lists unknown operator '" + op + "' (known: "
                        + String.join(", ", operators.names()) + ", or an API group such as example.com)");
            }
        }
    }
}
