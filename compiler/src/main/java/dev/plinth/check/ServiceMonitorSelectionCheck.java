package dev.plinth.check;

import dev.plinth.render.RenderedObject;
import dev.plinth.render.RenderedPlatform.RenderedCluster;

import java.util.List;
import java.util.Map;

/**
 * The references check's part that crosses namespaces: a ServiceMonitor whose
 * namespaceSelector names other namespaces selects Services there and names ports they have.
 * The rest of the references are local to a namespace ({@link ReferencesCheck}); this part
 * reads the whole cluster, so it is a cluster check, reported under the same id.
 */
final class ServiceMonitorSelectionCheck implements ClusterCheck {
    @Override
    public String id() {
        return ReferencesCheck.ID;
    }

    @Override
    public void check(RenderedCluster cluster, CheckContext context, Findings findings) {
        List<RenderedObject> monitors = cluster.objects().stream().filter(ReferencesCheck::selectsOtherNamespaces).toList();
        if (monitors.isEmpty()) return;
        Map<String, ReferencesCheck.Namespace> index = ReferencesCheck.index(cluster.objects());
        for (RenderedObject o : monitors) {
            ReferencesCheck.checkServiceMonitor(o, Workloads.map(o.body().get("spec")), index, findings);
        }
    }
}
