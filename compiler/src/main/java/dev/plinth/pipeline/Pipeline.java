package dev.plinth.pipeline;

import dev.plinth.check.Checker;
import dev.plinth.check.k8s.ClusterCrds;
import dev.plinth.check.k8s.CrdSchemas;
import dev.plinth.check.admission.AdmissionFiles;
import dev.plinth.concurrent.Parallel;
import dev.plinth.definitions.JsonnetEngine;
import dev.plinth.definitions.Library;
import dev.plinth.diag.Diagnostic;
import dev.plinth.diag.Diagnostics;
import dev.plinth.diag.PlinthException;
import dev.plinth.gitops.EngineAdmission;
import dev.plinth.gitops.GitOps;
import dev.plinth.gitops.GitOps.GitOpsObject;
import dev.plinth.output.OutputFile;
import dev.plinth.output.OutputLayout;
import dev.plinth.render.RenderedObject;
import dev.plinth.render.RenderedPlatform;
import dev.plinth.render.Renderer;
import dev.plinth.render.UnitMemo;
import dev.plinth.resolve.ResolvedPlatform;
import dev.plinth.resolve.Resolver;
import dev.plinth.spec.ParsedSpecs;
import dev.plinth.spec.SpecLoader;
import dev.plinth.spec.Specs;
import dev.plinth.spec.Specs.LoadedPlatform;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The stages of a run, each a function of its inputs: load, resolve, render, check, emit. The
 * writer ({@link dev.plinth.output.OutputWriter}) is the last stage; {@link dev.plinth.Compiler}
 * composes them for each command, with the output's lock and the caches around them.
 */
public final class Pipeline {
    private Pipeline() {
    }

    /** What a run is asked to do, as far as the stages care. */
    public record Request(Path root, List<String> environments, int jobs, List<Path> extraCrds, Renderer.Progress progress) {
        public Request {
            environments = List.copyOf(environments);
            extraCrds = List.copyOf(extraCrds);
            jobs = Math.max(1, jobs);
        }
    }

    /** A usage error found by a stage (an environment the platform does not have). */
    public static final class UnknownEnvironment extends RuntimeException {
        public UnknownEnvironment(String message) {
            super(message);
        }
    }

    // ---- load -------------------------------------------------------------------------------

    /** Stage 1: the specs of the platform (spec files whose text is unchanged come from {@code specs}). */
    public static LoadedPlatform load(Path root, ParsedSpecs specs) {
        return SpecLoader.load(root, specs);
    }

    // ---- resolve ----------------------------------------------------------------------------

    /** Stage 2: the environments asked for (all when none is), resolved into clusters with their apps placed. */
    public static ResolvedPlatform resolve(LoadedPlatform loaded, List<String> environments) {
        for (String env : environments) {
            if (!loaded.environments().containsKey(env)) {
                throw new UnknownEnvironment("unknown environment '" + env + "' (known: "
                        + String.join(", ", loaded.environments().keySet()) + ")");
            }
        }
        return Resolver.resolve(loaded, environments);
    }

    // ---- render -----------------------------------------------------------------------------

    /**
     * What the render stage made: every cluster's objects (the platform's admission policies
     * among each cluster's platform/ objects, stateful objects protected from pruning), the
     * GitOps objects, and the CRDs the objects are checked against.
     *
     * @param policyFindings warnings about clusters that do not serve the admission policies
     * @param cachedYaml     the digest of an object's YAML where the render cache has it (its
     *                       unit did not change), else null
     */
    public record Rendered(LoadedPlatform loaded, RenderedPlatform platform, List<GitOpsObject> gitops, CrdSchemas crds,
                           ClusterCrds clusterCrds, Diagnostics policyFindings, Function<RenderedObject, String> cachedYaml) {
    }

