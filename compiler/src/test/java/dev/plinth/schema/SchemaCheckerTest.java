package dev.plinth.schema;

import dev.plinth.diag.Diagnostic;
import dev.plinth.diag.Diagnostics;
import dev.plinth.yaml.PNode;
import dev.plinth.yaml.YamlReader;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SchemaCheckerTest {
    private static final ParamSchema SCHEMA = ParamSchema.objectOf(Map.of(
            "image", Map.of("type", "string", "required", true),
            "replicas", Map.of("type", "integer", "default", 2.0, "minimum", 0),
            "mode", Map.of("type", "string", "enum", List.of("a", "b"), "default", "a"),
            "cpu", Map.of("type", "quantity"),
            "budget", Map.of("type", "int-or-string", "pattern", "[0-9]+%"),
            "limits", Map.of("type", "object", "properties", Map.of(
                    "memory", Map.of("type", "quantity", "default", "1Gi"))),
            "env", Map.of("type", "map", "values", Map.of("type", "string")),
            "args", Map.of("type", "array", "items", Map.of("type", "string"))), "parameters");

    private record Checked(Map<String, Object> value, List<String> errors) {
    }

    private static Checked check(String yaml) {
        Diagnostics d = new Diagnostics();
        PNode node = YamlReader.readAll("s.yaml", yaml, d).get(0);
        Map<String, Object> v = new SchemaChecker(d, (at, p, x) -> "content of " + p).checkObject(node, SCHEMA, "properties");
        return new Checked(v, d.sorted().stream().map(Diagnostic::format).toList());
    }

    @Test
    void fillsDefaultsIncludingNestedObjects() {
        Checked c = check("image: x:1\n");
        assertEquals(List.of(), c.errors());
        assertEquals(Map.of("image", "x:1", "replicas", 2L, "mode", "a", "limits", Map.of("memory", "1Gi")), c.value());
    }

    @Test
    void reportsEachProblemAtItsOwnLine() {
        Checked c = check("""
                replicas: -1
                mode: c
                cpu: lots
                budget: half
                env: {A: 1}
                args: [a, 2]
                colour: red
                """);
        assertEquals(List.of(
                "s.yaml:1:1: error: missing required field 'properties.image'",
                "s.yaml:1:11: error: properties.replicas: -1 is less than the minimum 0",
                "s.yaml:2:7: error: properties.mode: 'c' is not one of [a, b]",
                "s.yaml:3:6: error: properties.cpu: 'lots' is not a Kubernetes quantity (e.g. 500m, 2, 1Gi)",
                "s.yaml:4:9: error: properties.budget: 'half' does not match /[0-9]+%/",
                "s.yaml:5:10: error: properties.env.A: expected string, got integer 1",
                "s.yaml:6:11: error: properties.args[1]: expected string, got integer 2",
                "s.yaml:7:1: error: unknown field 'properties.colour' (expected one of: args, budget, cpu, env, image, limits, mode, replicas)"),
                c.errors());
    }

    @Test
    void acceptsIntOrStringAndNumericQuantities() {
        Checked c = check("image: x\nbudget: 2\ncpu: 1.5\n");
        assertEquals(List.of(), c.errors());
        assertEquals(2L, c.value().get("budget"));
    }

    /** Quantities Kubernetes reads, but not a negative one nor one without a digit (Kubernetes reads "m" as zero). */
    @Test
    void specQuantitiesAreKubernetesQuantitiesWithADigitAndNoMinus() {
        for (String ok : List.of("500m", "1Gi", "2", "1e3", "1.5E+2", "+1", ".5", "1.", "1.G", "0")) {
            assertEquals(List.of(), check("image: x\ncpu: '" + ok + "'\n").errors(), ok);
        }
        for (String bad : List.of("-1", "-0", "m", "Gi", "+", ".", "lots", "1 Gi", "1i", "1GB", "1e99999999999999999999")) {
            assertEquals(List.of("s.yaml:2:6: error: properties.cpu: '" + bad + "' is not a Kubernetes quantity (e.g. 500m, 2, 1Gi)"),
                    check("image: x\ncpu: '" + bad + "'\n").errors(), bad);
        }
    }

    @Test
    void rejectsMalformedSchemas() {
        assertThrows(ParamSchema.InvalidSchema.class, () -> ParamSchema.parse(Map.of("type", "strng"), "p"));
        assertThrows(ParamSchema.InvalidSchema.class, () -> ParamSchema.parse(Map.of("type", "string", "requird", true), "p"));
    }

    /** A oneOf value takes the alternative of its shape; inside it, errors are the alternative's own. */
    @Test
    void oneOfChecksTheAlternativeOfTheValuesShape() {
        ParamSchema env = ParamSchema.objectOf(Map.of("env", Map.of("type", "map", "values", Map.of("oneOf", List.of(
                Map.of("type", "string"),
                Map.of("type", "object", "properties", Map.of("ref", Map.of("type", "string", "required", true))))))), "parameters");
        Diagnostics d = new Diagnostics();
        PNode node = YamlReader.readAll("s.yaml", "env: {A: x, B: {ref: y}, C: {reff: z}, D: [1], E: 2}\n", d).get(0);
        Map<String, Object> v = new SchemaChecker(d, (at, p, x) -> null).checkObject(node, env, "properties");
        assertEquals(Map.of("A", "x", "B", Map.of("ref", "y"), "C", Map.of()), ((Map<?, ?>) v.get("env")).entrySet().stream()
                .filter(e -> e.getValue() != null).collect(java.util.stream.Collectors.toMap(e -> e.getKey(), e -> e.getValue())));
        assertEquals(List.of(
                "s.yaml:1:29: error: missing required field 'properties.env.C.ref'",
                "s.yaml:1:30: error: unknown field 'properties.env.C.reff' (expected one of: ref)",
                "s.yaml:1:43: error: properties.env.D: expected string or object, got list",
                "s.yaml:1:51: error: properties.env.E: expected string, got integer 2"),
                d.sorted().stream().map(Diagnostic::format).toList());
        assertEquals("string or object", env.properties().get("env").values().typeName());
    }

    @Test
    void oneOfAlternativesMustDifferInShape() {
        assertThrows(ParamSchema.InvalidSchema.class, () -> ParamSchema.parse(Map.of("oneOf", List.of(
                Map.of("type", "string"), Map.of("type", "integer"))), "p"));
        assertThrows(ParamSchema.InvalidSchema.class, () -> ParamSchema.parse(Map.of("oneOf", List.of(Map.of("type", "string"))), "p"));
        assertThrows(ParamSchema.InvalidSchema.class, () -> ParamSchema.parse(Map.of("oneOf", List.of(
                Map.of("type", "string"), Map.of("type", "map")), "type", "string"), "p"));
    }
}
