package dev.plinth.render;

import dev.plinth.definitions.JsonnetEngine;
import dev.plinth.diag.Diagnostics;
import dev.plinth.diag.Loc;
import dev.plinth.render.RenderedObject.Area;
import dev.plinth.render.RenderedPlatform.RenderedCluster;
import dev.plinth.resolve.ResolvedPlatform;
import dev.plinth.resolve.ResolvedPlatform.ClusterPlan;
import dev.plinth.resolve.ResolvedPlatform.Link;
import dev.plinth.resolve.ResolvedPlatform.Links;
import dev.plinth.resolve.ResolvedPlatform.PlacedApp;
import dev.plinth.schema.SchemaChecker;
import dev.plinth.spec.Specs.Cluster;
import dev.plinth.spec.Specs.ComponentSpec;
import dev.plinth.spec.Specs.TenantSpec;
import dev.plinth.spec.Specs.TraitSpec;
import dev.plinth.spec.Specs.Use;
import dev.plinth.values.JsonValues;
import dev.plinth.yaml.PNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Supplier;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import dev.plinth.spec.SpecLoader;
import dev.plinth.values.SmallMap;
import dev.plinth.yaml.YamlReader;
import java.util.SortedMap;
import java.util.regex.Pattern;

/**
 * Renders one unit: a tenant on a cluster, or a component of an app on a cluster. For a
 * component it checks the properties against the definition's schema (filling defaults), checks
 * its traits (known, not twice, no conflicts, applicable), evaluates component and traits in one
 * Jsonnet program, then stamps Plinth's labels and the namespace on what came out. Tenants render
 * through the library's {@code platform/tenant.libsonnet}. Each unit has its own diagnostics, so
 * units can render in parallel.
 */
final class UnitRenderer {
    private static final Pattern KIND = Pattern.compile("[A-Z][A-Za-z0-9]{0,62}");
    private static final Pattern API_VERSION = Pattern.compile(
            "([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?v[0-9]+((alpha|beta)[0-9]+)?");
    private static final String MANAGED_BY = Renderer.MANAGED_BY;
    private static final String TENANT_LABEL = Renderer.TENANT_LABEL;
    private static final String APP_LABEL = Renderer.APP_LABEL;
    private static final String COMPONENT_LABEL = Renderer.COMPONENT_LABEL;

    private final ResolvedPlatform resolved;
    private final Definitions definitions;
    private final JsonnetEngine engine;
    private final Diagnostics diags = new Diagnostics();
    private final HelmCharts helm;
    private final UnitMemo cache;
    /** The unit being rendered (one UnitRenderer renders one unit). */
    private String unitId;
    /** How a driver reads its unit's data. */
    private static final String UNIT = "std.parseJson(importstr \"" + JsonnetEngine.UNIT_DATA + "\")";

    private final Renderer.ClusterScopedKinds scopes;
    /** Whether a unit the cache misses is put off (see {@link Deferred}) while every engine lane is busy. */
    private final boolean deferWhenLanesBusy;

    /**
     * Thrown out of a render when the unit must be evaluated but every lane of the engine is
     * busy and putting it off was asked for: the unit is rendered again later, from the start.
     */
    static final class Deferred extends RuntimeException {
        static final Deferred INSTANCE = new Deferred();

        private Deferred() {
            super("put off until an engine lane is free", null, false, false);
        }
    }
    /** When set, every unit's driver program by unit id (for the benchmark's plain-Jsonnet render). */
    static volatile Map<String, String> programs;

    /** Files and chart folders this render read outside the spec files (for the no-op fingerprint); may be null. */
    private final Set<Path> readFiles;

    UnitRenderer(ResolvedPlatform resolved, Definitions definitions, JsonnetEngine engine, HelmCharts helm, UnitMemo cache,
                 Renderer.ClusterScopedKinds scopes, boolean deferWhenLanesBusy, Set<Path> readFiles) {
        this.readFiles = readFiles;
        this.scopes = scopes;
        this.deferWhenLanesBusy = deferWhenLanesBusy;
        this.resolved = resolved;
        this.cache = cache;
        this.definitions = definitions;
        this.engine = engine;
        this.helm = helm;
    }

    Diagnostics diagnostics() {
        return diags;
    }

    // ---- tenants ---------------------------------------------------------------------------

