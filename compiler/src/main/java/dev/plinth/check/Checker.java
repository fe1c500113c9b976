package dev.plinth.check;

import dev.plinth.check.k8s.ApiVersions;
import dev.plinth.concurrent.Parallel;
import dev.plinth.check.k8s.CoreModel;
import dev.plinth.check.k8s.CrdSchemas;
import dev.plinth.check.k8s.Operators;
import dev.plinth.diag.Diagnostics;
import dev.plinth.render.RenderedPlatform;
import dev.plinth.render.RenderedPlatform.RenderedCluster;
import dev.plinth.resolve.ResolvedPlatform.PlacedApp;
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

/**
 * Stage 4, check: runs every check over every cluster's objects and collects all findings. Each
 * check has an id (printed as {@code error[id]}, documented in docs/policies.md) that apps and
 * tenants can waive with a reason.
 */
public final class Checker {
    static final List<Check> CHECKS = List.of(
            new ObjectShapeCheck(),
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
            new PodSecurityCheck());

    /** The findings and the quota headroom report. */
    public record Report(Diagnostics findings, List<QuotaUsage> quotaUsage) {
    }

    /** -Dplinth.profileChecks=true prints the time of each check per cluster (for the benchmark notes). */
    private static final boolean PROFILE = Boolean.getBoolean("plinth.profileChecks");

    private Checker() {
    }

    public static Set<String> checkIds() {
        Set<String> ids = new TreeSet<>();
        CHECKS.forEach(c -> ids.add(c.id()));
        return ids;
    }

    /** Entry point of the stage, on one thread. */
    public static Report check(RenderedPlatform rendered, CrdSchemas crds) {
        return check(rendered, crds, 1);
    }

    /**
     * Entry point of the stage: every check over every cluster, as one task per (cluster, check)
     * on {@code jobs} threads. Findings and quota usage are put together in cluster and check
     * order, so the report does not depend on scheduling.
     */
    public static Report check(RenderedPlatform rendered, CrdSchemas crds, int jobs) {
        CoreModel core = CoreModel.get();
        ApiVersions apiVersions = ApiVersions.get();
        Operators operators = Operators.get();
        Set<String> used = ConcurrentHashMap.newKeySet();
        Set<String> checkedWaivers = new HashSet<>();
        Set<String> checkedClusters = new HashSet<>();
        record Task(int cluster, Check check, Findings findings, Diagnostics sink, CheckContext context) {
        }
        List<Diagnostics> specFindings = new ArrayList<>();
        List<Task> tasks = new ArrayList<>();
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
            for (Check check : CHECKS) {
                Diagnostics sink = new Diagnostics();
                CheckContext context = new CheckContext(core, crds, apiVersions, operators, new ArrayList<>());
                tasks.add(new Task(specFindings.size() - 1, check, new Findings(sink, cluster, appWaivers, tenantWaivers, used),
                        sink, context));
            }
        }
        Parallel.map(tasks, jobs, t -> {
            long t0 = System.nanoTime();
            RenderedCluster cluster = rendered.clusters().get(t.cluster());
            t.check().run(cluster, t.context(), t.findings());
            if (PROFILE) System.err.println("check " + t.check().id() + " " + cluster.cluster().name() + " " + (System.nanoTime() - t0) / 1_000_000 + " ms");
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
        return new Report(findings, usage);
    }

    private static void checkWaivers(List<Waiver> waivers, Diagnostics findings, Set<String> seen) {
        for (Waiver w : waivers) {
            if (!seen.add(w.loc().toString())) continue;
            if (!checkIds().contains(w.check())) {
                findings.error(w.loc(), "waiver names unknown check '" + w.check() + "' (checks: "
                        + String.join(", ", checkIds()) + ")");
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
