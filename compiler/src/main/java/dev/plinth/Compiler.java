package dev.plinth;

import dev.plinth.check.QuotaUsage;
import dev.plinth.concurrent.Parallel;
import dev.plinth.diff.Differ;
import dev.plinth.diff.GitRevision;
import dev.plinth.diag.Diagnostic;
import dev.plinth.diag.Diagnostics;
import dev.plinth.diag.Loc;
import dev.plinth.diag.PlinthException;
import dev.plinth.explain.Explainer;
import dev.plinth.output.OutputFile;
import dev.plinth.output.OutputIndex;
import dev.plinth.output.OutputLayout;
import dev.plinth.output.OutputLock;
import dev.plinth.output.OutputWriter;
import dev.plinth.render.RenderedPlatform;
import dev.plinth.render.Renderer;
import dev.plinth.resolve.ResolvedPlatform;
import dev.plinth.gitops.GitOps;
import dev.plinth.gitops.GitOps.GitOpsObject;
import dev.plinth.cache.Fingerprint;
import dev.plinth.pipeline.Pipeline;
import dev.plinth.pipeline.Snapshot;
import dev.plinth.promote.Promoter;
import dev.plinth.publish.Publisher;
import dev.plinth.publish.Verifier;
import dev.plinth.cache.Caches;
import dev.plinth.cache.SpecCache;
import dev.plinth.spec.SpecLoader;
import dev.plinth.check.net.Flows;
import dev.plinth.spec.Specs;
import dev.plinth.spec.Specs.LoadedPlatform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.nio.file.LinkOption;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pipeline: load → resolve → render → check → write. The CLI and the Maven plugin are thin
 * shells over {@link #render}, {@link #validate}, {@link #verify}, {@link #publish} and
 * {@link #diff}.
 *
 * <p>Input errors surface as {@link PlinthException} (all diagnostics, exit status 1) and leave
 * the output untouched; {@link UsageException} is a wrong invocation (exit status 2).
 */
public final class Compiler {

    /**
     * @param environments environments to render; empty for all concrete ones
     * @param output       output directory; null for the platform's {@code spec.output}
     * @param extraCrds    CRD files or folders used for validation besides the platform's {@code spec.crds}
     * @param full         ignore the render cache and evaluate every unit
     * @param progress     told of units done, for a progress line
     */
    public record Options(Path root, List<String> environments, Path output, int jobs, List<Path> extraCrds,
                          boolean full, Renderer.Progress progress) {
        public Options {
            root = root.toAbsolutePath().normalize();
            environments = List.copyOf(environments);
            extraCrds = List.copyOf(extraCrds);
            if (progress == null) progress = Renderer.Progress.NONE;
        }

        public Options(Path root, List<String> environments, Path output, int jobs, List<Path> extraCrds) {
            this(root, environments, output, jobs, extraCrds, false, Renderer.Progress.NONE);
        }

        public static Options of(Path root) {
            return new Options(root, List.of(), null, Runtime.getRuntime().availableProcessors(), List.of());
        }
    }

    /**
     * What a command's run made: the pipeline's snapshot (null when the render found nothing
     * changed, the no-op fast path), where the output is, what the writer did (null when nothing
     * was written) and the time each stage took.
     *
     * @param clusters how many clusters the output holds
     */
    public record Result(Snapshot snapshot, Path output, OutputWriter.Summary summary, Map<String, Long> timings, int clusters) {
        /** The findings: warnings, or all of them for {@link #inspect}; none on the no-op fast path. */
        public Diagnostics findings() {
            return snapshot == null ? new Diagnostics() : snapshot.findings();
        }

        /** Every cluster's objects; null on the no-op fast path. */
        public RenderedPlatform rendered() {
            return snapshot == null ? null : snapshot.rendered();
        }

        /** The output files by path; empty for {@link #inspect}, which makes no YAML, and on the no-op fast path. */
        public SortedMap<String, OutputFile> files() {
            return snapshot == null ? new TreeMap<>() : snapshot.files();
        }

        /** What every tenant namespace needs of its quota at maximum scale. */
        public List<QuotaUsage> quotaUsage() {
            return snapshot == null ? List.of() : snapshot.quotaUsage();
        }

        /** The GitOps objects. */
        public List<GitOpsObject> gitops() {
            return snapshot == null ? List.of() : snapshot.gitops();
        }
    }

    /** Wall-clock milliseconds per stage, in pipeline order (for --timings and the benchmark). */
    private static final class Stopwatch {
        private final Map<String, Long> laps = new LinkedHashMap<>();
        private long last = System.nanoTime();

        void lap(String stage) {
            long now = System.nanoTime();
            laps.put(stage, (now - last) / 1_000_000);
            last = now;
        }
    }

    /** A wrong invocation rather than wrong input. */
    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }
    }

    private Compiler() {
    }

    /** Everything render does except writing. */
    public static Result validate(Options options) {
        return compile(options, false);
    }

    /** A fresh render (no cache, nothing written) compared with the output directory or a published branch. */
    public static List<Verifier.Stale> verify(Options options, String to, String branch, String path) {
        Options fresh = new Options(options.root(), options.environments(), options.output(), options.jobs(),
                options.extraCrds(), true, options.progress());
        Result r = compile(fresh, false);
        if (to == null) {
            OutputWriter.requireUsable(r.output());
            // under the lock: never while a render writes it; and never over an interrupted write,
            // which verify does not roll back (it only reads): the tree may be a mix of two renders
            try (OutputLock ignored = OutputLock.acquire(r.output())) {
                Path journal = OutputWriter.interruptedJournal(r.output());
                if (journal != null) {
                    throw PlinthException.of(Loc.file(journal.toString()), "a render was interrupted while writing this output, "
                            + "which may be a mix of two renders until a render rolls it back: run plinth render, then verify");
                }
                return Verifier.compare(OutputFile.texts(r.files()), r.output());
            }
        }
        requireUsable(to, branch == null ? "main" : branch, path);
        return Verifier.compareBranch(OutputFile.texts(r.files()), to, branch == null ? "main" : branch, path, Publisher.environmentCredentials());
    }

    /**
     * Renders the platform as it was at a Git revision and as it is, with this compiler, and
     * compares the two. A base that does not render is an input error that names the revision.
     */
    public static Differ.Report diff(Options options, String base) {
        requireUsable(options);
        Path work = null;
        try {
            work = Files.createTempDirectory("plinth-diff");
            Path root = options.root();
            Path out = options.output() != null ? root.resolve(options.output()).normalize()
                    : SpecLoader.declaredOutput(root).toAbsolutePath().normalize();
            GitRevision.Extracted extracted = GitRevision.extract(root, base, work, out);
            String where = base + " (" + extracted.commit().substring(0, 12) + ")";
            String rootInRepo = work.relativize(extracted.root()).toString().replace('\\', '/');
            if (!Files.isDirectory(extracted.root())) {
                throw PlinthException.of(Loc.file(base), "the platform root " + (rootInRepo.isEmpty() ? "." : rootInRepo)
                        + " does not exist at the base revision " + where + ", so there is nothing to compare with");
            }
            // Both renders read (never write) the working tree's unit cache: entries are keyed by
            // program and import hashes, so the base's unchanged units hit it too.
            Options baseOptions = new Options(extracted.root(), options.environments(), out, options.jobs(), options.extraCrds(),
                    false, Renderer.Progress.NONE);
            Result before;
            try {
                before = inspect(baseOptions);
            } catch (PlinthException e) {
                // the base's own messages, placed at REV:FILE (repository-relative) as git names a file at a revision
                String prefix = base + ":" + (rootInRepo.isEmpty() ? "" : rootInRepo + "/");
                Diagnostics d = new Diagnostics();
                for (Diagnostic x : e.diagnostics().sorted()) {
                    d.add(new Diagnostic(new Loc(prefix + x.loc().file(), x.loc().line(), x.loc().column()), x.severity(),
                            x.checkId(), x.message().replace(work.toString(), base + ":"), x.subject()));
                }
                d.error(Loc.file(base), "the base revision " + where
                        + " does not render, so there is nothing to compare with: diff against a revision that does");
                throw new PlinthException(d);
            } catch (UsageException e) {
                throw PlinthException.of(Loc.file(base), "the base revision " + where + " cannot be rendered as asked: "
                        + e.getMessage().replace(work.toString(), base + ":"));
            }
            Result after = inspect(new Options(root, options.environments(), out, options.jobs(), options.extraCrds(),
                    false, Renderer.Progress.NONE));
            return Differ.diff(base, extracted.commit(), before.snapshot(), after.snapshot());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (work != null) Publisher.deleteTreeQuietly(work);
        }
    }

    /**
     * {@code plinth explain}: a component type, trait or spec kind, or a field of one, described
     * from its schema; reads platform.yaml (for the library roots) and the definitions, nothing else.
     */
    public static String explain(Path root, String target, boolean recursive) {
        requireUsable(Options.of(root));
        return Explainer.explain(root, target, recursive);
    }

    /**
     * {@code plinth vendor}: downloads the remote Helm charts of every environment into
     * vendor/charts/ and writes plinth.lock; the one command that uses the network.
     */
    public static dev.plinth.vendor.ChartVendor.Result vendor(Path root, Map<String, String> mirrors) {
        requireUsable(Options.of(root));
        LoadedPlatform loaded = Pipeline.load(root, dev.plinth.spec.ParsedSpecs.NONE);
        ResolvedPlatform resolved = Pipeline.resolve(loaded, List.of());
        dev.plinth.render.Definitions definitions = new dev.plinth.render.Definitions(new dev.plinth.definitions.JsonnetEngine(
                new dev.plinth.definitions.Library(root, loaded.platform().libraryRoots(root))));
        try {
            return dev.plinth.vendor.ChartVendor.vendor(root.toAbsolutePath().normalize(),
                    dev.plinth.vendor.ChartVendor.declared(resolved, definitions), mirrors);
        } catch (IOException e) {
            throw new UsageException("plinth vendor: " + e.getMessage());
        }
    }

    /** Renders, then publishes the output into a GitOps repository. */
    public static Publisher.Result publish(Options options, Publisher.Options publish) {
        requireUsable(publish.to(), publish.branch(), publish.path());
        requireUsable(options);
        Path declared = declaredOutput(options);
        // one hold of the lock from the render to the last read of its output: no other render in between
        OutputWriter.requireUsable(declared);
        try (OutputLock ignored = OutputLock.acquire(declared)) {
            Result r = render(options);
            return Publisher.publish(options.root(), r.output(), publish);
        }
    }

    /**
     * {@code plinth promote}: the image references and chart versions environment {@code from}
     * renders, written into {@code to}'s environment file as overrides (not written when
     * {@code dryRun}). Unknown or abstract environments are usage errors, as for {@code -e}.
     */
    public static Promoter.Plan promote(Path root, String from, String to, String app, String component, boolean dryRun) {
        requireUsable(Options.of(root));
        if (from.equals(to)) throw new UsageException("--from and --to name the same environment '" + from + "'");
        LoadedPlatform loaded = Pipeline.load(Options.of(root).root(), dev.plinth.spec.ParsedSpecs.NONE);
        for (String env : List.of(from, to)) {
            Specs.EnvironmentSpec e = loaded.environments().get(env);
            if (e != null && e.isAbstract()) {
                throw new UsageException("environment '" + env + "' is abstract: it renders nothing to promote from or to");
            }
        }
        ResolvedPlatform resolved;
        try {
            resolved = Pipeline.resolve(loaded, List.of(from, to));
        } catch (Pipeline.UnknownEnvironment e) {
            throw new UsageException(e.getMessage());
        }
        Promoter.Plan plan = Promoter.plan(loaded, resolved, from, to, app, component);
        if (!dryRun) Promoter.write(plan);
        return plan;
    }

    /**
     * What every command asks of its options before it reads anything: the root a folder, at
     * least one job, and every extra CRD path there (a missing one would check nothing against it).
     */
    private static void requireUsable(Options options) {
        if (!Files.isDirectory(options.root())) {
            throw new UsageException("platform root " + options.root() + " is not a directory");
        }
        if (options.jobs() < 1) throw new UsageException("--jobs must be 1 or more, not " + options.jobs());
        for (Path crds : options.extraCrds()) {
            if (!Files.exists(crds)) throw new UsageException("--crds " + crds + " does not exist");
        }
    }

    /** A branch that is no branch name, or a path that leaves the repository, is a usage error. */
    private static void requireUsable(String to, String branch, String path) {
        String problem = Publisher.usageProblem(branch, path);
        if (problem != null) throw new UsageException(problem);
    }

    public static Result render(Options options) {
        return compile(options, true);
    }

    /**
     * Everything validate does, but findings of the checks (errors too) are returned rather than
     * thrown: the diff compares them between two revisions. Input errors still throw. The result
     * has the rendered objects but no files (no YAML is produced).
     */
    public static Result inspect(Options options) {
        return compile(options, false, true);
    }

    /**
     * What {@code validate --flows} prints: every cluster's needed flows with their verdicts
     * ({@link Flows}), and the run's findings, errors included (returned, not thrown, so that the
     * matrix is printed beside them). Input errors before the checks still throw.
     */
    public record FlowMatrix(Result result, List<Flows.ClusterFlows> clusters) {
        public String text() {
            return Flows.matrix(clusters);
        }
    }

    public static FlowMatrix flows(Options options) {
        Result r = inspect(options);
        RenderedPlatform rendered = r.rendered();
        Map<String, Object> platform = rendered.platform() == null ? SpecLoader.platformDefaults() : rendered.platform().settings();
        return new FlowMatrix(r, rendered.clusters().stream().map(c -> Flows.of(c, platform)).toList());
    }

    /**
     * {@code plinth schema}: the JSON Schemas of the spec kinds with the root's types (its
     * platform.yaml's library roots and the built-ins) written into {@code dir}, replacing files
     * of the same names; returns the files written, sorted.
     */
    public static List<Path> writeJsonSchemas(Path root, Path dir) {
        if (!Files.isDirectory(root)) throw new UsageException("platform root " + root + " is not a directory");
        SortedMap<String, String> files = dev.plinth.jsonschema.JsonSchemas.forPlatform(root);
        List<Path> written = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            for (Map.Entry<String, String> f : files.entrySet()) {
                Path file = dir.resolve(f.getKey());
                Files.writeString(file, f.getValue());
                written.add(file);
            }
        } catch (IOException e) {
            throw new UsageException("cannot write the schemas into " + dir + ": " + e.getMessage());
        }
        return written;
    }

    private static Result compile(Options options, boolean write) {
        return compile(options, write, false);
    }

    private static Result compile(Options options, boolean write, boolean keepFindings) {
        return compileOnce(options, write, keepFindings);
    }

    private static Result compileOnce(Options options, boolean write, boolean keepFindings) {
        requireUsable(options);
        SpecLoader.PlatformFile platformFile = options.output() != null ? new SpecLoader.PlatformFile(null, null, null)
                : SpecLoader.readPlatformFile(options.root());
        Path declared = declaredOutput(options, platformFile);
        if (!write) return compileLocked(options, false, keepFindings, declared, platformFile);
        // the output's lock before anything reads or repairs the output: two renders never interleave
        OutputWriter.requireUsable(declared);
        try (OutputLock ignored = OutputLock.acquire(declared)) {
            OutputWriter.recoverInterrupted(declared);
            return compileLocked(options, true, keepFindings, declared, platformFile);
        }
    }

    /**
     * The output as given or as platform.yaml names it (read leniently, before the specs are),
     * checked to stay inside the root when platform.yaml names it.
     */
    private static Path declaredOutput(Options options) {
        return declaredOutput(options, options.output() != null ? null : SpecLoader.readPlatformFile(options.root()));
    }

    private static Path declaredOutput(Options options, SpecLoader.PlatformFile platformFile) {
        if (options.output() != null) return options.root().resolve(options.output());
        requireInsideRoot(options.root(), platformFile.output());
        return platformFile.output();
    }

    /**
     * A platform.yaml (input, which a pull request may change) may not put the output outside the
     * platform root, by {@code ..} or through a symbolic link; {@code -o} on the command line may.
     */
    private static void requireInsideRoot(Path root, Path output) {
        try {
            Path realRoot = root.toRealPath();
            Path p = output.toAbsolutePath().normalize();
            Path existing = p;
            while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) existing = existing.getParent();
            Path real = existing == null ? p : existing.toRealPath().resolve(existing.relativize(p));
            if (!p.startsWith(root) || !real.startsWith(realRoot) || real.equals(realRoot)) {
                throw PlinthException.of(Loc.file("platform.yaml"), "spec.output " + root.relativize(p).toString().replace('\\', '/')
                        + " leaves the platform root" + (p.startsWith(root) && !real.equals(realRoot) ? " through a symbolic link (to " + real + ")" : "")
                        + "; the output must be a directory inside it (or give -o on the command line)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Result compileLocked(Options options, boolean write, boolean keepFindings, Path declared,
                                        SpecLoader.PlatformFile platformFile) {
        Stopwatch clock = new Stopwatch();
        InputsSeen seen = write && !options.full() ? upToDate(declared, options, clock) : InputsSeen.NONE;
        if (seen.upToDate() != null) return seen.upToDate();
        // the render cache is read on another thread while the specs load: neither needs the other
        Future<Caches> declaredCache = options.full() ? CompletableFuture.completedFuture(Caches.NONE)
                : Parallel.inBackground(() -> Caches.load(declared, write));
        // spec files as the last render parsed them, beside that output
        SpecCache specs = options.full() ? SpecCache.disabled() : SpecCache.load(cacheDir(declared));
        Pipeline.Request request = new Pipeline.Request(options.root(), options.environments(), options.jobs(),
                options.extraCrds(), options.progress());
        LoadedPlatform loaded = Pipeline.load(options.root(), platformFile.before(specs));
        // the inputs as they were before reading them (an edit from then on makes the next render run
        // rather than skip): as the no-op check found them, when it looked at the same folders;
        // else taken on another thread while this one goes on
        List<Path> roots = platformRoots(options.root(), loaded);
        Future<String> inputs = !write ? null : roots.equals(seen.roots()) ? CompletableFuture.completedFuture(seen.inputs())
                : Parallel.inBackground(() -> inputsFingerprint(options, roots));
        clock.lap("load");
        ResolvedPlatform resolved;
        try {
            resolved = Pipeline.resolve(loaded, options.environments());
        } catch (Pipeline.UnknownEnvironment e) {
            throw new UsageException(e.getMessage());
        }
        clock.lap("resolve");

        Path out = options.output() != null ? options.root().resolve(options.output())
                : options.root().resolve(loaded.platform().output());
        if (options.output() == null) requireInsideRoot(options.root(), out);
        Caches caches = options.full() ? Caches.NONE
                : cacheDir(out).equals(cacheDir(declared)) ? Parallel.join(declaredCache) : Caches.load(out, write);
        Set<Path> read = ConcurrentHashMap.newKeySet();
        Pipeline.Rendered rendered = Pipeline.render(request, loaded, resolved, caches.units(), read);
        clock.lap("render");

        Pipeline.Checked checked = Pipeline.check(request, rendered, caches.findings(), caches.scopes());
        Diagnostics findings = checked.findings();
        clock.lap("check");
        if (findings.hasErrors() && !keepFindings) throw new PlinthException(findings);
        List<QuotaUsage> quotaUsage = checked.report().quotaUsage();
        if (keepFindings) { // the diff compares objects, not files: no YAML to produce
            return new Result(new Snapshot(rendered.platform(), rendered.gitops(), new TreeMap<>(), findings, quotaUsage),
                    out, null, clock.laps, rendered.platform().clusters().size());
        }
        Pipeline.Emitted emitted = Pipeline.emit(request, rendered, caches.units());
        Pipeline.keepNamespaceFindings(checked, emitted, caches.scopes());
        SortedMap<String, OutputFile> files = emitted.files();
        clock.lap("layout");
        Snapshot snapshot = new Snapshot(rendered.platform(), rendered.gitops(), files, findings, quotaUsage);
        if (!write) return new Result(snapshot, out, null, clock.laps, rendered.platform().clusters().size());

        OutputWriter.requireUsable(out);
        try (OutputLock ignored = OutputLock.acquire(out)) { // the declared output's, unless platform.yaml names another
            OutputWriter.recoverInterrupted(out);
            return write(options, loaded, snapshot, out, caches, specs, inputs, roots, read, clock);
        }
    }

    private static Result write(Options options, LoadedPlatform loaded, Snapshot snapshot, Path out, Caches caches,
                                SpecCache specs, Future<String> inputs, List<Path> roots, Set<Path> read,
                                Stopwatch clock) {
        SortedMap<String, OutputFile> files = snapshot.files();
        int clusters = snapshot.rendered().clusters().size();
        Path cacheDir = cacheDir(out);
        Fingerprint.clear(cacheDir); // until this render has finished writing
        OutputIndex index = caches.outputs();
        // the caches are saved while the files are written, under the output's lock (their entries
        // are keyed by their inputs, so they are right whatever the output holds)
        OutputWriter.Summary summary = OutputWriter.write(out, files, scope(loaded, options.environments()), index,
                Math.max(1, options.jobs()), () -> {
                    caches.save();
                    specs.save();
                });
        clock.lap("write");
        if (!snapshot.findings().hasWarnings()) {
            // warnings must be seen on every render, so only a clean render may be skipped next time;
            // the files and charts the render read outside the folders watched already are watched too
            List<Path> watched = withFilesRead(options.root(), roots, read);
            String inputsSeen = watched.equals(roots) ? Parallel.join(inputs) : inputsFingerprint(options, watched);
            Fingerprint.write(cacheDir, new Fingerprint.Stored(inputsSeen,
                    Fingerprint.outputs(out, index::seenThisRun), clusters, files.size(), watched));
        }
        clock.lap("cache");
        return new Result(snapshot, out, summary, clock.laps, clusters);
    }

    /**
     * What the no-op check found: the result when nothing is to be done, else the inputs
     * fingerprint it took of these library and CRD folders (null when it took none).
     */
    private record InputsSeen(Result upToDate, String inputs, List<Path> roots) {
        static final InputsSeen NONE = new InputsSeen(null, null, null);
    }

    /**
     * The no-op fast path: when no input file changed since the last clean render and the owned
     * output is as that render left it, there is nothing to do.
     */
    private static InputsSeen upToDate(Path out, Options options, Stopwatch clock) {
        Fingerprint.Stored stored = Fingerprint.read(cacheDir(out));
        if (stored == null) return InputsSeen.NONE;
        String inputs = inputsFingerprint(options, stored.roots());
        InputsSeen seen = new InputsSeen(null, inputs, stored.roots());
        if (!stored.inputs().equals(inputs) || !stored.outputs().equals(Fingerprint.outputs(out))) return seen;
        clock.lap("fingerprint");
        return new InputsSeen(new Result(null, out, new OutputWriter.Summary(stored.files(), 0, stored.files(), 0), clock.laps,
                stored.clusters()), inputs, stored.roots());
    }

    /** The library, CRD and admission folders platform.yaml names, then the CRD folders of clusters. */
    private static List<Path> platformRoots(Path root, LoadedPlatform loaded) {
        List<Path> roots = new ArrayList<>();
        roots.addAll(loaded.platform().libraryRoots(root));
        for (String c : loaded.platform().crds()) roots.add(root.resolve(c));
        for (String a : loaded.platform().admission()) roots.add(root.resolve(a));
        for (Specs.Cluster cluster : Pipeline.clusters(loaded)) {
            for (String c : cluster.crds()) {
                Path p = root.resolve(c).normalize();
                if (!roots.contains(p)) roots.add(p);
            }
        }
        return roots;
    }

    /**
     * The folders the no-op check watches, and after them the files and chart folders a render
     * read ({@code file} and {@code yaml-file} properties, Helm charts) that lie outside
     * {@code environments/} and those folders (a dashboard or a chart elsewhere in the root),
     * in the form of the root's paths, sorted.
     */
    private static List<Path> withFilesRead(Path root, List<Path> roots, Set<Path> read) {
        Path base = root.toAbsolutePath().normalize();
        List<Path> watchedAbs = new ArrayList<>();
        watchedAbs.add(base.resolve("environments"));
        for (Path r : roots) watchedAbs.add(r.toAbsolutePath().normalize());
        TreeSet<Path> extra = new TreeSet<>();
        for (Path p : read) {
            Path abs = p.toAbsolutePath().normalize();
            if (!abs.startsWith(base) || watchedAbs.stream().anyMatch(abs::startsWith)) continue;
            extra.add(root.resolve(base.relativize(abs)));
        }
        if (extra.isEmpty()) return roots;
        List<Path> all = new ArrayList<>(roots);
        all.addAll(extra);
        return all;
    }

    private static String inputsFingerprint(Options options, List<Path> platformRoots) {
        List<Path> folders = new ArrayList<>(platformRoots);
        folders.addAll(options.extraCrds());
        return Fingerprint.inputs(options.root(), folders, "environments=" + options.environments()
                + " output=" + options.output() + " crds=" + options.extraCrds());
    }

    /** The render cache sits beside the output: {@code <output>.plinth-cache}. */
    public static Path cacheDir(Path out) {
        return Caches.folderOf(out);
    }

    /** All owned files when every environment renders; otherwise only the selected clusters'. */
    private static Predicate<String> scope(LoadedPlatform loaded, List<String> environments) {
        if (environments.isEmpty()) return p -> true;
        // gitops/ describes every cluster: a render of some environments does not touch it
        Set<String> prefixes = new TreeSet<>();
        for (String env : environments) {
            loaded.environments().get(env).clusters().forEach(c -> prefixes.add(OutputLayout.clusterDir(c.name())));
        }
        return p -> prefixes.stream().anyMatch(p::startsWith);
    }
}