    List<RenderedObject> renderTenant(Cluster cluster, TenantSpec t) {
        Optional<String> def = definitions.library().find("platform", "tenant");
        if (def.isEmpty()) throw new IllegalStateException("the built-in library has no platform/tenant.libsonnet");
        Map<String, Object> tenant = new LinkedHashMap<>(t.spec());
        tenant.put("name", t.name());
        Map<String, Object> ctx = new LinkedHashMap<>();
        ctx.put("tenant", tenant);
        ctx.put("cluster", clusterCtx(cluster));
        ctx.put("environment", cluster.environment());
        ctx.put("platform", resolved.platform().settings());
        String driver = "(import " + Definitions.jsonString(def.get()) + ").render(" + UNIT + ")";
        unitId = cluster.name() + "/" + t.name();
        Object result;
        try {
            result = evaluate(unitId, driver, JsonValues.write(ctx), 0, 1);
        } catch (JsonnetEngine.EvaluationError e) {
            // the definition's own message about a value (spec.<path>: ...) goes to the value's line
            String msg = e.getMessage().replaceFirst("^Assertion failed: ", "");
            Loc at = msg.startsWith("spec.") && msg.indexOf(": ") > 0
                    ? locateProperty(t.node(), "." + msg.substring(0, msg.indexOf(": "))) : null;
            diags.error(at != null ? at : t.loc(), "tenant '" + t.name() + "': " + (at != null ? msg : e.describe()));
            return List.of();
        }
        List<Area> areas = List.of(Area.TENANT, Area.PLATFORM); // sources 0 and 1
        List<RenderedObject> out = new ArrayList<>();
        if (result instanceof UnitMemo.KeptObjects kept) {
            Supplier<List<RenderedObject>> again = again(() -> renderer().renderTenant(cluster, t));
            for (UnitMemo.KeptObject k : kept.objects()) {
                out.add(RenderedObject.lazy(cluster.name(), areas.get(k.source()), t.name(), null, null, k.identity(),
                        bodyOrAgain(k, again), t.loc(), t.node(), unitId));
            }
            return out;
        }
        Map<?, ?> parts = result instanceof Map<?, ?> m ? m : Map.of();
        List<Integer> sources = new ArrayList<>();
        for (Area area : areas) {
            Object list = parts.get(area == Area.TENANT ? "tenant" : "platform");
            for (Map<String, Object> body : objectList(list, t.loc(), "tenant definition")) {
                Map<String, String> labels = new LinkedHashMap<>();
                labels.put(MANAGED_BY, "plinth");
                labels.put(TENANT_LABEL, t.name());
                stamp(body, labels, null);
                out.add(new RenderedObject(cluster.name(), area, t.name(), null, null, body, t.loc(), t.node(), unitId));
                sources.add(areas.indexOf(area));
            }
        }
        keep(result, out, sources);
        return out;
    }

    // ---- components ------------------------------------------------------------------------

