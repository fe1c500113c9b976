package dev.plinth.maven;

import dev.plinth.Compiler;
import dev.plinth.diag.Diagnostic;
import dev.plinth.diag.Diagnostics;
import dev.plinth.diag.PlinthException;
import dev.plinth.secrets.Redaction;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/** Shared options of the goals; each maps to the CLI option of the same name (SPEC §5). */
abstract class AbstractPlatformMojo extends AbstractMojo {

    /** Platform root: the directory with platform.yaml and environments/. */
    @Parameter(property = "platform.root", defaultValue = "${project.basedir}")
    File root;

    /** Environments to render, comma-separated; default all. */
    @Parameter(property = "platform.env")
    String env;

    /** Output directory; default the platform's spec.output. */
    @Parameter(property = "platform.output")
    File output;

    /** Parallel jobs; default the available cores. */
    @Parameter(property = "platform.jobs", defaultValue = "0")
    int jobs;

    /** More CRD files or folders for custom-resource validation, comma-separated. */
    @Parameter(property = "platform.crds")
    String crds;

    /** text (default) or json: json prints the findings as one JSON document on standard output. */
    @Parameter(property = "platform.format", defaultValue = "text")
    String format;

    Compiler.Options options() {
        List<String> envs = new ArrayList<>();
        if (env != null) {
            for (String e : env.split(",")) if (!e.isBlank()) envs.add(e.trim());
        }
        int j = jobs > 0 ? jobs : Runtime.getRuntime().availableProcessors();
        List<java.nio.file.Path> crdPaths = new ArrayList<>();
        if (crds != null) {
            for (String c : crds.split(",")) if (!c.isBlank()) crdPaths.add(root.toPath().resolve(c.trim()));
        }
        return new Compiler.Options(root.toPath(), envs, output == null ? null : output.toPath(), j, crdPaths);
    }

    /** Runs a compiler call, mapping input errors to a build failure with one log line per finding. */
    Compiler.Result run(java.util.function.Function<Compiler.Options, Compiler.Result> call)
            throws MojoFailureException, MojoExecutionException {
        try {
            Compiler.Result r = guard(() -> call.apply(options()));
            if (r == null) return null;
            if ("json".equals(format)) System.out.println(dev.plinth.check.FindingsJson.write(r.findings(), r.quotaUsage(), true));
            else log(r.findings());
            return r;
        } catch (InputErrors e) {
            if ("json".equals(format)) System.out.println(dev.plinth.check.FindingsJson.write(e.diagnostics, List.of(), false));
            else log(e.diagnostics);
            throw new MojoFailureException(e.diagnostics.errorCount() + " error(s) in the platform specs");
        }
    }

    /** Input errors of a compiler call, for the goal to report in its format. */
    static final class InputErrors extends Exception {
        final Diagnostics diagnostics;

        InputErrors(Diagnostics diagnostics) {
            super(diagnostics.errorCount() + " error(s)");
            this.diagnostics = diagnostics;
        }
    }

    /** A compiler call with wrong usage as a build failure and a crash as an execution error. */
    <T> T guard(java.util.function.Supplier<T> call) throws InputErrors, MojoFailureException, MojoExecutionException {
        try {
            return call.get();
        } catch (PlinthException e) {
            throw new InputErrors(e.diagnostics());
        } catch (Compiler.UsageException e) {
            throw new MojoFailureException(Redaction.text(e.getMessage()));
        } catch (RuntimeException e) {
            // a JGit error names the remote URL, credentials and all: the cause is replaced by a redacted copy
            RuntimeException cause = new RuntimeException(Redaction.text(String.valueOf(e)));
            cause.setStackTrace(e.getStackTrace());
            throw new MojoExecutionException("plinth internal error: " + cause.getMessage(), cause);
        }
    }

    void log(Diagnostics diags) {
        for (Diagnostic d : diags.sorted()) {
            if (d.isError()) getLog().error(d.format());
            else getLog().warn(d.format());
        }
    }
}
