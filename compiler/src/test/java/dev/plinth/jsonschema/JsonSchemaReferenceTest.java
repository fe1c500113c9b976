package dev.plinth.jsonschema;

import dev.plinth.TestSupport;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Fails when docs/schema/ no longer matches the built-in schemas; -Dgolden.update=true rewrites it. */
class JsonSchemaReferenceTest {
    private static final String HOW = "run mvn -pl compiler test -Dtest=JsonSchemaReferenceTest -Dgolden.update=true";

    @Test
    void committedSchemasAreCurrent() throws Exception {
        Path dir = TestSupport.projectRoot().resolve("docs/schema");
        SortedMap<String, String> generated = JsonSchemas.builtin();
        assertEquals(java.util.List.of("application.schema.json", "environment.schema.json", "platform.schema.json",
                "plinth.schema.json", "tenant.schema.json"), java.util.List.copyOf(generated.keySet()));
        if (Boolean.getBoolean("golden.update")) {
            TestSupport.deleteTree(dir);
            Files.createDirectories(dir);
            for (Map.Entry<String, String> f : generated.entrySet()) Files.writeString(dir.resolve(f.getKey()), f.getValue());
            return;
        }
        assertEquals(generated, TestSupport.readTree(dir), "docs/schema/ is stale: " + HOW);
    }

    @Test
    void generationIsDeterministic() {
        assertEquals(JsonSchemas.builtin(), JsonSchemas.builtin());
    }
}
