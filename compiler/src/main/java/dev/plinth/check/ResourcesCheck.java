package dev.plinth.check;

import dev.plinth.render.RenderedObject;
import dev.plinth.render.RenderedPlatform.RenderedCluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Every container requests CPU and memory and has a memory limit, so scheduling and quotas work. */
final class ResourcesCheck implements Check {
    @Override
    public String id() {
        return "resources";
    }

    @Override
    public void run(RenderedCluster cluster, CheckContext context, Findings findings) {
        for (RenderedObject o : cluster.objects()) {
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
            }
        }
    }
}
