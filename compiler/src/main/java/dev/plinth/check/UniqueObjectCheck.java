package dev.plinth.check;

import dev.plinth.diag.Diagnostics;
import dev.plinth.render.RenderedObject;
import dev.plinth.render.RenderedPlatform.RenderedCluster;

import java.util.HashMap;
import java.util.Map;

/** One object per (API group, kind, namespace, name) per cluster: otherwise one silently wins. */
final class UniqueObjectCheck implements Check {
    @Override
    public String id() {
        return "unique-object";
    }

    @Override
    public void run(RenderedCluster cluster, Diagnostics findings) {
        Map<String, RenderedObject> seen = new HashMap<>();
        for (RenderedObject o : cluster.objects()) {
            String key = o.group() + "|" + o.kind() + "|" + o.namespace() + "|" + o.name();
            RenderedObject prev = seen.putIfAbsent(key, o);
            if (prev != null) {
                findings.error(o.source(), id(), "duplicate object: " + o.describe() + " is also rendered by "
                        + prev.source() + " " + Checker.where(cluster, o));
            }
        }
    }
}
