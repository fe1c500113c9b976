package dev.plinth.maven;

import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.util.List;

/**
 * {@code mvn platform:diff -Dplatform.base=REF}: the rendered diff between a Git revision and the
 * working tree ({@code plinth diff}), as Markdown (default) or JSON ({@code -Dplatform.format=json});
 * {@code -Dplatform.output} names the report file (default: standard output), as {@code -o} does.
 */
@Mojo(name = "diff", requiresProject = false, aggregator = true, threadSafe = true)
public class DiffMojo extends AbstractPlatformMojo {
    /** The Git revision to compare with. */
    @Parameter(property = "platform.base", required = true)
    String base;

    /** Fail the build when a risk of this level (high, or medium and above) is flagged. */
    @Parameter(property = "platform.failOn")
    String failOn;

    @Override
    String command() {
        return "diff";
    }

    @Override
    void commandOptions(List<String> args) {
        args.addAll(List.of("--base", base));
        if ("json".equalsIgnoreCase(format)) args.addAll(List.of("--format", "json"));
        if (output != null) args.addAll(List.of("-o", output.getAbsolutePath()));
        if (failOn != null && !failOn.isBlank()) args.addAll(List.of("--fail-on", failOn.trim()));
    }

    @Override
    String silentFailure() {
        return "a risk at or above " + failOn + " is flagged in the report";
    }

    /** The report goes to standard output unless it has a file. */
    @Override
    boolean documentOutput() {
        return output == null;
    }
}
