package dev.plinth.check;

import dev.plinth.render.RenderedObject;

/** An app's objects live only in its tenant's namespaces, and apps render no cluster-scoped objects. */
final class TenantBoundaryCheck implements NamespaceCheck {
    @Override
    public String id() {
        return "tenant-boundary";
    }


    @Override
    public void check(NamespaceView namespace, CheckContext context, Findings findings) {
        for (RenderedObject o : namespace.objects()) {
            if (o.area() != RenderedObject.Area.APP) continue;
            String ns = o.namespace();
            if (ns == null) {
                findings.error(id(), o, "", "application '" + o.app() + "' renders cluster-scoped " + o.kind()
                        + " '" + o.name() + "'; cluster-scoped objects belong to the platform", null);
            } else if (!namespace.tenantNamespaces(o.tenant()).contains(ns)) {
                findings.error(id(), o, "metadata.namespace", "object in namespace '" + ns + "', outside tenant '"
                        + o.tenant() + "' (its namespaces: " + String.join(", ", namespace.tenantNamespaces(o.tenant())) + ")", ns);
            }
        }
    }
}
