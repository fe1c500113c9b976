package dev.plinth.spec;

import dev.plinth.values.JsonValues;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Run by the build (exec-maven-plugin, process-classes): writes each spec kind's schema as JSON
 * beside its YAML in the classes folder, for {@link SpecLoader} to read without a YAML parser.
 */
public final class SpecSchemaTable {
    static final List<String> KINDS = List.of("platform", "environment", "tenant", "application");

    private SpecSchemaTable() {
    }

    static String jsonResource(String kind) {
        return "/dev/plinth/spec/" + kind + ".schema.json";
    }

    /** Arguments: the classes folder. */
    public static void main(String[] args) throws IOException {
        for (String kind : KINDS) {
            Path file = Path.of(args[0] + jsonResource(kind));
            Files.createDirectories(file.getParent());
            Files.writeString(file, JsonValues.write(SpecLoader.schemaFromYaml(kind)) + "\n", StandardCharsets.UTF_8);
        }
    }
}
