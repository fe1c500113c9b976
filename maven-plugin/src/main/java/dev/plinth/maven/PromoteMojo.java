package dev.plinth.maven;

import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.util.List;

/**
 * {@code mvn platform:promote -Dplatform.from=ENV -Dplatform.to=ENV}: the image references and
 * chart versions one environment renders, written into the other's environment file as overrides
 * ({@code plinth promote}); {@code -Dplatform.app}, {@code -Dplatform.component} narrow it,
 * {@code -Dplatform.dryRun} prints the edit as a diff and writes nothing.
 */
@Mojo(name = "promote", requiresProject = false, aggregator = true, threadSafe = true)
public class PromoteMojo extends AbstractPlatformMojo {
    /** The environment whose images and chart versions are promoted. */
    @Parameter(property = "platform.from", required = true)
    String from;

    /** The environment whose environment.yaml gets them. */
    @Parameter(property = "platform.to", required = true)
    String to;

    /** Only this application. */
    @Parameter(property = "platform.app")
    String app;

    /** Only components of this name. */
    @Parameter(property = "platform.component")
    String component;

    /** Print the edit as a unified diff and write nothing. */
    @Parameter(property = "platform.dryRun", defaultValue = "false")
    boolean dryRun;

    @Override
    String command() {
        return "promote";
    }

    @Override
    void commandOptions(List<String> args) {
        args.addAll(List.of("--from", from, "--to", to));
        if (app != null && !app.isBlank()) args.addAll(List.of("--app", app.trim()));
        if (component != null && !component.isBlank()) args.addAll(List.of("--component", component.trim()));
        if (dryRun) args.add("--dry-run");
    }

    /** A dry run's diff goes to standard output as it is. */
    @Override
    boolean documentOutput() {
        return dryRun;
    }
}