    /**
     * Stage 3: evaluates every unit (from {@code units} where its inputs are unchanged), adds the
     * platform's admission policies and the GitOps objects. Input errors of the CRD and policy
     * files are reported together with the units' errors. The files a unit read outside the
     * specs ({@code file} properties, charts) are added to {@code read}.
     */
    public static Rendered render(Request request, LoadedPlatform loaded, ResolvedPlatform resolved, UnitMemo units,
                                  Set<Path> read) {
        Path root = request.root();
        JsonnetEngine engine = new JsonnetEngine(new Library(root, loaded.platform().libraryRoots(root)));
        // the CRDs before the units: the platform's cluster-scoped ones decide which objects get no namespace
        List<Path> crdPaths = new ArrayList<>();
        for (String c : loaded.platform().crds()) crdPaths.add(root.resolve(c));
        Diagnostics inputErrors = new Diagnostics();
        CrdSchemas crds = CrdSchemas.load(root, crdPaths, request.extraCrds(), inputErrors);
        ClusterCrds clusterCrds = ClusterCrds.load(root, crds, clusters(loaded), inputErrors);
        // the platform's admission policies, read before the units so that a bad file fails fast
        Diagnostics policyFiles = new Diagnostics();
        List<AdmissionFiles.Document> policies = AdmissionFiles.load(root, loaded.platform().admission(),
                loaded.platform().loc(), policyFiles);
        for (Diagnostic d : policyFiles.sorted()) if (d.severity() == Diagnostic.Severity.ERROR) inputErrors.add(d);
        RenderedPlatform renderedUnits = reportingAlso(inputErrors, () -> Renderer.render(resolved, engine, request.jobs(),
                request.progress(), units, new Renderer.ClusterScopedKinds(clusterCrds.clusterScopedKinds()), read));
        // they join each cluster's platform/ objects, where the admission check finds them
        RenderedPlatform rendered = AdmissionFiles.addTo(renderedUnits, policies, policyFiles);
        policyFiles.throwIfErrors();
        // GitOps glue for the whole platform; a render of some environments leaves gitops/ alone
        boolean gitops = request.environments().isEmpty() && GitOps.enabled(loaded.platform());
        Diagnostics gitopsErrors = new Diagnostics();
        GitOps.protect(rendered);
        List<GitOpsObject> gitopsObjects = gitops ? GitOps.objects(rendered, engine, clusterCrds, gitopsErrors) : List.of();
        gitopsErrors.throwIfErrors();
        Function<RenderedObject, String> cachedYaml = digestsByUnit(rendered, units::yamlDigests);
        return new Rendered(loaded, rendered, gitopsObjects, crds, clusterCrds, policyFiles, cachedYaml);
    }

    /** Every cluster of every environment, in environment order. */
    public static List<Specs.Cluster> clusters(LoadedPlatform loaded) {
        List<Specs.Cluster> all = new ArrayList<>();
        loaded.environments().values().forEach(e -> all.addAll(e.clusters()));
        return all;
    }

    /**
     * Runs a stage and throws the errors found before it together with the stage's own, so that
     * neither hides the other.
     */
    private static <T> T reportingAlso(Diagnostics before, Supplier<T> stage) {
        T result;
        try {
            result = stage.get();
        } catch (PlinthException e) {
            if (!before.hasErrors()) throw e;
            Diagnostics all = new Diagnostics();
            all.addAll(before);
            all.addAll(e.diagnostics());
            throw new PlinthException(all);
        }
        before.throwIfErrors();
        return result;
    }

    // ---- check ------------------------------------------------------------------------------

    /** The checks' findings and quota headroom, and what to keep of the namespaces checked once their YAML is known. */
    public record Checked(Diagnostics findings, Checker.Report report) {
    }