    List<RenderedObject> renderComponent(ClusterPlan plan, PlacedApp placed, ComponentSpec c) {
        Cluster cluster = plan.cluster();
        Links links = plan.links(placed.app().name(), c.name());
        String where = "component '" + c.name() + "'";
        Definition def = definition("components", c.type(), c.typeLoc(), "component type");
        if (def == null) return List.of();
        long errorsBefore = diags.errorCount();
        SchemaChecker checker = new SchemaChecker(diags, files);
        PNode propsNode = c.properties() == null ? new PNode.PMap(c.loc(), Map.of(), Map.of()) : c.properties();
        manifestDocuments.clear();
        Map<String, Object> props = checker.checkObject(propsNode, def.parameters(), "properties");
        PNode componentOrigin = withManifests(c.properties(), c.loc());

        List<Definition> traitDefs = new ArrayList<>();
        List<Map<String, Object>> traitProps = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (TraitSpec t : c.traits()) {
            if (!seen.add(t.type())) {
                diags.error(t.typeLoc(), "trait '" + t.type() + "' is attached twice to " + where);
                continue;
            }
            Definition td = definition("traits", t.type(), t.typeLoc(), "trait type");
            if (td == null) continue;
            PNode tp = t.properties() == null ? new PNode.PMap(t.loc(), Map.of(), Map.of()) : t.properties();
            traitDefs.add(td);
            traitProps.add(checker.checkObject(tp, td.parameters(), "traits[" + t.type() + "].properties"));
        }
        for (TraitSpec t : c.traits()) {
            for (Definition td : traitDefs) {
                if (!td.type().equals(t.type())) continue;
                for (String other : td.conflictsWith()) {
                    if (seen.contains(other)) {
                        diags.error(t.typeLoc(), "trait '" + t.type() + "' conflicts with trait '" + other + "' on " + where);
                    }
                }
            }
        }
        if (diags.errorCount() > errorsBefore) return List.of();
        if ("helm".equals(def.host()) && !renderChart(cluster, placed, c, propsNode, props)) return List.of();

        Map<String, Object> ctx = componentCtx(cluster, placed, c);
        List<Map<String, Object>> uses = new ArrayList<>();
        List<String> usesDefs = new ArrayList<>();
        for (Link l : links.out()) peer(plan, l, l.target(), l.targetComponent(), true, uses, usesDefs);
        List<Map<String, Object>> usedBy = new ArrayList<>();
        List<String> usedByDefs = new ArrayList<>();
        for (Link l : links.in()) peer(plan, l, l.source(), l.sourceComponent(), false, usedBy, usedByDefs);
        if (diags.errorCount() > errorsBefore) return List.of();
        ctx.put("uses", uses);
        ctx.put("usedBy", usedBy);
        // the driver names definitions only; what differs between units is the data it reads
        StringBuilder driver = new StringBuilder();
        driver.append("local compose = import ").append(Definitions.jsonString(
                definitions.library().find("platform", "compose").orElseThrow())).append(";\n");
        driver.append("local unit = ").append(UNIT).append(";\n");
        String unitCtx = "unit.ctx";
        if (!uses.isEmpty() || !usedBy.isEmpty()) {
            // the pods at the other end of a use, selected as that component's type selects them
            driver.append("local peer(def, p) = p { podSelector: if std.objectHasAll(def, 'podSelector') then def.podSelector(p.ctx, p.props) else p.ctx.selector };\n");
            unitCtx = "unit.ctx { uses: " + peers("uses", usesDefs) + ", usedBy: " + peers("usedBy", usedByDefs) + " }";
        }
        driver.append("compose.component(import ").append(Definitions.jsonString(def.path())).append(", ")
                .append(unitCtx).append(", unit.props, [\n");
        List<Map<String, Object>> traitData = new ArrayList<>();
        for (int i = 0; i < traitDefs.size(); i++) {
            driver.append("  {type: ").append(Definitions.jsonString(traitDefs.get(i).type()))
                    .append(", def: import ").append(Definitions.jsonString(traitDefs.get(i).path()))
                    .append(", appliesTo: unit.traits[").append(i).append("].appliesTo, props: unit.traits[")
                    .append(i).append("].props},\n");
            Map<String, Object> td = new LinkedHashMap<>();
            td.put("appliesTo", traitDefs.get(i).appliesTo());
            td.put("props", traitProps.get(i));
            traitData.add(td);
        }
        driver.append("])\n");
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("ctx", ctx);
        data.put("props", props);
        data.put("traits", traitData);

        unitId = cluster.name() + "/" + placed.app().name() + "/" + c.name();
        Object result;
        try {
            result = evaluate(unitId, driver.toString(), JsonValues.write(data), -1, traitDefs.size() - 1);
        } catch (JsonnetEngine.EvaluationError e) {
            Loc at = c.loc();
            String what = where + " (type " + c.type() + ")";
            PNode origin = c.properties();
            for (int i = 0; i < traitDefs.size(); i++) {
                if (traitDefs.get(i).display().equals(e.file())) {
                    String traitType = traitDefs.get(i).type();
                    TraitSpec ts = c.traits().stream().filter(t -> t.type().equals(traitType)).findFirst().orElse(null);
                    at = traitLoc(c, traitDefs.get(i).type());
                    what = "trait '" + traitDefs.get(i).type() + "' of " + where;
                    origin = ts == null ? null : ts.properties();
                }
            }
            reportEvaluationError(e, at, what, origin, cluster);
            return List.of();
        }
        if (result instanceof UnitMemo.KeptObjects kept) {
            List<RenderedObject> out = new ArrayList<>();
            Supplier<List<RenderedObject>> again = again(() -> renderer().renderComponent(plan, placed, c));
            for (UnitMemo.KeptObject k : kept.objects()) {
                TraitSpec ts = k.source() < 0 ? null : traitSpec(c, traitDefs.get(k.source()).type());
                out.add(RenderedObject.lazy(cluster.name(), Area.APP, placed.tenant().name(), placed.app().name(), c.name(),
                        k.identity(), bodyOrAgain(k, again), ts == null ? c.loc() : ts.loc(),
                        ts == null ? componentOrigin : ts.properties(), unitId));
            }
            return out;
        }
        Map<?, ?> parts = (Map<?, ?>) result;
        List<String> kinds = new ArrayList<>();
        if (parts.get("kinds") instanceof List<?> l) for (Object k : l) kinds.add(String.valueOf(k));
        List<String> inapplicable = new ArrayList<>();
        if (parts.get("inapplicable") instanceof List<?> l) for (Object t : l) inapplicable.add(String.valueOf(t));
        for (Definition td : traitDefs) {
            if (inapplicable.contains(td.type())) {
                diags.error(traitLoc(c, td.type()), "trait '" + td.type() + "' applies to "
                        + String.join(", ", td.appliesTo()) + "; " + where + " (type " + c.type() + ") renders "
                        + (kinds.isEmpty() ? "nothing" : String.join(", ", kinds)));
            }
        }
        if (diags.errorCount() > errorsBefore) return List.of();

        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(MANAGED_BY, "plinth");
        labels.put(TENANT_LABEL, placed.tenant().name());
        labels.put(APP_LABEL, placed.app().name());
        labels.put(COMPONENT_LABEL, c.name());
        List<RenderedObject> out = new ArrayList<>();
        List<Integer> sources = new ArrayList<>();
        addObjects(out, sources, -1, parts.get("component"), c.loc(), componentOrigin, "component type " + c.type(), cluster, placed, c, labels);
        List<?> traitLists = parts.get("traits") instanceof List<?> l ? l : List.of();
        for (int i = 0; i < traitLists.size() && i < traitDefs.size(); i++) {
            String type = traitDefs.get(i).type();
            TraitSpec ts = traitSpec(c, type);
            addObjects(out, sources, i, traitLists.get(i), ts.loc(), ts.properties(), "trait " + type, cluster, placed, c, labels);
        }
        keep(result, out, sources);
        return out;
    }

