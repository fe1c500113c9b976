package dev.plinth.maven;

import org.apache.maven.plugins.annotations.Mojo;

import java.util.List;

/**
 * {@code mvn platform:schema -Dplatform.output=DIR}: the JSON Schemas of the spec kinds and the
 * platform's types, for YAML editors ({@code plinth schema}); {@code platform.output} is required.
 */
@Mojo(name = "schema", requiresProject = false, aggregator = true, threadSafe = true)
public class SchemaMojo extends AbstractPlatformMojo {
    @Override
    String command() {
        return "schema";
    }

    @Override
    void commandOptions(List<String> args) {
        if (output != null) args.addAll(List.of("-o", output.getAbsolutePath()));
    }
}
