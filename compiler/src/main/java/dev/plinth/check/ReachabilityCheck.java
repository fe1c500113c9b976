package dev.plinth.check;

import dev.plinth.check.net.Flows;
import dev.plinth.check.net.Flows.ClusterFlows;
import dev.plinth.check.net.Flows.Flow;
import dev.plinth.render.RenderedPlatform.RenderedCluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The flows the platform needs are allowed by the cluster's NetworkPolicies, at both ends
 * ({@link Flows}; docs/policies.md, Reachability): each blocked one is an error at the spec line
 * that implies it, naming the flow and the end that blocks it. A cluster whose pods need the API
 * server but whose spec cannot name its address is an error at the cluster's line.
 */
final class ReachabilityCheck implements ClusterCheck {
    static final String ID = "reachability";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public void check(RenderedCluster cluster, CheckContext context, Findings findings) {
        ClusterFlows flows = Flows.of(cluster, context.platform());
        Flows.UnknownApiServer unknown = flows.unknownApiServer();
        if (unknown != null) {
            findings.errorAt(ID, unknown.first().owner(), unknown.cluster().loc(), null, "cluster " + unknown.cluster().name()
                    + " cannot name its API server, which " + String.join(", ", unknown.pods()) + " need: server '"
                    + unknown.cluster().server() + "' is no IP address and apiServerCIDRs is not set, so no egress to it can be "
                    + "generated or checked; set clusters[].apiServerCIDRs");
        }
        // one finding per blocked flow and spec line, its ports together (DNS on 53/UDP and 53/TCP)
        Map<List<Object>, List<Flow>> grouped = new LinkedHashMap<>();
        for (Flow f : flows.blocked()) {
            grouped.computeIfAbsent(List.of(f.kind(), f.at(), Objects.toString(f.path()), Objects.toString(f.loc()),
                    f.from().describe(), f.to().describe(), f.missing()), k -> new ArrayList<>()).add(f);
        }
        for (List<Flow> group : grouped.values()) {
            Flow f = group.get(0);
            List<String> ports = new ArrayList<>();
            for (Flow g : group) ports.add(g.port() + "/" + g.protocol());
            String message = f.kind().label() + " flow blocked: " + f.from().describe() + " -> " + f.to().describe() + " on "
                    + String.join(", ", ports.stream().distinct().toList()) + " is denied by " + f.missing();
            if (f.loc() != null) findings.errorAt(ID, f.at(), f.loc(), f.path(), message);
            else findings.error(ID, f.at(), f.path(), message, f.value());
        }
    }
}