    /**
     * The documents of the manifests files ({@code yaml-file} properties) the component's
     * properties named, as read for this render (cached or not, the files are read each time):
     * findings about values that come from a file are placed at the file's line.
     */
    private final List<PNode> manifestDocuments = new ArrayList<>();

    /** The component's properties, followed by the manifests files they named (searched in that order). */
    private PNode withManifests(PNode properties, Loc at) {
        if (manifestDocuments.isEmpty()) return properties;
        List<PNode> all = new ArrayList<>();
        if (properties != null) all.add(properties);
        all.addAll(manifestDocuments);
        return new PNode.PList(at, List.copyOf(all));
    }

    /** A renderer like this one but without the cache, for rendering a unit again. */
    private UnitRenderer renderer() {
        return new UnitRenderer(resolved, definitions, engine, helm, UnitMemo.NONE, scopes, false, null);
    }

    /** The unit's objects rendered again without the cache, once, when a kept body turns out unreadable. */
    private static Supplier<List<RenderedObject>> again(Supplier<List<RenderedObject>> render) {
        return new Supplier<>() {
            private List<RenderedObject> objects;

            @Override
            public synchronized List<RenderedObject> get() {
                if (objects == null) objects = render.get();
                return objects;
            }
        };
    }

    /**
     * A kept object's body, read from the cache when asked for; when it cannot be read, the unit
     * is rendered again and the body taken from there (the same program renders the same
     * objects), and the cache forgets the unit: a miss, found late.
     */
    private Supplier<Map<String, Object>> bodyOrAgain(UnitMemo.KeptObject k, Supplier<List<RenderedObject>> again) {
        String unit = unitId;
        return () -> {
            try {
                return k.body().get();
            } catch (UnitMemo.Unreadable e) {
                cache.forget(unit);
                for (RenderedObject o : again.get()) if (o.identity().equals(k.identity())) return o.body();
                throw new IllegalStateException("unit " + unit + " rendered again has no " + k.identity() + ": " + e.getMessage(), e);
            }
        };
    }

    private static TraitSpec traitSpec(ComponentSpec c, String type) {
        return c.traits().stream().filter(t -> t.type().equals(type)).findFirst().orElseThrow();
    }

    /**
     * @param source which part of the result the objects come from (-1 for the component, else
     *               the index of the trait), kept with them in the cache
     */
    private void addObjects(List<RenderedObject> out, List<Integer> sources, int source, Object list, Loc at, PNode origin,
                            String producer, Cluster cluster, PlacedApp placed, ComponentSpec c, Map<String, String> labels) {
        for (Map<String, Object> body : objectList(list, at, producer)) {
            stamp(body, labels, placed.namespace());
            out.add(new RenderedObject(cluster.name(), Area.APP, placed.tenant().name(), placed.app().name(), c.name(),
                    body, at, origin, unitId));
            sources.add(source);
        }
    }

