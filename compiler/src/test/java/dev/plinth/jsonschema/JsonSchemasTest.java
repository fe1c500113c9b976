package dev.plinth.jsonschema;

import dev.plinth.TestSupport;
import dev.plinth.diag.PlinthException;
import dev.plinth.schema.ParamSchema;
import dev.plinth.values.JsonValues;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How Plinth's schema language maps to JSON Schema, and {@code plinth schema}. */
class JsonSchemasTest {
    @TempDir
    Path tmp;

    private static Map<String, Object> convert(String yamlishJson, boolean nullable) throws Exception {
        return JsonSchemas.convert(ParamSchema.parse(JsonValues.read(yamlishJson), "p"), nullable);
    }

    @Test
    void scalarsPatternsAndNull() throws Exception {
        assertEquals(Map.of("type", "string", "pattern", "^(?:[a-z]+)$"), convert("{\"type\":\"string\",\"pattern\":\"[a-z]+\"}", false));
        // an optional field written empty is absent to Plinth, so null is admitted, in the enum too
        assertEquals(Map.of("type", List.of("string", "null"), "enum", java.util.Arrays.asList("a", "b", null), "default", "a"),
                convert("{\"type\":\"string\",\"enum\":[\"a\",\"b\"],\"default\":\"a\"}", true));
        assertEquals(Map.of("type", List.of("integer", "string"), "pattern", "^(?:[0-9]+%)$", "minimum", 0L),
                convert("{\"type\":\"int-or-string\",\"pattern\":\"[0-9]+%\",\"minimum\":0}", false));
        assertEquals(Map.of("type", List.of("number", "string"), "pattern", JsonSchemas.QUANTITY), convert("{\"type\":\"quantity\"}", false));
        assertEquals(Map.of(), convert("{\"type\":\"any\"}", true));
    }

    @Test
    void objectsMapsArraysAndAlternatives() throws Exception {
        assertEquals(Map.of("type", "object", "required", List.of("a"),
                        "properties", Map.of("a", Map.of("type", "boolean"), "b", Map.of("type", List.of("integer", "null"))),
                        "additionalProperties", false),
                convert("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"boolean\",\"required\":true},\"b\":{\"type\":\"integer\"}}}", false));
        assertEquals(Map.of("type", "object", "additionalProperties", Map.of("type", "string")),
                convert("{\"type\":\"map\",\"values\":{\"type\":\"string\"}}", false));
        assertEquals(Map.of("type", "array", "items", Map.of("type", "number")), convert("{\"type\":\"array\",\"items\":{\"type\":\"number\"}}", false));
        assertEquals(Map.of("oneOf", List.of(Map.of("type", "string"), Map.of("type", "array"), Map.of("type", "null"))),
                convert("{\"oneOf\":[{\"type\":\"string\"},{\"type\":\"array\"}]}", true));
    }

    @Test
    void javaOnlyPatternSyntaxBecomesEcmaScript() {
        assertEquals("[\\s\\S]*\\S[\\s\\S]*", JsonSchemas.ecmaPattern("(?s).*\\S.*"));
        assertEquals("[.]\\.[\\s\\S]", JsonSchemas.ecmaPattern("(?s)[.]\\.."));
        assertEquals("a.b", JsonSchemas.ecmaPattern("a.b"));
    }

    @Test
    void applicationConstrainsPropertiesByType() throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> app = (Map<String, Object>) JsonValues.read(JsonSchemas.builtin().get("application.schema.json"));
        String text = JsonValues.write(app);
        assertTrue(text.contains("{\"if\":{\"properties\":{\"type\":{\"const\":\"webservice\"}},\"required\":[\"type\"]},"
                + "\"then\":{\"$ref\":\"#/definitions/component-webservice\"}}"), text);
        @SuppressWarnings("unchecked")
        Map<String, Object> web = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                app.get("definitions")).get("component-webservice")).get("properties")).get("properties");
        assertTrue(String.valueOf(web.get("description")).startsWith("A long-running HTTP service"), String.valueOf(web.get("description")));
        assertEquals("registry.example.com/clickstream/api:1.4.2", ((Map<?, ?>) ((List<?>) web.get("examples")).get(0)).get("image"));
        assertEquals(List.of("image"), web.get("required"));
    }

    @Test
    void commandWritesThePlatformsOwnTypes() throws Exception {
        Path root = TestSupport.projectRoot().resolve("tests/golden/06-user-defined-types/input");
        Path out = tmp.resolve("schemas");
        TestSupport.Run run = TestSupport.plinth("schema", "-r", root.toString(), "-o", out.toString());
        assertEquals(0, run.exit(), run.err());
        assertEquals(List.of("application.schema.json", "environment.schema.json", "platform.schema.json",
                "plinth.schema.json", "tenant.schema.json"), List.copyOf(TestSupport.readTree(out).keySet()));
        String app = Files.readString(out.resolve("application.schema.json"));
        String builtin = JsonSchemas.builtin().get("application.schema.json");
        for (String own : List.of("\"component-static-site\"", "\"trait-annotate\"", "Marks the pods for the node log agent.")) {
            assertTrue(app.contains(own), own);
            assertFalse(builtin.contains(own), own);
        }
    }

    @Test
    void brokenDefinitionIsAnInputError() {
        Path root = TestSupport.projectRoot().resolve("tests/golden/14-error-jsonnet/input");
        PlinthException e = assertThrows(PlinthException.class, () -> JsonSchemas.forPlatform(root));
        assertTrue(e.diagnostics().sorted().get(0).format().contains("component type 'syntax' is broken"),
                e.diagnostics().sorted().get(0).format());
        TestSupport.Run run = TestSupport.plinth("schema", "-r", root.toString(), "-o", tmp.resolve("x").toString());
        assertEquals(1, run.exit(), run.err());
        assertFalse(run.err().contains("\tat "), run.err());
    }
}
