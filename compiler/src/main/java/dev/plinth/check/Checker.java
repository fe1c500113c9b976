package dev.plinth.check;

import dev.plinth.check.k8s.ApiVersions;
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

    /** Entry point of the stage. */
    public static Report check(RenderedPlatform rendered, CrdSchemas crds) {
        Diagnostics findings = new Diagnostics();
        CheckContext context = new CheckContext(CoreModel.get(), crds, ApiVersions.get(), Operators.get(), new ArrayList<>());
        Set<String> used = new HashSet<>();
        Set<String> checkedWaivers = new HashSet<>();
        Set<String> checkedClusters = new HashSet<>();
        for (RenderedCluster cluster : rendered.clusters()) {
            checkOperators(cluster.cluster(), context, findings, checkedClusters);
            Map<String, List<Waiver>> appWaivers = new HashMap<>();
            for (PlacedApp a : cluster.plan().apps()) {
                appWaivers.put(a.app().name(), a.app().waivers());
                checkWaivers(a.app().waivers(), findings, checkedWaivers);
            }
            Map<String, List<Waiver>> tenantWaivers = new HashMap<>();
            for (TenantSpec t : cluster.plan().tenants()) {
                tenantWaivers.put(t.name(), t.waivers());
                checkWaivers(t.waivers(), findings, checkedWaivers);
            }
            Findings f = new Findings(findings, cluster, appWaivers, tenantWaivers, used);
            for (Check check : CHECKS) {
                long t0 = System.nanoTime();
                check.run(cluster, context, f);
                if (PROFILE) System.err.println("check " + check.id() + " " + cluster.cluster().name() + " " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            }
        }
        List<QuotaUsage> usage = new ArrayList<>(context.quotaUsage());
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

    private static void checkOperators(Cluster cluster, CheckContext context, Diagnostics findings, Set<String> seen) {
        if (!seen.add(cluster.name())) return;
        for (String op : cluster.operators().keySet()) {
            // an API group (it has a dot) stands for an operator Plinth has no table entry for
            if (!context.operators().knows(op) && !op.contains(".")) {
                findings.error(cluster.loc(), "cluster " + cluster.name() + " lists unknown operator '" + op + "' (known: "
                        + String.join(", ", context.operators().names()) + ", or an API group such as example.com)");
            }
        }
    }
}
