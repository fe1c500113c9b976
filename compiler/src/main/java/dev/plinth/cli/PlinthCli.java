package dev.plinth.cli;

import dev.plinth.Compiler;
import dev.plinth.diag.Diagnostic;
import dev.plinth.diag.Diagnostics;
import dev.plinth.diag.PlinthException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** The {@code plinth} command: a thin shell over {@link Compiler}. */
@Command(name = "plinth", mixinStandardHelpOptions = true, version = "plinth 0.1.0",
        description = "Build-time platform compiler for Kubernetes.",
        subcommands = {PlinthCli.Render.class, PlinthCli.Validate.class})
public final class PlinthCli implements Callable<Integer> {
    public static final int OK = 0;
    public static final int INPUT_ERRORS = 1;
    public static final int USAGE = 2;
    public static final int INTERNAL = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE;
    }

    static class Common {
        @Option(names = {"-r", "--root"}, description = "Platform root (default: current directory).", defaultValue = ".")
        Path root;

        @Option(names = {"-e", "--env"}, description = "Environment to render (repeatable; default: all).")
        List<String> environments = new ArrayList<>();

        @Option(names = {"-o", "--output"}, description = "Output directory (default: the platform's spec.output).")
        Path output;

        @Option(names = "--jobs", description = "Parallel jobs (default: available cores).")
        int jobs = Runtime.getRuntime().availableProcessors();

        Compiler.Options options() {
            return new Compiler.Options(root, environments, output, jobs);
        }
    }

    @Command(name = "render", mixinStandardHelpOptions = true, description = "Validate and write the output.")
    static final class Render implements Callable<Integer> {
        @CommandLine.Mixin
        Common common = new Common();
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return run(spec, () -> {
                Compiler.Result r = Compiler.render(common.options());
                PrintWriter out = spec.commandLine().getOut();
                print(spec, r.findings());
                out.printf("rendered %d clusters, %d files into %s (%d written, %d unchanged, %d removed)%n",
                        r.rendered().clusters().size(), r.summary().files(), r.output(),
                        r.summary().written(), r.summary().unchanged(), r.summary().removed());
                out.flush();
            });
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true, description = "Everything render does, without writing.")
    static final class Validate implements Callable<Integer> {
        @CommandLine.Mixin
        Common common = new Common();
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return run(spec, () -> {
                Compiler.Result r = Compiler.validate(common.options());
                print(spec, r.findings());
                PrintWriter out = spec.commandLine().getOut();
                out.printf("valid: %d clusters, %d files%n", r.rendered().clusters().size(), r.files().size());
                out.flush();
            });
        }
    }

    private static int run(CommandLine.Model.CommandSpec spec, Runnable body) {
        PrintWriter err = spec.commandLine().getErr();
        try {
            body.run();
            return OK;
        } catch (PlinthException e) {
            print(spec, e.diagnostics());
            return INPUT_ERRORS;
        } catch (Compiler.UsageException e) {
            err.println("plinth: " + e.getMessage());
            err.flush();
            return USAGE;
        } catch (RuntimeException | StackOverflowError e) {
            err.println("plinth: internal error: " + e);
            e.printStackTrace(err);
            err.flush();
            return INTERNAL;
        }
    }

    /** Findings one per line on stderr, then the count. */
    static void print(CommandLine.Model.CommandSpec spec, Diagnostics diags) {
        PrintWriter err = spec.commandLine().getErr();
        for (Diagnostic d : diags.sorted()) err.println(d.format());
        long errors = diags.errorCount();
        long warnings = diags.warningCount();
        if (errors > 0 || warnings > 0) {
            err.println(count(errors, "error") + (warnings > 0 ? ", " + count(warnings, "warning") : ""));
        }
        err.flush();
    }

    static String count(long n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }

    public static int execute(String... args) {
        return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs a command line with the given streams; returns the exit status. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new PlinthCli());
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            cl.getErr().println("plinth: " + ex.getMessage());
            ex.getCommandLine().usage(cl.getErr());
            return USAGE;
        });
        return cl.execute(args);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }
}