    /**
     * Stage 4: every check over every cluster (object checks' findings from {@code memo} for
     * unchanged units, namespace findings from {@code scopes} for unchanged namespaces), the
     * GitOps objects against their CRDs, and whether Argo CD or Flux would apply every object
     * as the GitOps objects ask them to (on another thread while the checks run).
     */
    public static Checked check(Request request, Rendered rendered, Checker.FindingsMemo memo, Checker.ScopeMemo scopes) {
        LoadedPlatform loaded = rendered.loaded();
        Future<Diagnostics> engineAdmission = rendered.gitops().isEmpty() ? CompletableFuture.completedFuture(new Diagnostics())
                : Parallel.inBackground(() -> EngineAdmission.check(rendered.platform(), rendered.gitops(), rendered.clusterCrds(),
                loaded.platform().loc()));
        Checker.Report report = Checker.check(rendered.platform(), rendered.clusterCrds(), request.jobs(), memo, scopes,
                rendered.cachedYaml());
        Diagnostics findings = report.findings();
        findings.addAll(rendered.policyFindings());
        for (GitOpsObject o : rendered.gitops()) {
            String apiVersion = String.valueOf(o.body().get("apiVersion"));
            String kind = String.valueOf(o.body().get("kind"));
            for (CrdSchemas.Problem p : rendered.crds().validate(apiVersion, kind, o.body())) {
                findings.add(new Diagnostic(loaded.platform().loc(), Diagnostic.Severity.ERROR, "schema", p.message(),
                        new Diagnostic.Subject("gitops", null, kind, o.file(), p.path())));
            }
        }
        findings.addAll(Parallel.join(engineAdmission));
        return new Checked(findings, report);
    }

    // ---- emit -------------------------------------------------------------------------------

    /** What the emit stage made: the output files, and each object's YAML digest. */
    public record Emitted(SortedMap<String, OutputFile> files, Function<RenderedObject, String> yamlDigest) {
    }

    /**
     * Stage 5: the output files of the objects and of the GitOps objects. An unchanged unit's
     * YAML digests come from the render cache, and the new ones go into it.
     */
    public static Emitted emit(Request request, Rendered rendered, UnitMemo units) {
        Map<String, List<String>> yamlDigests = new ConcurrentHashMap<>();
        SortedMap<String, OutputFile> files = OutputLayout.files(rendered.platform(), request.jobs(), rendered.cachedYaml(), (unit, digests) -> {
            units.storeYamlDigests(unit, digests);
            if (unit != null) yamlDigests.put(unit, digests);
        });
        files.putAll(OutputFile.of(GitOps.files(rendered.gitops())));
        Function<RenderedObject, String> emitted = digestsByUnit(rendered.platform(), yamlDigests::get);
        return new Emitted(files, o -> {
            String cached = rendered.cachedYaml().apply(o);
            return cached != null ? cached : emitted.apply(o);
        });
    }

    /**
     * After the emit stage: the namespaces the check stage ran over are kept under keys of their
     * objects' YAML digests, which stand for the objects' content.
     */
    public static void keepNamespaceFindings(Checked checked, Emitted emitted, Checker.ScopeMemo scopes) {
        Checker.keep(checked.report().checked(), emitted.yamlDigest(), scopes);
    }

    /**
     * Each object's YAML digest from its unit's list of digests (a unit's objects are next to
     * each other, in the order of its digests); null for an object of a unit without a list, or
     * with a list of another length.
     */
    private static Function<RenderedObject, String> digestsByUnit(RenderedPlatform rendered, Function<String, List<String>> ofUnit) {
        Map<RenderedObject, String> digests = new IdentityHashMap<>();
        for (RenderedPlatform.RenderedCluster c : rendered.clusters()) {
            List<RenderedObject> objects = c.objects();
            for (int start = 0; start < objects.size(); ) {
                String unit = objects.get(start).unit();
                int end = start + 1;
                while (end < objects.size() && Objects.equals(objects.get(end).unit(), unit)) end++;
                List<String> unitDigests = unit == null ? null : ofUnit.apply(unit);
                if (unitDigests != null && unitDigests.size() == end - start) {
                    for (int i = start; i < end; i++) digests.put(objects.get(i), unitDigests.get(i - start));
                }
                start = end;
            }
        }
        return digests::get;
    }
}
