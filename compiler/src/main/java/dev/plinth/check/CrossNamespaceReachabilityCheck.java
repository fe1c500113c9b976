package dev.plinth.check;

import dev.plinth.check.net.Flows;
import dev.plinth.check.net.Flows.ClusterFlows;
import dev.plinth.render.RenderedPlatform.RenderedCluster;

/**
 * The reachability check's part that crosses namespaces (see {@link ReachabilityCheck}):
 * declared uses, flows between two rendered namespaces, and a cluster whose pods need the API
 * server but whose spec cannot name its address (an error at the cluster's line). It reads the
 * whole cluster, so it runs on every render, reading only the namespaces those flows involve.
 */
final class CrossNamespaceReachabilityCheck implements ClusterCheck {
    @Override
    public String id() {
        return ReachabilityCheck.ID;
    }

    @Override
    public void check(RenderedCluster cluster, CheckContext context, Findings findings) {
        ClusterFlows flows = Flows.crossing(cluster, context.platform());
        Flows.UnknownApiServer unknown = flows.unknownApiServer();
        if (unknown != null) {
            findings.errorAt(id(), unknown.first().owner(), unknown.cluster().loc(), null, "cluster " + unknown.cluster().name()
                    + " cannot name its API server, which " + String.join(", ", unknown.pods()) + " need: server '"
                    + unknown.cluster().server() + "' is no IP address and apiServerCIDRs is not set, so no egress to it can be "
                    + "generated or checked; set clusters[].apiServerCIDRs");
        }
        ReachabilityCheck.report(flows.flows(), findings);
    }
}
