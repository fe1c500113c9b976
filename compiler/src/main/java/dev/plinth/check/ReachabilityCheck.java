package dev.plinth.check;

import dev.plinth.check.net.Flows;
import dev.plinth.check.net.Flows.Flow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The flows the platform needs are allowed by the cluster's NetworkPolicies, at both ends
 * ({@link Flows}; docs/policies.md, Reachability): each blocked one is an error at the spec line
 * that implies it, naming the flow and the end that blocks it. This part decides the flows a
 * namespace decides alone (its pods' DNS, API server and operators, the monitors and scalers
 * within it), so its findings are kept per namespace; {@link CrossNamespaceReachabilityCheck}
 * decides the rest under the same id.
 */
final class ReachabilityCheck implements NamespaceCheck {
    static final String ID = "reachability";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public void check(NamespaceView namespace, CheckContext context, Findings findings) {
        ClusterSpec spec = namespace.spec();
        report(Flows.local(namespace.objects(), spec.cluster(), spec.plan(), spec.listens(), spec.platform()), findings);
    }

    /** One finding per blocked flow and spec line, its ports together (DNS on 53/TCP and 53/UDP). */
    static void report(List<Flow> flows, Findings findings) {
        Map<List<Object>, List<Flow>> grouped = new LinkedHashMap<>();
        for (Flow f : flows) {
            if (f.verdict().allowed() || !findings.reports(f.at())) continue;
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
