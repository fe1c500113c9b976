package dev.plinth.spec;

import dev.plinth.values.JsonValues;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run by the build, not by users (exec-maven-plugin at process-test-classes, from the test
 * classes, so it stays out of the runtime jar): writes each spec kind's schema as JSON beside its
 * YAML in the classes folder, for {@link SpecLoader} to read without a YAML parser.
 */
public final class SpecSchemaTable {
    private SpecSchemaTable() {
    }

    /** Arguments: the classes folder. */
    public static void main(String[] args) throws IOException {
        for (String kind : SpecLoader.SCHEMA_KINDS) {
            Path file = Path.of(args[0] + SpecLoader.schemaJsonResource(kind));
            Files.createDirectories(file.getParent());
            Files.writeString(file, JsonValues.write(SpecLoader.schemaFromYaml(kind)) + "\n", StandardCharsets.UTF_8);
        }
    }
}
