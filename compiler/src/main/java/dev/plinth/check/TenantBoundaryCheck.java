package dev.plinth.check;

import dev.plinth.diag.Diagnostics;
import dev.plinth.render.RenderedObject;
import dev.plinth.render.RenderedPlatform.RenderedCluster;

/** An app's objects live only in its own namespace. */
final class TenantBoundaryCheck implements Check {
    @Override
    public String id() {
        return "tenant-boundary";
    }

    @Override
    public void run(RenderedCluster cluster, Diagnostics findings) {
        for (RenderedObject o : cluster.objects()) {
            if (o.area() != RenderedObject.Area.APP) continue;
            String expected = String.valueOf(o.metadata().get("labels") instanceof java.util.Map<?, ?> l
                    ? l.get(dev.plinth.render.Renderer.TENANT_LABEL) : "");
            String ns = o.namespace();
            if (ns == null) {
                findings.error(o.source(), id(), "application '" + o.app() + "' renders cluster-scoped " + o.kind()
                        + " '" + o.name() + "'; cluster-scoped objects belong to the platform " + Checker.where(cluster, o));
            } else if (!cluster.tenantNamespaces(expected).contains(ns)) {
                findings.error(o.source(), id(), "object in namespace '" + ns + "', outside tenant '" + expected
                        + "' " + Checker.where(cluster, o) + " metadata.namespace");
            }
        }
    }
}
