package dev.plinth.check.admission;

import java.util.List;
import java.util.Map;

/** Label selectors ({@code matchLabels}, {@code matchExpressions}) as the API server reads them. */
final class Selectors {
    private Selectors() {
    }

    /** True when the labels match the selector; an absent or empty selector matches everything. */
    static boolean matches(Object selector, Map<?, ?> labels) {
        if (!(selector instanceof Map<?, ?> s)) return true;
        if (s.get("matchLabels") instanceof Map<?, ?> ml) {
            for (Map.Entry<?, ?> e : ml.entrySet()) {
                if (!labels.containsKey(e.getKey()) || !String.valueOf(labels.get(e.getKey())).equals(String.valueOf(e.getValue()))) {
                    return false;
                }
            }
        }
        if (s.get("matchExpressions") instanceof List<?> exprs) {
            for (Object o : exprs) {
                if (!(o instanceof Map<?, ?> x)) return false;
                String key = String.valueOf(x.get("key"));
                List<?> values = x.get("values") instanceof List<?> v ? v : List.of();
                boolean has = labels.containsKey(key);
                String value = has ? String.valueOf(labels.get(key)) : null;
                boolean in = has && values.stream().anyMatch(v -> String.valueOf(v).equals(value));
                boolean ok = switch (String.valueOf(x.get("operator"))) {
                    case "In" -> in;
                    case "NotIn" -> !in;
                    case "Exists" -> has;
                    case "DoesNotExist" -> !has;
                    default -> false; // the API server rejects the selector: it selects nothing
                };
                if (!ok) return false;
            }
        }
        return true;
    }
}
