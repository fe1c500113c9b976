package dev.plinth.check;

import dev.plinth.render.RenderedObject;

import java.util.HashMap;
import java.util.Map;

/** One object per (API group, kind, namespace, name) per cluster: otherwise one silently wins. */
final class UniqueObjectCheck implements NamespaceCheck {
    @Override
    public String id() {
        return "unique-object";
    }


    @Override
    public void check(NamespaceView namespace, CheckContext context, Findings findings) {
        Map<String, RenderedObject> seen = new HashMap<>();
        for (RenderedObject o : namespace.objects()) {
            String key = o.group() + "|" + o.kind() + "|" + o.namespace() + "|" + o.name();
            RenderedObject prev = seen.putIfAbsent(key, o);
            if (prev != null) {
                findings.error(id(), o, "metadata.name", "duplicate object: " + o.describe() + " is also rendered by "
                        + prev.source(), null);
            }
        }
    }
}