    /**
     * Stores an evaluated unit in the cache: as its objects when its render reported nothing
     * (a later render then reads only the bodies it needs), else as its result, which a later
     * render checks again to report the same.
     */
    private void keep(Object result, List<RenderedObject> objects, List<Integer> sources) {
        if (evaluated == null) return; // a cache hit
        if (diags.errorCount() + diags.warningCount() > evaluated.diagnosticsBefore()) {
            cache.store(unitId, evaluated.key(), evaluated.imports(), result);
            return;
        }
        List<UnitMemo.KeptObject> kept = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            RenderedObject o = objects.get(i);
            Map<String, Object> body = o.body();
            kept.add(new UnitMemo.KeptObject(sources.get(i), o.identity(), () -> body));
        }
        if (!cache.storeObjects(unitId, evaluated.key(), evaluated.imports(), kept)) {
            cache.store(unitId, evaluated.key(), evaluated.imports(), result);
        }
    }

    /**
     * Evaluates a unit's program, or reuses the previous render's result when the program and
     * every library file it imported are unchanged. Failed evaluations are never cached.
     */
    private Object evaluate(String unit, String driver, String data, int firstSource, int lastSource) throws JsonnetEngine.EvaluationError {
        if (programs != null) programs.put(unit, driver.replace(UNIT, data)); // JSON is Jsonnet: one self-contained program
        // the exact program as the key (a driver is named by its hash; the data is JSON on one
        // line): no hashing of 8 MB of programs per render, and no collision to fear
        String head = engine.driverId(driver) + scopes.cacheKey() + " ";
        Object cached = cache.lookup(unit, head, data, engine.library()::hash);
        if (cached instanceof UnitMemo.KeptObjects kept
                && kept.objects().stream().anyMatch(k -> k.source() < firstSource || k.source() > lastSource)) {
            cache.forget(unit); // objects of parts the result does not have: a miss
            cached = null;
        }
        if (cached != null) return cached;
        JsonnetEngine.Tracked tracked = deferWhenLanesBusy ? engine.evaluateTrackedIfLaneFree(driver, data)
                : engine.evaluateTracked(driver, data);
        if (tracked == null) throw Deferred.INSTANCE;
        SortedMap<String, String> imports = new TreeMap<>();
        for (String path : tracked.imports()) imports.put(path, engine.library().hash(path));
        evaluated = new Evaluated(head + data, imports, diags.errorCount() + diags.warningCount());
        return tracked.value(); // stored by keep(), once it is known whether its render reports anything
    }

    /** What the cache needs to keep a unit this renderer evaluated. */
    private record Evaluated(String key, SortedMap<String, String> imports, long diagnosticsBefore) {
    }

    /** Set when the unit was evaluated rather than found in the cache. */
    private Evaluated evaluated;

    /** Runs Helm on the chart a {@code host: 'helm'} type names; false after reporting an error. */
    private boolean renderChart(Cluster cluster, PlacedApp placed, ComponentSpec c, PNode propsNode, Map<String, Object> props) {
        PNode chartNode = propsNode instanceof PNode.PMap m ? m.get("chart") : null;
        Loc at = chartNode != null ? chartNode.loc() : c.loc();
        Path root = resolved.root().toAbsolutePath().normalize();
        ChartSource source;
        try {
            source = ChartSource.of(props);
        } catch (ChartSource.Invalid e) {
            diags.error(at, "component '" + c.name() + "': " + e.getMessage());
            return false;
        }
        Path chart;
        if (source.remote()) {
            // never the network: the archive plinth vendor put into vendor/charts/, checked against plinth.lock
            if (readFiles != null) readFiles.add(root.resolve(ChartLock.FILE));
            Object vendored = helm.vendored(source, root);
            if (!(vendored instanceof Path p)) {
                diags.error(at, "component '" + c.name() + "': " + vendored);
                return false;
            }
            chart = p;
        } else {
            chart = root.resolve(at.file()).getParent().resolve(source.local()).normalize();
            try {
                if (!chart.startsWith(root) || !Files.isDirectory(chart) || !chart.toRealPath().startsWith(root.toRealPath())) {
                    diags.error(at, "chart '" + props.get("chart") + "' is not a directory inside the platform root");
                    return false;
                }
            } catch (IOException e) {
                diags.error(at, "chart '" + props.get("chart") + "': " + e.getMessage());
                return false;
            }
        }
        if (readFiles != null) readFiles.add(chart);
        // functions the component allows by name (allowNonDeterministic; the schema checked the names)
        List<?> allowed = props.get("allowNonDeterministic") instanceof List<?> l ? l : List.of();
        boolean refused = false;
        for (ChartInspection.Problem p : helm.inspect(chart, root)) {
            if (p.function() != null && allowed.contains(p.function())) continue;
            refused = true;
            diags.error(at, "chart " + source.describe() + " of component '" + c.name() + "' is refused: " + p.text()
                    + (p.function() == null ? "" : ChartInspection.NEVER_ALLOWED.contains(p.function())
                    ? " (" + p.function() + " cannot be allowed: Helm would ask a cluster)"
                    : " (allowNonDeterministic: [" + p.function() + "] accepts that)"));
        }
        if (refused) return false;
        @SuppressWarnings("unchecked")
        Map<String, Object> values = props.get("values") instanceof Map<?, ?> v ? (Map<String, Object>) v : Map.of();
        String release = props.get("releaseName") instanceof String r ? r : c.name();
        try {
            props.put("manifests", helm.template(chart, release, placed.namespace(), cluster.kubeVersion(), values));
            return true;
        } catch (HelmCharts.ChartError e) {
            diags.error(at, "component '" + c.name() + "' (type " + c.type() + "): helm template failed: " + e.getMessage());
            return false;
        }
    }

    /**
     * A definition's own validation message that starts with {@code properties.<path>: } is
     * reported at that property's line (the user's mistake, not the definition's); one that
     * starts with {@code operators.<name>: } at the cluster. Anything else is a failure inside
     * the definition and names its file and line.
     */
    private void reportEvaluationError(JsonnetEngine.EvaluationError e, Loc at, String what, PNode origin, Cluster cluster) {
        String msg = e.getMessage().replaceFirst("^Assertion failed: ", "");
        if (msg.startsWith("properties") && msg.indexOf(": ") > 0) {
            String path = msg.substring(0, msg.indexOf(": "));
            Loc prop = locateProperty(origin, path.substring("properties".length()));
            diags.error(prop != null ? prop : at, what + ": " + msg);
        } else if (msg.startsWith("operators.") && msg.indexOf(": ") > 0) {
            diags.error(cluster.loc(), what + " on cluster " + cluster.name() + ": " + msg);
        } else {
            diags.error(at, what + ": " + e.describe());
        }
    }

    /** The node at a path like {@code .storage.size} or {@code .config.retention.ms} (keys may hold dots). */
    private static Loc locateProperty(PNode node, String path) {
        if (node == null) return null;
        Loc found = node.loc();
        String rest = path;
        while (!rest.isEmpty()) {
            if (node instanceof PNode.PMap m && rest.startsWith(".")) {
                String r = rest.substring(1);
                String best = null;
                for (String k : m.entries().keySet()) {
                    if ((r.equals(k) || r.startsWith(k + ".") || r.startsWith(k + "[")) && (best == null || k.length() > best.length())) best = k;
                }
                if (best == null) return found;
                node = m.get(best);
                found = node.loc();
                rest = r.substring(best.length());
            } else if (node instanceof PNode.PList l && rest.startsWith("[") && rest.indexOf(']') > 0) {
                int i = Integer.parseInt(rest.substring(1, rest.indexOf(']')));
                if (i >= l.items().size()) return found;
                node = l.items().get(i);
                found = node.loc();
                rest = rest.substring(rest.indexOf(']') + 1);
            } else {
                return found;
            }
        }
        return found;
    }

    private static Loc traitLoc(ComponentSpec c, String type) {
        return c.traits().stream().filter(t -> t.type().equals(type)).map(TraitSpec::loc).findFirst().orElse(c.loc());
    }

    private Definition definition(String kind, String type, Loc at, String what) {
        try {
            Optional<Definition> d = definitions.find(kind, type);
            if (d.isEmpty()) {
                diags.error(at, "unknown " + what + " '" + type + "' (known: "
                        + String.join(", ", definitions.library().typeNames(kind)) + ")");
                return null;
            }
            return d.get();
        } catch (Definitions.BrokenDefinition e) {
            diags.error(at, what + " '" + type + "' is broken: " + e.getMessage());
            return null;
        }
    }

    /**
     * The other end of a use, for ctx.uses (the target, {@code outgoing}) or ctx.usedBy (the
     * source): its names, its namespace, the ports of the use and what its definition needs to
     * select its pods; the definition's path goes to {@code defs}. The ports are the use's, or
     * those the target's type listens on; a use of a type that listens on none must name one.
     */
    private void peer(ClusterPlan plan, Link link, PlacedApp peer, ComponentSpec component, boolean outgoing,
                      List<Map<String, Object>> out, List<String> defs) {
        Optional<Definition> peerDef;
        try {
            peerDef = definitions.find("components", component.type());
        } catch (Definitions.BrokenDefinition e) {
            peerDef = Optional.empty();
        }
        if (peerDef.isEmpty()) return; // reported by that component's unit
        Use use = link.use();
        if (outgoing && use.access() != null && !"kafka-topic".equals(component.type())) {
            diags.error(use.loc(), "uses component '" + component.name() + "' of app '" + peer.app().name() + "' with access "
                    + use.access() + ", which only a use of a kafka-topic has (type " + component.type() + ")");
            return;
        }
        List<Map<String, Object>> ports = new ArrayList<>();
        if (use.port() != null) {
            Map<String, Object> port = new LinkedHashMap<>();
            port.put("port", use.port().matches("[0-9]+") ? (Object) Long.parseLong(use.port()) : use.port());
            port.put("protocol", use.protocol());
            ports.add(port);
        } else {
            Definition target = outgoing ? peerDef.get() : definitionQuietly(link.targetComponent().type());
            if (target != null) ports.addAll(target.listens());
            if (ports.isEmpty()) {
                if (outgoing) {
                    diags.error(use.loc(), "uses component '" + component.name() + "' of app '" + peer.app().name()
                            + "' without a port, and type '" + component.type() + "' listens on none by default: give the use a port");
                }
                return;
            }
        }
        if (outgoing && link.permittedPorts() != null) {
            // across tenants, every port must be one the source tenant's allowTo lists
            for (Map<String, Object> port : ports) {
                if (!link.permittedPorts().contains(String.valueOf(port.get("port")))) {
                    boolean named = !(port.get("port") instanceof Number);
                    diags.error(use.loc(), "uses component '" + component.name() + "' of app '" + peer.app().name()
                            + "' on port " + port.get("port") + ", but tenant '" + link.source().tenant().name()
                            + "' lets its pods out to namespace '" + peer.namespace() + "' only on ports "
                            + String.join(", ", link.permittedPorts()) + " (network.allowTo)"
                            + (named ? "; a named port cannot be matched against those numbers: give the use the port's number (port: N)" : ""));
                    return;
                }
            }
        }
        Map<String, Object> peerCtx = new LinkedHashMap<>();
        peerCtx.put("name", component.name());
        peerCtx.put("app", peer.app().name());
        peerCtx.put("namespace", peer.namespace());
        peerCtx.put("tenant", peer.tenant().name());
        peerCtx.put("selector", selector(peer.app().name(), component.name()));
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("app", peer.app().name());
        p.put("component", component.name());
        p.put("type", component.type());
        p.put("namespace", peer.namespace());
        p.put("tenant", peer.tenant().name());
        p.put("ports", ports);
        if (use.access() != null) p.put("access", use.access());
        p.put("ctx", peerCtx);
        Object props = component.properties() == null ? Map.of() : component.properties().toPlain();
        p.put("props", props);
        // the components it stands for (a topic's Kafka cluster), as far as this namespace has them
        Map<String, Object> refers = new LinkedHashMap<>();
        for (String property : peerDef.get().refers()) {
            Object name = props instanceof Map<?, ?> m ? m.get(property) : null;
            ComponentSpec referred = name == null ? null : componentIn(plan, peer.namespace(), String.valueOf(name));
            if (referred == null) continue;
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("name", referred.name());
            r.put("type", referred.type());
            r.put("props", referred.properties() == null ? Map.of() : referred.properties().toPlain());
            refers.put(property, r);
        }
        if (!refers.isEmpty()) p.put("refers", refers);
        out.add(p);
        defs.add(peerDef.get().path());
    }

    /** The component of that name among the apps placed in the namespace on the cluster, or null. */
    private static ComponentSpec componentIn(ClusterPlan plan, String namespace, String name) {
        for (PlacedApp a : plan.apps()) {
            if (!a.namespace().equals(namespace)) continue;
            for (ComponentSpec c : a.app().components()) if (c.name().equals(name)) return c;
        }
        return null;
    }

    private Definition definitionQuietly(String type) {
        try {
            return definitions.find("components", type).orElse(null);
        } catch (Definitions.BrokenDefinition e) {
            return null;
        }
    }

    /** {@code [peer(import "def0", unit.ctx.uses[0]), ...]}: each peer with its pod selector. */
    private static String peers(String field, List<String> defs) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < defs.size(); i++) {
            if (i > 0) sb.append(", ");
            sb.append("peer(import ").append(Definitions.jsonString(defs.get(i))).append(", unit.ctx.").append(field)
                    .append('[').append(i).append("])");
        }
        return sb.append(']').toString();
    }

    /** The labels that select a plain workload component's pods. */
    private static Map<String, Object> selector(String app, String component) {
        Map<String, Object> selector = new LinkedHashMap<>();
        selector.put("app.kubernetes.io/name", component);
        selector.put("app.kubernetes.io/instance", app + "-" + component);
        return selector;
    }

    private Map<String, Object> componentCtx(Cluster cluster, PlacedApp placed, ComponentSpec c) {
        String app = placed.app().name();
        Map<String, Object> selector = selector(app, c.name());
        Map<String, Object> labels = new LinkedHashMap<>(selector);
        labels.put("app.kubernetes.io/part-of", app);
        labels.put(MANAGED_BY, "plinth");
        labels.put(TENANT_LABEL, placed.tenant().name());
        labels.put(APP_LABEL, app);
        labels.put(COMPONENT_LABEL, c.name());
        Map<String, Object> ctx = new LinkedHashMap<>();
        ctx.put("name", c.name());
        ctx.put("app", app);
        ctx.put("tenant", placed.tenant().name());
        // the tenant's Volcano queue, or null when it has none
        ctx.put("tenantQueue", placed.tenant().spec().get("queue") != null ? placed.tenant().name() : null);
        // the tenant's LimitRange settings, so definitions can refuse pods it would reject
        ctx.put("tenantLimits", placed.tenant().spec().getOrDefault("limits", Map.of()));
        ctx.put("namespace", placed.namespace());
        // whether the tenant's namespaces deny by default: only then do uses need rules here
        ctx.put("isolated", placed.tenant().isolated());
        ctx.put("environment", cluster.environment());
        // ordered maps only: the context is part of the unit's cache key
        Map<String, Object> component = new LinkedHashMap<>();
        component.put("name", c.name());
        component.put("type", c.type());
        component.put("objects", List.of());
        ctx.put("component", component);
        ctx.put("cluster", clusterCtx(cluster));
        ctx.put("platform", resolved.platform().settings());
        ctx.put("labels", labels);
        ctx.put("selector", selector);
        return ctx;
    }

    private static Map<String, Object> clusterCtx(Cluster cluster) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", cluster.name());
        m.put("kubeVersion", cluster.kubeVersion());
        m.put("apiServerCIDRs", cluster.apiServerCIDRs());
        m.put("apiServerPorts", cluster.apiServerPorts());
        m.put("labels", cluster.labels());
        m.put("operators", cluster.operators());
        return m;
    }

    /** The objects of a definition's result, reporting anything that is not an object. */
    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> objectList(Object list, Loc at, String producer) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (list == null) return out;
        if (!(list instanceof List<?> l)) {
            diags.error(at, producer + " returned " + PNode.typeNameOf(list) + " where a list of objects was expected");
            return out;
        }
        for (Object o : l) {
            if (!(o instanceof Map<?, ?> m)) {
                diags.error(at, producer + " rendered a " + PNode.typeNameOf(o) + " where an object was expected");
                continue;
            }
            Map<String, Object> body = (Map<String, Object>) m;
            Object meta = body.get("metadata");
            if (!(body.get("apiVersion") instanceof String av) || !(body.get("kind") instanceof String kind)
                    || !(meta instanceof Map<?, ?> mm) || !(mm.get("name") instanceof String)) {
                diags.error(at, producer + " rendered an object without apiVersion, kind and metadata.name: "
                        + abbreviate(JsonValues.write(body)));
                continue;
            }
            // the kind and name become file names: nothing but what Kubernetes allows gets through
            if (!KIND.matcher(kind).matches() || !API_VERSION.matcher(av).matches()) {
                diags.error(at, producer + " rendered an object with an invalid apiVersion '" + av + "' or kind '" + kind + "'");
                continue;
            }
            out.add(body);
        }
        return out;
    }

    /**
     * Adds Plinth's labels and, for namespaced kinds without one (or with a null one), the
     * namespace. A cluster-scoped object loses any namespace it carries: the API server ignores
     * it, and the tenant-boundary check must see the object as the cluster-wide one it is.
     */
    @SuppressWarnings("unchecked")
    private void stamp(Map<String, Object> body, Map<String, String> labels, String namespace) {
        Map<String, Object> meta = (Map<String, Object>) body.get("metadata");
        Map<String, Object> l = meta.get("labels") instanceof Map<?, ?> m ? (Map<String, Object>) m : new SmallMap();
        l.putAll(labels);
        meta.put("labels", l);
        if (scopes.isClusterScoped(String.valueOf(body.get("apiVersion")), String.valueOf(body.get("kind")))) {
            meta.remove("namespace");
        } else if (namespace != null && meta.get("namespace") == null) {
            meta.put("namespace", namespace);
        }
    }

    /** The files {@code file} and {@code yaml-file} properties name. */
    private final SchemaChecker.FileReader files = new SchemaChecker.FileReader() {
        @Override
        public String read(Loc at, String path, Diagnostics d) {
            return readFile(at, path, d);
        }

        @Override
        public List<Object> readYaml(Loc at, String path, Diagnostics d) {
            return readYamlFile(at, path, d);
        }
    };

    /** A file a spec property names, relative to that spec file, inside the root; else null after an error. */
    private Path propertyFile(Loc at, String path, Diagnostics d) {
        Path root = resolved.root().toAbsolutePath().normalize();
        Path specDir = root.resolve(at.file()).getParent();
        Path file = specDir.resolve(path).normalize();
        if (!file.startsWith(root)) {
            d.error(at, "file '" + path + "' is outside the platform root");
            return null;
        }
        if (!Files.isRegularFile(file)) {
            d.error(at, "file '" + path + "' not found (looked for " + root.relativize(file).toString().replace('\\', '/') + ")");
            return null;
        }
        try {
            if (!file.toRealPath().startsWith(root.toRealPath())) {
                d.error(at, "file '" + path + "' links outside the platform root");
                return null;
            }
        } catch (IOException e) {
            d.error(at, "cannot read file '" + path + "': " + e.getMessage());
            return null;
        }
        if (readFiles != null) readFiles.add(file);
        return file;
    }

    /**
     * The documents of a {@code yaml-file} property's file, read with the specs' strict YAML 1.2
     * loader and limits (duplicate keys, aliases, nesting, size, tags): its errors are reported
     * at the file's own lines, and every document must be a map (a Kubernetes object).
     */
    private List<Object> readYamlFile(Loc at, String path, Diagnostics d) {
        Path file = propertyFile(at, path, d);
        if (file == null) return null;
        Path root = resolved.root().toAbsolutePath().normalize();
        String rel = root.relativize(file).toString().replace('\\', '/');
        Diagnostics found = new Diagnostics();
        String text = SpecLoader.readSpecText(file, rel, found);
        List<Object> docs = new ArrayList<>();
        if (text != null) {
            for (PNode doc : YamlReader.readAll(rel, text, found)) {
                if (doc instanceof PNode.PMap) {
                    docs.add(doc.toPlain());
                    manifestDocuments.add(doc);
                } else {
                    found.error(doc.loc(), "a document of '" + path + "' is " + (doc instanceof PNode.PList ? "a list" : "a scalar")
                            + ": each document must be a map (a Kubernetes object)");
                }
            }
        }
        if (found.hasErrors()) {
            d.error(at, "file '" + path + "' is not valid YAML manifests (see " + rel + ")");
            d.addAll(found);
            return null;
        }
        d.addAll(found);
        return docs;
    }

    /** Reads a file a spec property names, relative to that spec file; it must stay inside the root. */
    private String readFile(Loc at, String path, Diagnostics d) {
        Path file = propertyFile(at, path, d);
        if (file == null) return null;
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            d.error(at, "file '" + path + "' is not valid UTF-8");
            return null;
        } catch (IOException e) {
            d.error(at, "cannot read file '" + path + "': " + e.getMessage());
            return null;
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 117) + "..." : s;
    }

}
