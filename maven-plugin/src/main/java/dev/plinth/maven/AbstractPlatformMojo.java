package dev.plinth.maven;

import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.Parameter;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The goals are the {@code plinth} command line: each parameter maps to the CLI option of the same
 * name (docs/spec.md, "Commands and errors"), and the goal runs {@code dev.plinth.cli.PlinthCli}
 * with them, in a JVM of its own by default ({@link PlinthRun}). Nothing else happens here: what a
 * goal does, prints and exits with is the CLI's.
 */
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

    /** More CRD files or folders for custom-resource validation, comma-separated, relative to the root. */
    @Parameter(property = "platform.crds")
    String crds;

    /** text (default) or json: json prints the findings as one JSON document on standard output. */
    @Parameter(property = "platform.format", defaultValue = "text")
    String format;

    /** Ignore the render cache and evaluate every unit ({@code --full}). */
    @Parameter(property = "platform.full", defaultValue = "false")
    boolean full;

    /**
     * Run the compiler in a JVM of its own (with {@link #jvmArgs} and the class-data archive),
     * as {@code compiler/bin/plinth} runs it; false runs it in Maven's JVM.
     */
    @Parameter(property = "platform.fork", defaultValue = "true")
    boolean fork;

    /** The java executable of the forked JVM; default the one running Maven. */
    @Parameter(property = "platform.jvm")
    String jvm;

    /**
     * Options of the forked JVM, separated by spaces; default those of compiler/bin/plinth for a
     * short-lived compiler: C1 only, the parallel collector, no metaspace collection while
     * classes load.
     */
    @Parameter(property = "platform.jvmArgs", defaultValue = PlinthRun.DEFAULT_JVM_ARGS)
    String jvmArgs;

    /**
     * Map a class-data archive into the forked JVM, made (once, a few seconds) by the second
     * forked run for this classpath and JVM on a machine (see {@link ClassDataArchive}); skipped
     * when {@link #jvmArgs} name an archive or turn sharing off.
     */
    @Parameter(property = "platform.cds", defaultValue = "true")
    boolean cds;

    /** Where the class-data archives are kept: beside the artifacts they are made from. */
    @Parameter(property = "platform.cdsDirectory", defaultValue = "${settings.localRepository}/.cache/plinth-cds")
    File cdsDirectory;

    @Parameter(defaultValue = "${plugin}", readonly = true, required = true)
    PluginDescriptor plugin;

    /** The plinth command: render, validate, ... */
    abstract String command();

    /** The command's own options, after the shared ones. */
    abstract void commandOptions(List<String> args);

    /** Whether standard output carries a document (JSON, a report) rather than lines for the log. */
    boolean documentOutput() {
        return "json".equalsIgnoreCase(format);
    }

    /** Why the command failed when it printed nothing to say so (a document on standard output). */
    String silentFailure() {
        return "see the output above";
    }

    /** Variables for the forked JVM (or, in Maven's JVM, what stands for them). */
    Map<String, String> environment() {
        return Map.of();
    }

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        List<String> args = new ArrayList<>(List.of(command()));
        args.addAll(List.of("-r", root.getAbsolutePath()));
        for (String e : split(env)) args.addAll(List.of("-e", e));
        if (jobs > 0) args.addAll(List.of("--jobs", String.valueOf(jobs)));
        for (String c : split(crds)) args.addAll(List.of("--crds", root.toPath().resolve(c).toAbsolutePath().toString()));
        commandOptions(args);
        new PlinthRun(getLog(), command(), documentOutput(), silentFailure())
                .run(fork, args, environment(), jvm, jvmArgs, cds ? cdsDirectory : null, plugin);
    }

    /** The options of the commands that render into an output directory. */
    void outputOptions(List<String> args) {
        if (output != null) args.addAll(List.of("-o", output.getAbsolutePath()));
        if (format != null && !format.isBlank()) args.addAll(List.of("--format", format.trim()));
        if (full) args.add("--full");
    }

    static List<String> split(String csv) {
        List<String> out = new ArrayList<>();
        if (csv != null) {
            for (String s : csv.split(",")) if (!s.isBlank()) out.add(s.trim());
        }
        return out;
    }
}
