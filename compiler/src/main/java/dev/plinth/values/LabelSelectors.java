package dev.plinth.values;

import java.util.List;
import java.util.Map;

/**
 * Label selectors ({@code matchLabels} and {@code matchExpressions}) as the API server reads
 * them: all requirements must hold. One reading for every check that matches labels (workload
 * templates, admission policies' namespace and object selectors, ClusterRole aggregation).
 */
public final class LabelSelectors {
    private LabelSelectors() {
    }

    /**
     * True when the labels match the selector; an absent or empty selector matches everything,
     * and an expression with an unknown operator (which the API server rejects) matches nothing.
     */
    public static boolean matches(Object selector, Map<?, ?> labels) {
        if (!(selector instanceof Map<?, ?> s)) return true;
        if (s.get("matchLabels") instanceof Map<?, ?> ml) {
            for (Map.Entry<?, ?> e : ml.entrySet()) {
                Object have = labels.get(e.getKey());
                if (have == null || !String.valueOf(have).equals(String.valueOf(e.getValue()))) return false;
            }
        }
        if (s.get("matchExpressions") instanceof List<?> expressions) {
            for (Object o : expressions) {
                if (!(o instanceof Map<?, ?> x)) return false;
                Object have = labels.get(String.valueOf(x.get("key")));
                List<?> values = x.get("values") instanceof List<?> v ? v : List.of();
                boolean in = have != null && values.stream().anyMatch(v -> String.valueOf(v).equals(String.valueOf(have)));
                boolean ok = switch (String.valueOf(x.get("operator"))) {
                    case "In" -> in;
                    case "NotIn" -> !in;
                    case "Exists" -> have != null;
                    case "DoesNotExist" -> have == null;
                    default -> false;
                };
                if (!ok) return false;
            }
        }
        return true;
    }

    /** True when the selector has neither labels nor expressions (it selects everything). */
    public static boolean isEmpty(Object selector) {
        if (!(selector instanceof Map<?, ?> s)) return true;
        boolean noLabels = !(s.get("matchLabels") instanceof Map<?, ?> ml) || ml.isEmpty();
        boolean noExpressions = !(s.get("matchExpressions") instanceof List<?> l) || l.isEmpty();
        return noLabels && noExpressions;
    }
}
