package dev.plinth.check;

import dev.plinth.diag.Diagnostics;
import dev.plinth.render.RenderedPlatform;
import dev.plinth.render.RenderedPlatform.RenderedCluster;

import java.util.List;

/** Stage 4, check: runs every check over every cluster and collects all findings. */
public final class Checker {
    private static final List<Check> CHECKS = List.of(
            new ObjectShapeCheck(),
            new UniqueObjectCheck(),
            new TenantBoundaryCheck());

    private Checker() {
    }

    /** Entry point of the stage: findings of all checks; the caller decides whether errors stop it. */
    public static Diagnostics check(RenderedPlatform rendered) {
        Diagnostics findings = new Diagnostics();
        for (RenderedCluster cluster : rendered.clusters()) {
            for (Check check : CHECKS) check.run(cluster, findings);
        }
        return findings;
    }

    /** "(cluster namespace Kind/name)" as printed after a finding. */
    static String where(RenderedCluster c, dev.plinth.render.RenderedObject o) {
        String ns = o.namespace();
        return "(" + c.cluster().name() + (ns == null ? "" : " " + ns) + " " + o.kind() + "/" + o.name() + ")";
    }
}
