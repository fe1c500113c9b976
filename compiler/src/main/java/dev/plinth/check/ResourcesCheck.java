package dev.plinth.check;

import dev.plinth.render.RenderedObject;
import dev.plinth.values.Quantity;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every container requests CPU and memory and has a memory limit, so scheduling and quotas work;
 * and no container requests more than the default limit its namespace's LimitRange would give
 * it (admission rejects such pods: the default limit ends up below the request).
 */
final class ResourcesCheck implements NamespaceCheck {
    @Override
    public String id() {
        return "resources";
    }


    @Override
    public void check(NamespaceView namespace, CheckContext context, Findings findings) {
        Map<String, Map<String, Object>> defaultLimits = new HashMap<>();
        for (RenderedObject o : namespace.objects()) {
            if (!o.kind().equals("LimitRange") || !o.group().isEmpty() || o.namespace() == null) continue;
            for (Object l : Workloads.list(Workloads.map(o.body().get("spec")).get("limits"))) {
                if ("Container".equals(Workloads.map(l).get("type"))) defaultLimits.put(o.namespace(), Workloads.map(Workloads.map(l).get("default")));
            }
        }
        for (RenderedObject o : namespace.objects()) {
            Workloads.PodTemplate pod = Workloads.podTemplate(o);
            if (pod == null) continue;
            for (Workloads.Container c : Workloads.containers(pod)) {
                Map<String, Object> res = Workloads.map(c.body().get("resources"));
                Map<String, Object> requests = Workloads.map(res.get("requests"));
                Map<String, Object> limits = Workloads.map(res.get("limits"));
                List<String> missing = new ArrayList<>();
                if (!requests.containsKey("cpu")) missing.add("requests.cpu");
                if (!requests.containsKey("memory")) missing.add("requests.memory");
                if (!limits.containsKey("memory")) missing.add("limits.memory");
                if (!missing.isEmpty()) {
                    findings.error(id(), o, c.path() + ".resources", "container " + c.name() + " has no "
                            + String.join(", ", missing), null);
                }
                Map<String, Object> defaults = defaultLimits.getOrDefault(o.namespace(), Map.of());
                for (String r : List.of("cpu", "memory")) {
                    if (limits.containsKey(r) || !defaults.containsKey(r) || !requests.containsKey(r)) continue;
                    // a value that is not a quantity is the schema check's finding, not a lower limit
                    Optional<Quantity> request = Quantity.fromValue(requests.get(r));
                    Optional<Quantity> defaultLimit = Quantity.fromValue(defaults.get(r));
                    if (request.isPresent() && defaultLimit.isPresent() && request.get().compareTo(defaultLimit.get()) > 0) {
                        findings.error(id(), o, c.path() + ".resources.requests." + r, "container " + c.name() + " requests "
                                + r + " " + requests.get(r) + " without a limit, and the LimitRange of " + o.namespace()
                                + " would give it the lower default limit " + defaults.get(r) + "; admission rejects such pods", null);
                    }
                }
            }
        }
    }
}
