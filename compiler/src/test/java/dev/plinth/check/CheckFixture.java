package dev.plinth.check;

import dev.plinth.check.k8s.ClusterCrds;
import dev.plinth.check.k8s.CrdSchemas;
import dev.plinth.diag.Diagnostic;
import dev.plinth.diag.Diagnostic.Severity;
import dev.plinth.diag.Diagnostics;
import dev.plinth.diag.Loc;
import dev.plinth.render.RenderedObject;
import dev.plinth.render.RenderedPlatform;
import dev.plinth.render.RenderedPlatform.RenderedCluster;
import dev.plinth.render.Renderer;
import dev.plinth.resolve.ResolvedPlatform.ClusterPlan;
import dev.plinth.resolve.ResolvedPlatform.PlacedApp;
import dev.plinth.spec.Specs.AppSpec;
import dev.plinth.spec.Specs.Cluster;
import dev.plinth.spec.Specs.TenantSpec;
import dev.plinth.spec.Specs.Waiver;
import dev.plinth.yaml.PNode;
import dev.plinth.yaml.YamlReader;
import dev.plinth.yaml.YamlWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One cluster of rendered objects built in memory, and what one check finds in it: the single
 * place where the per-check tests meet the check API, so that only this class changes with it.
 *
 * <p>A cluster, {@value #CLUSTER} of environment {@code live}, has tenants (namespaces, Pod
 * Security level, waivers, objects of their own), apps placed in a tenant's namespace (waivers,
 * {@code spec.external}, objects), platform objects and CRDs. Objects are YAML text read with the
 * project's YAML reader, as a {@code k8s-objects} component writes them: a namespaced object
 * without {@code metadata.namespace} gets its app's (or tenant's first) namespace, as the renderer
 * gives it, and the object's text is its origin, so a finding about a value written there is
 * placed at that value's line ({@link Finding#loc}). An app's objects come from
 * {@code environments/live/apps/APP.yaml}, a tenant's from {@code environments/live/tenants/TENANT.yaml},
 * platform objects from {@code platform.yaml} (each file being the unit's YAML texts in the order
 * given, separated by {@code ---}).
 *
 * <p>{@link #run} runs the whole check stage ({@link Checker#check}) over the cluster three ways:
 * every check over the whole cluster; the {@link NamespaceCheck}s one namespace at a time (as
 * an incremental render does); and again with every finding replayed from what the second run
 * kept (the object checks' per unit, the namespace checks' per namespace). The three must agree:
 * a namespace check that needs more than its view, or findings that do not survive their cache,
 * fail every test of that check. It returns the findings of the one check id asked for, as the
 * user would see them (placed, waivers applied). The tests use nothing but this class, so a
 * change of the check API (a check's type, its entry point) changes this class only.
 */
final class CheckFixture {
    /** Each object's YAML digest, as the render cache would give it (it stands for the object in a namespace's key). */
    private final Map<RenderedObject, String> yamlDigests = new java.util.IdentityHashMap<>();

    static final String CLUSTER = "live-1";
    private static final String ENV_DIR = "environments/live/";

    private String kubeVersion = "1.31";
    private String server = "https://" + CLUSTER + ".example.com";
    private List<String> apiServerCIDRs = List.of();
    private final Map<String, String> operators = new TreeMap<>();
    private final Map<String, Tenant> tenants = new LinkedHashMap<>();
    private final Map<String, App> apps = new LinkedHashMap<>();
    private final List<String> platformObjects = new ArrayList<>();
    private final List<String> crds = new ArrayList<>();
    private int waiverLine = 1000;

    private static final class Tenant {
        final String name;
        final List<String> namespaces;
        String podSecurity = "restricted";
        final Map<String, Object> spec = new LinkedHashMap<>();
        final List<Waiver> waivers = new ArrayList<>();
        final List<String> objects = new ArrayList<>();

        Tenant(String name, List<String> namespaces) {
            this.name = name;
            this.namespaces = namespaces;
        }
    }

    private static final class App {
        final String name;
        final String tenant;
        final String namespace;
        final List<Waiver> waivers = new ArrayList<>();
        final Map<String, List<String>> external = new TreeMap<>();
        final List<String> objects = new ArrayList<>();

        App(String name, String tenant, String namespace) {
            this.name = name;
            this.tenant = tenant;
            this.namespace = namespace;
        }
    }

    private CheckFixture() {
    }

    /** A cluster running Kubernetes 1.31, with no operators, tenants or objects. */
    static CheckFixture cluster() {
        return new CheckFixture();
    }

    /** The common case: tenant {@code team} (namespace {@code team}) and its app {@code web}, whose objects are {@code yaml}. */
    static CheckFixture app(String yaml) {
        return cluster().tenant("team").app("web", "team").objects("web", yaml);
    }

    /** A Deployment {@code name} of pods labelled {@code app: NAME} whose pod spec is {@code podSpec} (YAML, not indented). */
    static String deployment(String name, String podSpec) {
        return deployment(name, 0, podSpec);
    }

    /** The same with {@code spec.replicas} (none when 0). */
    static String deployment(String name, long replicas, String podSpec) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %s}
                spec:
                %s  selector: {matchLabels: {app: %s}}
                  template:
                    metadata: {labels: {app: %s}}
                    spec:
                """.formatted(name, replicas == 0 ? "" : "  replicas: " + replicas + "\n", name, name) + podSpec.indent(6);
    }

    /** A CronJob {@code name} running at 3 o'clock whose pod spec is {@code podSpec} (YAML, not indented; restartPolicy Never). */
    static String cronJob(String name, String podSpec) {
        return """
                apiVersion: batch/v1
                kind: CronJob
                metadata: {name: %s}
                spec:
                  schedule: "0 3 * * *"
                  jobTemplate:
                    spec:
                      template:
                        spec:
                          restartPolicy: Never
                """.formatted(name) + podSpec.indent(10);
    }

    /** The cluster's {@code server} URL and {@code apiServerCIDRs} (default: a host name, and none). */
    CheckFixture apiServer(String server, String... cidrs) {
        this.server = server;
        this.apiServerCIDRs = List.of(cidrs);
        return this;
    }

    CheckFixture kubeVersion(String version) {
        this.kubeVersion = version;
        return this;
    }

    /** An operator (by name, or an API group) the cluster lists in {@code operators}. */
    CheckFixture operator(String nameOrGroup) {
        operators.put(nameOrGroup, "1.0");
        return this;
    }

    /** A tenant with these namespaces (default: one named after it), Pod Security level restricted. */
    CheckFixture tenant(String name, String... namespaces) {
        tenants.put(name, new Tenant(name, namespaces.length == 0 ? List.of(name) : List.of(namespaces)));
        return this;
    }

    /** The tenant's {@code podSecurity}: privileged, baseline or restricted. */
    CheckFixture podSecurity(String tenant, String level) {
        tenantOf(tenant).podSecurity = level;
        return this;
    }

    /** An app of the tenant, in its first namespace. */
    CheckFixture app(String name, String tenant) {
        return app(name, tenant, tenantOf(tenant).namespaces.get(0));
    }

    /** An app of the tenant in one of its namespaces ({@code metadata.namespace} of the app). */
    CheckFixture app(String name, String tenant, String namespace) {
        tenantOf(tenant);
        apps.put(name, new App(name, tenant, namespace));
        return this;
    }

    /** A field of the tenant's spec (after the schema's defaults), such as {@code kafka}. */
    CheckFixture tenantSpec(String tenant, String field, Object value) {
        tenantOf(tenant).spec.put(field, value);
        return this;
    }

    /** A waiver of {@code check} in the app's spec, or else the tenant's of that name. */
    CheckFixture waiver(String appOrTenant, String check) {
        Waiver w = new Waiver(new Loc(ENV_DIR + (apps.containsKey(appOrTenant) ? "apps/" : "tenants/") + appOrTenant + ".yaml",
                waiverLine++, 7), check, "accepted in review");
        if (apps.containsKey(appOrTenant)) apps.get(appOrTenant).waivers.add(w);
        else tenantOf(appOrTenant).waivers.add(w);
        return this;
    }

    /** Names in the app's {@code spec.external} under {@code kind} (configMaps, secrets, persistentVolumeClaims, services). */
    CheckFixture external(String app, String kind, String... names) {
        appOf(app).external.computeIfAbsent(kind, k -> new ArrayList<>()).addAll(List.of(names));
        return this;
    }

    /** Objects (one or more YAML documents) the app renders. */
    CheckFixture objects(String app, String yaml) {
        appOf(app).objects.add(yaml);
        return this;
    }

    /** Objects (one or more YAML documents) the tenant's own unit renders (its quota, limits, policies). */
    CheckFixture tenantObjects(String tenant, String yaml) {
        tenantOf(tenant).objects.add(yaml);
        return this;
    }

    /** Objects of the cluster's {@code platform/} directory (admission policies, CRDs, cluster roles). */
    CheckFixture platformObjects(String yaml) {
        platformObjects.add(yaml);
        return this;
    }

    /** A CustomResourceDefinition of the platform's {@code spec.crds}, for the schema check of custom resources. */
    CheckFixture crd(String yaml) {
        crds.add(yaml);
        return this;
    }

    private Tenant tenantOf(String name) {
        Tenant t = tenants.get(name);
        if (t == null) fail("no tenant " + name + " in the fixture");
        return t;
    }

    private App appOf(String name) {
        App a = apps.get(name);
        if (a == null) fail("no app " + name + " in the fixture");
        return a;
    }

    // ---- the findings ----------------------------------------------------------------------

    /** A finding as printed: check, severity, object ("Kind/namespace/name" or "Kind/name"), field path, message and place. */
    record Finding(String check, Severity severity, String object, String path, String message, String loc) {
        @Override
        public String toString() {
            return loc + ": " + severity.name().toLowerCase(java.util.Locale.ROOT) + "[" + check + "] " + object
                    + (path.isEmpty() ? "" : " " + path) + ": " + message;
        }
    }

    /** What a test expects of one finding: severity, object, path and a fragment of the message. */
    record Expected(Severity severity, String object, String path, String fragment) {
        boolean matches(Finding f) {
            return f.severity() == severity && f.object().equals(object) && f.path().equals(path) && f.message().contains(fragment);
        }

        @Override
        public String toString() {
            return severity.name().toLowerCase(java.util.Locale.ROOT) + " " + object + (path.isEmpty() ? "" : " " + path)
                    + ": ..." + fragment + "...";
        }
    }

    static Expected error(String object, String path, String fragment) {
        return new Expected(Severity.ERROR, object, path, fragment);
    }

    static Expected warning(String object, String path, String fragment) {
        return new Expected(Severity.WARNING, object, path, fragment);
    }

    /**
     * The findings of one check, the quota usage the checks recorded ({@link QuotaUsage#describe}
     * lines) and what the checker reports about the specs itself (waivers of unknown, retired or
     * unwaivable checks), as "FILE:LINE:COL: message".
     */
    record Result(String check, List<Finding> findings, List<String> quotaUsage, List<String> specFindings) {
        /** The check found nothing. */
        Result none() {
            assertEquals(List.of(), findings, check + " should find nothing");
            return this;
        }

        /** The check found exactly these, in any order (each matching one finding). */
        Result exactly(Expected... expected) {
            List<Finding> left = new ArrayList<>(findings);
            List<Expected> missing = new ArrayList<>();
            for (Expected e : expected) {
                Finding match = left.stream().filter(e::matches).findFirst().orElse(null);
                if (match == null) missing.add(e);
                else left.remove(match);
            }
            if (!missing.isEmpty() || !left.isEmpty()) {
                fail(check + ": expected " + List.of(expected) + "\nmissing: " + missing + "\nunexpected: " + left
                        + "\nall findings:\n" + findings.stream().map(Finding::toString).collect(Collectors.joining("\n")));
            }
            return this;
        }

        /** The one finding, which must match {@code expected}. */
        Finding only(Expected expected) {
            exactly(expected);
            return findings.get(0);
        }
    }

    /** Runs the checker over the cluster and returns what check {@code checkId} found. */
    Result run(String checkId) {
        assertTrue(Checker.checkIds().contains(checkId), "no check " + checkId + " (checks: " + Checker.checkIds() + ")");
        CrdSchemas schemas = loadCrds();
        RenderedPlatform platform = new RenderedPlatform(Path.of("."), null, List.of(build(schemas.clusterScopedKinds())));
        ClusterCrds clusterCrds = new ClusterCrds(schemas, Map.of());

        Checker.Report whole = Checker.check(platform, clusterCrds, 1, Memo.NONE.findings(), Checker.ScopeMemo.NONE, o -> null);
        Memo memo = new Memo();
        Checker.Report byNamespace = Checker.check(platform, clusterCrds, 1, memo.findings(), memo, yamlDigests::get);
        Checker.keep(byNamespace.checked(), yamlDigests::get, memo);
        Checker.Report replayed = Checker.check(platform, clusterCrds, 1, memo.findings(), memo, yamlDigests::get);

        List<String> expected = lines(whole);
        assertEquals(expected, lines(byNamespace), "the checks run one namespace at a time find what they find over the whole cluster");
        assertFalse(memo.scopes.isEmpty(), "findings are kept per namespace");
        assertEquals(expected, lines(replayed), "findings replayed from the caches are those found");

        List<Finding> findings = new ArrayList<>();
        List<String> specFindings = new ArrayList<>();
        for (Diagnostic d : whole.findings().sorted()) {
            if (d.subject() == null) {
                specFindings.add(d.loc() + ": " + d.message());
                continue;
            }
            if (!checkId.equals(d.checkId())) continue;
            Diagnostic.Subject s = d.subject();
            String object = s.kind() + "/" + (s.namespace() == null ? "" : s.namespace() + "/") + s.name();
            findings.add(new Finding(d.checkId(), d.severity(), object, s.path() == null ? "" : s.path(), d.message(),
                    d.loc().toString()));
        }
        return new Result(checkId, findings, whole.quotaUsage().stream().map(QuotaUsage::describe).toList(), specFindings);
    }

    private static List<String> lines(Checker.Report report) {
        List<String> out = new ArrayList<>();
        report.findings().sorted().forEach(d -> out.add(d.format()));
        report.quotaUsage().forEach(u -> out.add(u.describe()));
        return out;
    }

    /** The render cache's two memos of findings, in memory. */
    private static final class Memo implements Checker.ScopeMemo {
        static final Memo NONE = new Memo();
        final Map<String, String> units = new HashMap<>();
        final Map<String, String> scopes = new HashMap<>();

        Checker.FindingsMemo findings() {
            return this == NONE ? new Checker.FindingsMemo((unit, key) -> null, (unit, key, f) -> { })
                    : new Checker.FindingsMemo((unit, key) -> units.get(unit + "\t" + key), (unit, key, f) -> units.put(unit + "\t" + key, f));
        }

        @Override
        public boolean enabled() {
            return this != NONE;
        }

        @Override
        public synchronized String kept(String cluster, String check, String scope, String key) {
            return scopes.get(cluster + "\t" + check + "\t" + scope + "\t" + key);
        }

        @Override
        public synchronized void keep(String cluster, String check, String scope, String key, String findings) {
            scopes.put(cluster + "\t" + check + "\t" + scope + "\t" + key, findings);
        }
    }

    // ---- building the cluster ----------------------------------------------------------------

    private CrdSchemas loadCrds() {
        if (crds.isEmpty()) return CrdSchemas.empty();
        try {
            Path dir = Files.createTempDirectory("plinth-check-crds");
            try {
                for (int i = 0; i < crds.size(); i++) {
                    Files.writeString(dir.resolve("crd-" + i + ".yaml"), crds.get(i), StandardCharsets.UTF_8);
                }
                Diagnostics diags = new Diagnostics();
                CrdSchemas schemas = CrdSchemas.load(dir, List.of(dir), diags);
                assertFalse(diags.hasErrors(), () -> "the fixture's CRDs: " + diags.sorted());
                return schemas;
            } finally {
                try (var files = Files.list(dir)) {
                    for (Path f : files.toList()) Files.delete(f);
                }
                Files.delete(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private RenderedCluster build(Set<String> clusterScopedCustomKinds) {
        Cluster cluster = new Cluster(new Loc(ENV_DIR + "environment.yaml", 5, 7), CLUSTER, "live", kubeVersion,
                server, apiServerCIDRs, Map.of(), operators, List.of(), null);
        List<TenantSpec> tenantSpecs = new ArrayList<>();
        Map<String, TenantSpec> byName = new HashMap<>();
        List<String> tenantNames = new ArrayList<>();
        Map<String, List<String>> appsByTenant = new TreeMap<>();
        Map<String, List<String>> namespacesByTenant = new TreeMap<>();
        List<RenderedObject> objects = new ArrayList<>();
        for (Tenant t : tenants.values()) {
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("namespaces", t.namespaces);
            spec.put("podSecurity", t.podSecurity);
            spec.putAll(t.spec);
            TenantSpec ts = new TenantSpec(new Loc(ENV_DIR + "tenants/" + t.name + ".yaml", 1, 1), t.name, t.namespaces, spec,
                    null, t.waivers);
            tenantSpecs.add(ts);
            byName.put(t.name, ts);
            tenantNames.add(t.name);
            appsByTenant.put(t.name, new ArrayList<>());
            namespacesByTenant.put(t.name, t.namespaces);
            objects.addAll(objects(ENV_DIR + "tenants/" + t.name + ".yaml", t.objects, RenderedObject.Area.TENANT, t.name, null,
                    t.namespaces.get(0), CLUSTER + "/" + t.name, clusterScopedCustomKinds));
        }
        List<PlacedApp> placed = new ArrayList<>();
        for (App a : apps.values()) {
            String file = ENV_DIR + "apps/" + a.name + ".yaml";
            AppSpec spec = new AppSpec(new Loc(file, 1, 1), a.name, a.tenant, new Loc(file, 3, 30), a.namespace, null, List.of(),
                    a.waivers, a.external, List.of());
            placed.add(new PlacedApp(spec, byName.get(a.tenant), a.namespace));
            appsByTenant.get(a.tenant).add(a.name);
            objects.addAll(objects(file, a.objects, RenderedObject.Area.APP, a.tenant, a.name, a.namespace,
                    CLUSTER + "/" + a.name + "/objs", clusterScopedCustomKinds));
        }
        objects.addAll(objects("platform.yaml", platformObjects, RenderedObject.Area.PLATFORM, null, null, null,
                CLUSTER + "/_platform", clusterScopedCustomKinds));
        return new RenderedCluster(cluster, tenantNames, appsByTenant, namespacesByTenant, objects,
                new ClusterPlan(cluster, tenantSpecs, placed, Map.of(), Map.of()));
    }

    /** The objects of one unit, read from its YAML texts joined into one file. */
    @SuppressWarnings("unchecked")
    private List<RenderedObject> objects(String file, List<String> texts, RenderedObject.Area area, String tenant,
                                                String app, String namespace, String unit, Set<String> clusterScopedCustomKinds) {
        if (texts.isEmpty()) return List.of();
        String text = texts.stream().map(t -> t.endsWith("\n") ? t : t + "\n").collect(Collectors.joining("---\n"));
        Diagnostics diags = new Diagnostics();
        List<PNode> docs = YamlReader.readAll(file, text, diags);
        assertFalse(diags.hasErrors(), () -> "the fixture's objects in " + file + ": " + diags.sorted());
        List<RenderedObject> out = new ArrayList<>();
        for (PNode doc : docs) {
            Map<String, Object> body = (Map<String, Object>) doc.toPlain();
            Object meta = body.computeIfAbsent("metadata", k -> new LinkedHashMap<String, Object>());
            String apiVersion = String.valueOf(body.get("apiVersion"));
            String kind = String.valueOf(body.get("kind"));
            String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
            boolean clusterScoped = Renderer.isClusterScoped(apiVersion, kind) || clusterScopedCustomKinds.contains(group + "/" + kind);
            if (meta instanceof Map<?, ?> m && !m.containsKey("namespace") && !clusterScoped && namespace != null) {
                ((Map<String, Object>) m).put("namespace", namespace);
            }
            String yaml = YamlWriter.writeObject(body);
            String digest = yaml.length() + ":" + dev.plinth.values.Strings.checksum(yaml.getBytes(StandardCharsets.UTF_8));
            RenderedObject o = new RenderedObject(CLUSTER, area, tenant, app, app == null ? null : "objs", body, doc.loc(), doc, unit);
            yamlDigests.put(o, digest);
            out.add(o);
        }
        return out;
    }
}
