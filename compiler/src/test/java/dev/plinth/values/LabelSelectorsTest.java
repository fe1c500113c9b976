package dev.plinth.values;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Label selectors as the API server's labels.Selector reads them (TestLabelSelectorAsSelector cases). */
class LabelSelectorsTest {
    private static final Map<String, String> LABELS = Map.of("app", "web", "tier", "frontend");

    private static Map<String, Object> expression(String key, String operator, String... values) {
        return Map.of("key", key, "operator", operator, "values", List.of(values));
    }

    @Test
    void matchLabelsAndExpressionsMustAllHold() {
        assertTrue(LabelSelectors.matches(null, LABELS));
        assertTrue(LabelSelectors.matches(Map.of(), LABELS));
        assertTrue(LabelSelectors.matches(Map.of("matchLabels", Map.of("app", "web")), LABELS));
        assertFalse(LabelSelectors.matches(Map.of("matchLabels", Map.of("app", "api")), LABELS));
        assertFalse(LabelSelectors.matches(Map.of("matchLabels", Map.of("zone", "a")), LABELS));
        assertTrue(LabelSelectors.matches(Map.of("matchExpressions", List.of(expression("tier", "In", "frontend", "backend"))), LABELS));
        assertFalse(LabelSelectors.matches(Map.of("matchExpressions", List.of(expression("tier", "NotIn", "frontend"))), LABELS));
        assertTrue(LabelSelectors.matches(Map.of("matchExpressions", List.of(expression("zone", "NotIn", "a"))), LABELS));
        assertTrue(LabelSelectors.matches(Map.of("matchExpressions", List.of(expression("app", "Exists"))), LABELS));
        assertFalse(LabelSelectors.matches(Map.of("matchExpressions", List.of(expression("app", "DoesNotExist"))), LABELS));
        assertFalse(LabelSelectors.matches(Map.of("matchLabels", Map.of("app", "web"),
                "matchExpressions", List.of(expression("tier", "In", "backend"))), LABELS));
        // an operator the API server rejects selects nothing
        assertFalse(LabelSelectors.matches(Map.of("matchExpressions", List.of(expression("app", "Gt", "1"))), LABELS));
    }

    @Test
    void emptyMeansNeitherLabelsNorExpressions() {
        assertTrue(LabelSelectors.isEmpty(null));
        assertTrue(LabelSelectors.isEmpty(Map.of("matchLabels", Map.of(), "matchExpressions", List.of())));
        assertFalse(LabelSelectors.isEmpty(Map.of("matchExpressions", List.of(expression("app", "Exists")))));
    }
}
