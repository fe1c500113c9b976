package dev.plinth.maven;

import dev.plinth.Compiler;
import dev.plinth.diff.Differ;
import dev.plinth.diff.ReportWriter;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code mvn platform:diff -Dplatform.base=REF}: the rendered diff between a Git revision and the
 * working tree, as Markdown (default) or JSON; {@code -Dplatform.output} names the report file
 * (default: standard output), as {@code -o} does for {@code plinth diff}.
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
    public void execute() throws MojoExecutionException, MojoFailureException {
        Compiler.Options o = options();
        Compiler.Options options = new Compiler.Options(o.root(), o.environments(), null, o.jobs(), o.extraCrds());
        ReportWriter.Format reportFormat = "json".equalsIgnoreCase(format) ? ReportWriter.Format.json : ReportWriter.Format.markdown;
        Differ.Level level;
        try {
            level = failOn == null || failOn.isBlank() ? null : Differ.Level.valueOf(failOn.trim().toLowerCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException("platform.failOn must be high or medium, not '" + failOn + "'");
        }
        Differ.Report report;
        try {
            report = guard(() -> Compiler.diff(options, base));
        } catch (InputErrors e) {
            log(e.diagnostics);
            throw new MojoFailureException(e.diagnostics.errorCount() + " error(s): no diff");
        }
        String text = ReportWriter.write(report, reportFormat);
        if (output == null) {
            System.out.print(text);
            System.out.flush();
        } else {
            try {
                Path file = output.toPath().toAbsolutePath();
                Files.createDirectories(file.getParent());
                Files.writeString(file, text);
            } catch (IOException e) {
                throw new MojoExecutionException("cannot write the diff report " + output + ": " + e.getMessage(), e);
            }
            getLog().info("diff report written to " + output + ": " + report.objects().size() + " objects differ, "
                    + report.risks().size() + " risk(s)");
        }
        if (report.fails(level)) {
            throw new MojoFailureException(report.risks().size() + " risk(s) flagged at or above " + level);
        }
    }
}
