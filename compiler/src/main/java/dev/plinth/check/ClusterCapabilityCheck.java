package dev.plinth.check;

import dev.plinth.render.RenderedObject;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A custom resource needs its API group on the cluster: served by an operator the cluster lists
 * in {@code operators} (by name, or by API group for operators Plinth has no table entry for),
 * or by a CustomResourceDefinition rendered for that cluster.
 */
final class ClusterCapabilityCheck implements NamespaceCheck {
    @Override
    public String id() {
        return "cluster-capabilities";
    }


    @Override
    public void check(NamespaceView namespace, CheckContext context, Findings findings) {
        Set<String> served = new TreeSet<>();
        for (String op : namespace.cluster().operators().keySet()) {
            served.addAll(context.operators().groupsOf(op));
            if (op.contains(".")) served.add(op); // an API group listed directly
        }
        for (RenderedObject o : namespace.objects()) {
            if (o.kind().equals("CustomResourceDefinition") && o.group().equals("apiextensions.k8s.io")) {
                Object g = Workloads.map(o.body().get("spec")).get("group");
                if (g != null) served.add(String.valueOf(g));
            }
        }
        for (RenderedObject o : namespace.objects()) {
            String group = o.group();
            if (group.isEmpty() || context.core().isBuiltInGroup(group) || served.contains(group)) continue;
            Set<String> ops = context.operators().servingGroup(group);
            String hint = "add " + (ops.isEmpty() ? group : String.join(" or ", ops)) + " to the cluster's operators";
            Map<String, String> declared = namespace.cluster().operators();
            findings.error(id(), o, "apiVersion", "API group " + group + " is not served on cluster " + namespace.cluster().name()
                    + " (operators: " + (declared.isEmpty() ? "none" : String.join(", ", declared.keySet())) + "): " + hint, o.apiVersion());
        }
    }
}
