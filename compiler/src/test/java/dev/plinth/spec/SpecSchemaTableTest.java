package dev.plinth.spec;

import org.junit.jupiter.api.Test;

import java.io.InputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The schemas the loader reads as JSON say exactly what their YAML says. */
class SpecSchemaTableTest {
    @Test
    void theBuildsJsonSchemasAreTheYamlSchemas() throws Exception {
        for (String kind : SpecLoader.SCHEMA_KINDS) {
            try (InputStream in = SpecLoader.class.getResourceAsStream(SpecLoader.schemaJsonResource(kind))) {
                assertNotNull(in, "the build wrote " + SpecLoader.schemaJsonResource(kind));
            }
            assertEquals(SpecLoader.schemaFromYaml(kind), SpecLoader.schemaDocument(kind), kind);
        }
    }
}
