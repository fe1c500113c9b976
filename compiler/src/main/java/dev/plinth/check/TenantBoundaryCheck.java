package dev.plinth.check;

import dev.plinth.render.RenderedObject;
import dev.plinth.render.RenderedPlatform.RenderedCluster;

/** An app's objects live only in its tenant's namespaces, and apps render no cluster-scoped objects. */
final class TenantBoundaryCheck implements Check {
    @Override
    public String id() {
        return "tenant-boundary";
    }

    @Override
    public boolean localToNamespaces(RenderedCluster cluster) {
        return true;
    }

    @Override
    public void run(RenderedCluster cluster, CheckContext context, Findings findings) {
        for (RenderedObject o : cluster.objects()) {
            if (o.area() != RenderedObject.Area.APP) continue;
            String ns = o.namespace();
            if (ns == null) {
                findings.error(id(), o, "", "application '" + o.app() + "' renders cluster-scoped " + o.kind()
                        + " '" + o.name() + "'; cluster-scoped objects belong to the platform", null);
            } else if (!cluster.tenantNamespaces(o.tenant()).contains(ns)) {
                findings.error(id(), o, "metadata.namespace", "object in namespace '" + ns + "', outside tenant '"
                        + o.tenant() + "' (its namespaces: " + String.join(", ", cluster.tenantNamespaces(o.tenant())) + ")", ns);
            }
        }
    }
}
