package dev.plinth.check.k8s;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Which API groups each operator serves ({@code operators.yaml}). */
public final class Operators {
    private final Map<String, Set<String>> groups = new TreeMap<>();
    private static final Operators INSTANCE = new Operators();

    public static Operators get() {
        return INSTANCE;
    }

    @SuppressWarnings("unchecked")
    private Operators() {
        Map<String, Object> data = (Map<String, Object>) ResourceData.load("/dev/plinth/check/operators.yaml");
        data.forEach((op, gs) -> {
            Set<String> set = new TreeSet<>();
            for (Object g : (List<Object>) gs) set.add(String.valueOf(g));
            groups.put(op, Set.copyOf(set));
        });
    }

    public boolean knows(String operator) {
        return groups.containsKey(operator);
    }

    public Set<String> names() {
        return groups.keySet();
    }

    /** The operators (by name) that serve a group. */
    public Set<String> servingGroup(String group) {
        Set<String> out = new TreeSet<>();
        groups.forEach((op, gs) -> {
            if (gs.contains(group)) out.add(op);
        });
        return out;
    }

    public Set<String> groupsOf(String operator) {
        return groups.getOrDefault(operator, Set.of());
    }
}
