package dev.plinth.cli;

import dev.plinth.Compiler;
import dev.plinth.check.QuotaUsage;
import dev.plinth.diag.Diagnostic;
import dev.plinth.diag.Diagnostics;
import dev.plinth.diag.PlinthException;
import dev.plinth.render.Renderer;
import dev.plinth.secrets.Redaction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import dev.plinth.check.FindingsJson;
import dev.plinth.diff.Differ;
import dev.plinth.diff.ReportWriter;
import dev.plinth.publish.Publisher;
import dev.plinth.publish.Verifier;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/** The {@code plinth} command: a thin shell over {@link Compiler}. */
@Command(name = "plinth", mixinStandardHelpOptions = true, version = "plinth 0.1.0",
        description = "Build-time platform compiler for Kubernetes.")
public final class PlinthCli implements Callable<Integer> {
    public static final int OK = 0;
    public static final int INPUT_ERRORS = 1;
    public static final int USAGE = 2;
    public static final int INTERNAL = 3;

    public enum Format { text, json }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE;
    }

    /** Which platform and what of it: the options every command shares, diff included (docs/spec.md, Commands and errors). */
    static class Selection {
        @Option(names = {"-r", "--root"}, description = "Platform root (default: current directory).", defaultValue = ".")
        Path root;

        @Option(names = {"-e", "--env"}, description = "Environment (repeatable; default: all).")
        List<String> environments = new ArrayList<>();

        @Option(names = "--jobs", description = "Parallel jobs (default: available cores).")
        int jobs = Runtime.getRuntime().availableProcessors();

        @Option(names = "--crds", description = "More CRD files or folders to validate custom resources against (repeatable).")
        List<Path> crds = new ArrayList<>();

        /** Paths on the command line are relative to the working directory, not to the root. */
        Compiler.Options options(Path output, boolean full, Renderer.Progress progress) {
            return new Compiler.Options(root, environments, output == null ? null : output.toAbsolutePath(), jobs,
                    crds.stream().map(Path::toAbsolutePath).toList(), full, progress);
        }
    }

    /** The options of the commands that render into an output directory. */
    static class Common {
        @CommandLine.Mixin
        Selection selection = new Selection();

        @Option(names = {"-o", "--output"}, description = "Output directory (default: the platform's spec.output).")
        Path output;

        @Option(names = "--format", description = "Findings as text (default) or json.", defaultValue = "text")
        Format format;

        @Option(names = "--timings", description = "Print the time each stage took to standard error.")
        boolean timings;

        @Option(names = "--full", description = "Ignore the render cache: evaluate every unit.")
        boolean full;

        @Option(names = "--progress", description = "Show a progress line (default: only on a terminal).")
        Boolean progress;

        @Option(names = "--emit-jsonnet", hidden = true,
                description = "Benchmark aid: write every unit's program as one multi-file Jsonnet document.")
        Path emitJsonnet;

        Compiler.Options options() {
            return selection.options(output, full, progressLine());
        }

        /** "rendering 1234/6000 units" on standard error, rewritten in place; quiet in CI logs unless asked. */
        Renderer.Progress progressLine() {
            boolean on = progress != null ? progress : System.console() != null;
            if (!on) return Renderer.Progress.NONE;
            AtomicLong last = new AtomicLong();
            return (done, total) -> {
                long now = System.nanoTime();
                if (done != total && now - last.get() < 100_000_000L) return;
                last.set(now);
                synchronized (System.err) {
                    System.err.print("\rrendering " + done + "/" + total + " units" + (done == total ? "\n" : ""));
                    System.err.flush();
                }
            };
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
            return run(spec, common, Compiler::render, r -> r.rendered() == null
                    ? "up to date: " + count(r.clusters(), "cluster") + ", " + count(r.summary().files(), "file") + " in " + r.output() + " (no input changed)"
                    : "rendered " + count(r.clusters(), "cluster") + ", " + count(r.summary().files(), "file") + " into " + r.output()
                    + String.format(" (%d written, %d unchanged, %d removed)",
                    r.summary().written(), r.summary().unchanged(), r.summary().removed()));
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Everything render does, without writing; prints the quota headroom.")
    static final class Validate implements Callable<Integer> {
        @CommandLine.Mixin
        Common common = new Common();
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Option(names = "--flows", description = "Print the flow matrix of every cluster (the reachability check's flows, allowed or blocked).")
        boolean flows;

        @Override
        public Integer call() {
            if (flows) {
                if (common.format == Format.json) {
                    spec.commandLine().getErr().println("plinth: --flows prints text; it cannot be combined with --format json");
                    return USAGE;
                }
                return guard(spec, () -> {
                    Compiler.FlowMatrix m = Compiler.flows(common.options());
                    PrintWriter out = spec.commandLine().getOut();
                    out.print(m.text());
                    out.flush();
                    print(spec.commandLine().getErr(), m.result().findings());
                    return m.result().findings().hasErrors() ? INPUT_ERRORS : OK;
                });
            }
            return run(spec, common, Compiler::validate, r -> {
                StringBuilder sb = new StringBuilder();
                if (!r.quotaUsage().isEmpty()) {
                    sb.append("quota used at maximum scale, per namespace:\n");
                    for (String line : QuotaUsage.summarise(r.quotaUsage())) sb.append("  ").append(line).append('\n');
                }
                return sb.append("valid: " + count(r.rendered().clusters().size(), "cluster") + ", " + count(r.files().size(), "file")).toString();
            });
        }
    }

    @Command(name = "publish", mixinStandardHelpOptions = true,
            description = "Render, then commit the output into a GitOps repository and branch, and push.")
    static final class Publish implements Callable<Integer> {
        @CommandLine.Mixin
        Common common = new Common();
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Option(names = "--to", required = true, description = "Target repository: a local path or a URL.")
        String to;
        @Option(names = "--branch", defaultValue = "main", description = "Target branch (default: main).")
        String branch;
        @Option(names = "--path", defaultValue = "", description = "Directory inside the repository (default: its root).")
        String path;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            return guard(spec, () -> {
                Publisher.Result r = Compiler.publish(common.options(),
                        new Publisher.Options(to, branch, path, Publisher.environmentCredentials(), 3));
                String target = Publisher.redact(to); // a remote's URL may carry a token as its user
                out.println(r.commit() == null ? "nothing to publish: " + target + " " + branch + " already has this output"
                        : "published " + r.changedFiles() + " changed files to " + target + " " + branch + " as " + r.commit().substring(0, 12)
                        + (r.attempts() > 1 ? " (after " + r.attempts() + " attempts)" : ""));
                out.flush();
                return OK;
            });
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Exit 1 when the output directory (or a published branch) differs from a fresh render.")
    static final class Verify implements Callable<Integer> {
        @CommandLine.Mixin
        Common common = new Common();
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Option(names = "--to", description = "Compare with this repository (path or URL) instead of the output directory.")
        String to;
        @Option(names = "--branch", defaultValue = "main", description = "Branch of --to (default: main).")
        String branch;
        @Option(names = "--path", defaultValue = "", description = "Directory inside --to.")
        String path;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            return guard(spec, () -> {
                List<Verifier.Stale> stale = Compiler.verify(common.options(), to, branch, path);
                for (Verifier.Stale s : stale) out.println("stale: " + s);
                out.println(stale.isEmpty() ? "up to date: the committed output equals a fresh render"
                        : stale.size() + " stale file" + (stale.size() == 1 ? "" : "s") + ": render and commit again");
                out.flush();
                return stale.isEmpty() ? OK : INPUT_ERRORS;
            });
        }
    }

    @Command(name = "diff", mixinStandardHelpOptions = true,
            description = "Compare the rendered platform at a Git revision with the working tree, flagging risky changes.")
    static final class Diff implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @CommandLine.Mixin
        Selection selection = new Selection();
        @Option(names = "--base", required = true, description = "Git revision to compare with (branch, tag, commit, HEAD~1).")
        String base;
        @Option(names = "--format", defaultValue = "markdown", description = "Report as markdown (default) or json.")
        ReportWriter.Format format;
        @Option(names = {"-o", "--output"}, description = "Report file (default: standard output).")
        Path report;
        @Option(names = "--fail-on", description = "Exit 1 when a risk of this level (high, or medium and above) is flagged.")
        Differ.Level failOn;

        @Override
        public Integer call() {
            return guard(spec, () -> {
                Differ.Report r = Compiler.diff(selection.options(null, false, Renderer.Progress.NONE), base);
                String text = ReportWriter.write(r, format);
                if (report == null) {
                    spec.commandLine().getOut().print(text);
                    spec.commandLine().getOut().flush();
                } else {
                    Path file = report.toAbsolutePath();
                    if (file.getParent() != null) Files.createDirectories(file.getParent());
                    Files.writeString(file, text);
                    spec.commandLine().getErr().println("diff report written to " + report + ": " + r.objects().size()
                            + " objects differ, " + count(r.risks().size(), "risk"));
                    spec.commandLine().getErr().flush();
                }
                return r.fails(failOn) ? INPUT_ERRORS : OK;
            });
        }
    }

    @Command(name = "schema", mixinStandardHelpOptions = true,
            description = "Write JSON Schemas (draft-07) of the spec kinds and the platform's types, for YAML editors.")
    static final class Schema implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Option(names = {"-r", "--root"}, description = "Platform root whose library/ types to include (default: current directory).", defaultValue = ".")
        Path root;
        @Option(names = {"-o", "--output"}, required = true, description = "Directory to write the *.schema.json files into.")
        Path output;

        @Override
        public Integer call() {
            return guard(spec, () -> {
                List<Path> files = Compiler.writeJsonSchemas(root, output.toAbsolutePath());
                spec.commandLine().getOut().println("wrote " + count(files.size(), "schema") + " into " + output);
                spec.commandLine().getOut().flush();
                return OK;
            });
        }
    }

    @Command(name = "vendor", mixinStandardHelpOptions = true,
            description = "Download the platform's remote Helm charts into vendor/charts/ and pin them in plinth.lock (the only command that uses the network).")
    static final class Vendor implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Option(names = {"-r", "--root"}, defaultValue = ".", description = "Platform root (default: current directory).")
        Path root;
        @Option(names = "--mirror", paramLabel = "URL=MIRROR", description = "Fetch repository URLs starting with URL from MIRROR instead (repeatable); plinth.lock records the declared URLs.")
        Map<String, String> mirrors = new LinkedHashMap<>();

        @Override
        public Integer call() {
            return guard(spec, () -> {
                dev.plinth.vendor.ChartVendor.Result r = Compiler.vendor(root, mirrors);
                PrintWriter out = spec.commandLine().getOut();
                for (String f : r.downloaded()) out.println("downloaded " + f);
                out.println(count(r.entries().size(), "chart") + " pinned in " + dev.plinth.render.ChartLock.FILE);
                out.flush();
                return OK;
            });
        }
    }

    @Command(name = "explain", mixinStandardHelpOptions = true,
            description = "Describe a component type, trait or spec kind, or a field of one (TARGET[.field.path]).")
    static final class Explain implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Option(names = {"-r", "--root"}, defaultValue = ".", description = "Platform root, for its own library (default: current directory).")
        Path root;
        @CommandLine.Parameters(paramLabel = "TARGET", description = "webservice, trait/metrics, Tenant.spec.network, webservice.probes.liveness, ...")
        String target;
        @Option(names = "--recursive", description = "Print every field below the target, indented.")
        boolean recursive;

        @Override
        public Integer call() {
            return guard(spec, () -> {
                spec.commandLine().getOut().print(Compiler.explain(root, target, recursive));
                spec.commandLine().getOut().flush();
                return OK;
            });
        }
    }

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = "Create a new platform repository in DIR that validates and renders as it is, with CI and editor settings.")
    static final class Init implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @CommandLine.Parameters(arity = "0..1", paramLabel = "DIR", defaultValue = ".",
                description = "Directory of the new repository (default: the current directory; created if missing).")
        Path dir;

        @Override
        public Integer call() {
            return guard(spec, () -> {
                dev.plinth.init.Scaffold.Result r = dev.plinth.init.Scaffold.init(dir);
                PrintWriter out = spec.commandLine().getOut();
                out.println("created platform '" + r.name() + "' in " + r.dir() + ":");
                for (String file : r.files()) out.println("  " + file);
                out.println("next, in " + dir + ": plinth validate, plinth render (or mvn platform:render), then commit rendered/ with the specs");
                out.flush();
                return OK;
            });
        }
    }

    @Command(name = "promote", mixinStandardHelpOptions = true,
            description = "Write the image references and chart versions one environment renders into another's environment file as overrides.")
    static final class Promote implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Option(names = {"-r", "--root"}, defaultValue = ".", description = "Platform root (default: current directory).")
        Path root;
        @Option(names = "--from", required = true, description = "Environment whose images and chart versions are promoted.")
        String from;
        @Option(names = "--to", required = true, description = "Environment whose environment.yaml gets them as overrides.")
        String to;
        @Option(names = "--app", description = "Only this application.")
        String app;
        @Option(names = "--component", description = "Only components of this name.")
        String component;
        @Option(names = "--dry-run", description = "Print the edit as a unified diff; write nothing.")
        boolean dryRun;

        @Override
        public Integer call() {
            return guard(spec, () -> {
                dev.plinth.promote.Promoter.Plan p = Compiler.promote(root, from, to, app, component, dryRun);
                PrintWriter out = spec.commandLine().getOut();
                PrintWriter err = spec.commandLine().getErr();
                for (String note : p.notes()) err.println("note: " + note);
                err.flush();
                // a dry run's standard output is the diff alone, for patch or a review comment
                PrintWriter report = dryRun ? err : out;
                if (dryRun) out.print(p.diff());
                for (var c : p.changes()) report.println((dryRun ? "would promote " : "promoted ") + c);
                String scope = app == null ? "" : " for app '" + app + "'" + (component == null ? "" : ", component '" + component + "'");
                report.println(p.changes().isEmpty() ? "nothing to promote" + scope + ": '" + to + "' already renders what '" + from + "' does"
                        : (dryRun ? "dry run: " + p.file() + " not written" : "wrote " + p.file()));
                out.flush();
                err.flush();
                return OK;
            });
        }
    }

    /** Runs a command body with the shared handling of input errors, usage errors and crashes. */
    private static int guard(CommandLine.Model.CommandSpec spec, Callable<Integer> body) {
        PrintWriter err = spec.commandLine().getErr();
        try {
            return body.call();
        } catch (PlinthException e) {
            print(err, e.diagnostics());
            return INPUT_ERRORS;
        } catch (Compiler.UsageException e) {
            err.println("plinth: " + Redaction.text(e.getMessage()));
            err.flush();
            return USAGE;
        } catch (Exception | StackOverflowError e) {
            // a JGit error names the remote URL, credentials and all
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            err.println("plinth: internal error: " + Redaction.text(String.valueOf(e)));
            err.print(Redaction.text(trace.toString()));
            err.flush();
            return INTERNAL;
        }
    }

    private static int run(CommandLine.Model.CommandSpec spec, Common common,
                           Function<Compiler.Options, Compiler.Result> command, Function<Compiler.Result, String> summary) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        return guard(spec, () -> {
            try {
                Map<String, String> programs = common.emitJsonnet != null ? Renderer.recordPrograms() : null;
                Compiler.Result r = command.apply(common.options());
                if (programs != null) writePrograms(common.emitJsonnet, programs);
                if (common.timings) {
                    List<String> laps = new ArrayList<>();
                    r.timings().forEach((stage, ms) -> laps.add(stage + " " + ms + " ms"));
                    err.println("timings: " + String.join(", ", laps));
                }
                if (common.format == Format.json) {
                    out.println(FindingsJson.write(r.findings(), r.quotaUsage(), true));
                } else {
                    print(err, r.findings());
                    out.println(summary.apply(r));
                }
                out.flush();
                return OK;
            } catch (PlinthException e) {
                if (common.format != Format.json) throw e; // guard prints them as lines
                out.println(FindingsJson.write(e.diagnostics(), List.of(), false));
                out.flush();
                return INPUT_ERRORS;
            }
        });
    }

    /**
     * The recorded programs as one Jsonnet document whose fields are output files ({@code -m}),
     * imports pointing at the library's files on disk instead of Plinth's virtual paths.
     */
    private static void writePrograms(Path file, Map<String, String> programs) {
        Path library = Path.of(System.getProperty("plinth.library", "library")).toAbsolutePath().normalize();
        StringBuilder sb = new StringBuilder("{\n");
        new TreeMap<>(programs).forEach((unit, program) -> sb.append("  \"").append(unit.replace('/', '_'))
                .append(".json\": ").append(program.replace("\"/plinth-builtin/", "\"" + library + "/").replace("\n", "\n    "))
                .append(",\n"));
        sb.append("}\n");
        try {
            Files.writeString(file, sb.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Findings one per line, then the count. */
    static void print(PrintWriter err, Diagnostics diags) {
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
        // picocli builds a command's model by reflection when it is added: a command line that
        // names a command gets only that one (a tenth of a second of start-up for all of them)
        Map<String, Supplier<Object>> commands = new LinkedHashMap<>();
        commands.put("render", Render::new);
        commands.put("validate", Validate::new);
        commands.put("publish", Publish::new);
        commands.put("verify", Verify::new);
        commands.put("diff", Diff::new);
        commands.put("explain", Explain::new);
        commands.put("schema", Schema::new);
        commands.put("init", Init::new);
        commands.put("vendor", Vendor::new);
        commands.put("promote", Promote::new);
        if (args.length > 0 && commands.containsKey(args[0])) {
            cl.addSubcommand(args[0], commands.get(args[0]).get());
        } else {
            commands.forEach((name, command) -> cl.addSubcommand(name, command.get()));
        }
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            cl.getErr().println("plinth: " + Redaction.text(ex.getMessage()));
            ex.getCommandLine().usage(cl.getErr());
            return USAGE;
        });
        return cl.execute(args);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }
}
