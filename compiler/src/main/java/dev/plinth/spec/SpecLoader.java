package dev.plinth.spec;

import dev.plinth.diag.Diagnostics;
import dev.plinth.diag.Loc;
import dev.plinth.schema.ParamSchema;
import dev.plinth.schema.SchemaChecker;
import dev.plinth.spec.Specs.AppSpec;
import dev.plinth.spec.Specs.Cluster;
import dev.plinth.spec.Specs.ComponentSpec;
import dev.plinth.spec.Specs.EnvironmentSpec;
import dev.plinth.spec.Specs.LoadedPlatform;
import dev.plinth.spec.Specs.Override;
import dev.plinth.spec.Specs.Placement;
import dev.plinth.spec.Specs.PlatformSpec;
import dev.plinth.spec.Specs.TenantSpec;
import dev.plinth.spec.Specs.TraitSpec;
import dev.plinth.yaml.PNode;
import dev.plinth.yaml.YamlReader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import dev.plinth.values.JsonValues;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.file.FileVisitResult;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stage 1, load: reads {@code platform.yaml} and {@code environments/**} into checked specs.
 *
 * <p>Spec files are {@code environments/<env>/environment.yaml} and every {@code .yaml}/{@code .yml}
 * under {@code environments/<env>/tenants/} and {@code .../apps/}, except inside folders named
 * {@code files} and Helm chart folders (data that specs refer to). The kind of each document
 * decides what it is.
 */
public final class SpecLoader {
    private static final Set<String> RESERVED_NAMESPACES = Set.of(
            "default", "kube-system", "kube-public", "kube-node-lease");

    /**
     * The spec kinds' schemas, read when first needed: a no-op render, which only asks where the
     * output is, does not start a YAML parser for them.
     */
    private static final class Schemas {
        static final Map<String, ParamSchema> BY_KIND = new TreeMap<>();

        static {
            for (String kind : SCHEMA_KINDS) BY_KIND.put(kind, loadSchema(kind));
        }
    }

    /** The spec kinds with a schema, each a YAML resource and the JSON the build writes from it. */
    public static final List<String> SCHEMA_KINDS = List.of("platform", "environment", "tenant", "application");

    static String schemaJsonResource(String kind) {
        return "/dev/plinth/spec/" + kind + ".schema.json";
    }

    private final Path root;
    private final Diagnostics diags;
    private final SchemaChecker checker;
    private final ParsedSpecs parsed;

    private SpecLoader(Path root, Diagnostics diags, ParsedSpecs parsed) {
        this.root = root;
        this.diags = diags;
        this.parsed = parsed;
        this.checker = new SchemaChecker(diags, (at, p, d) -> {
            throw new IllegalStateException("spec kinds have no file fields");
        });
    }

    /** Entry point of the stage. Throws {@link dev.plinth.diag.PlinthException} with all input errors. */
    public static LoadedPlatform load(Path root) {
        return load(root, ParsedSpecs.NONE);
    }

    /** @param parsed spec files as the last render parsed them, reused where the text is the same */
    public static LoadedPlatform load(Path root, ParsedSpecs parsed) {
        Diagnostics diags = new Diagnostics();
        LoadedPlatform p = new SpecLoader(root, diags, parsed).loadAll();
        diags.throwIfErrors();
        return p;
    }

    private LoadedPlatform loadAll() {
        PlatformSpec platform = loadPlatform();
        Map<String, EnvironmentSpec> envs = new TreeMap<>();
        Path envRoot = root.resolve("environments");
        if (!Files.isDirectory(envRoot)) {
            diags.error(Loc.file("environments"), "no environments/ folder in the platform root " + root);
            return new LoadedPlatform(root, platform, envs);
        }
        for (Path dir : list(envRoot)) {
            if (Files.isSymbolicLink(dir)) {
                diags.error(Loc.file(rel(dir)), rel(dir) + " is a symbolic link: environments must be folders inside the platform root");
                continue;
            }
            if (!Files.isDirectory(dir)) continue;
            EnvironmentSpec env = loadEnvironment(dir);
            if (env != null) envs.put(env.name(), env);
        }
        return new LoadedPlatform(root, platform, envs);
    }

    /**
     * platform.yaml alone, checked as the load checks it (for commands that need its settings,
     * such as the library roots, but not the environments). Throws with its errors.
     */
    public static PlatformSpec loadPlatform(Path root) {
        Diagnostics diags = new Diagnostics();
        PlatformSpec p = new SpecLoader(root, diags, ParsedSpecs.NONE).loadPlatform();
        diags.throwIfErrors();
        return p;
    }

    /** The schema of a spec kind ("platform", "environment", "tenant", "application"), from the document down. */
    public static ParamSchema kindSchema(String kind) {
        return Schemas.BY_KIND.get(kind);
    }

    /** The spec kinds with a schema, lower case. */
    public static List<String> kinds() {
        return SCHEMA_KINDS;
    }

    /**
     * The output directory platform.yaml names, read leniently (default {@code rendered}), so a
     * render can repair an interrupted earlier run before it reads, and maybe rejects, the specs.
     */
    public static Path declaredOutput(Path root) {
        return readPlatformFile(root).output();
    }

    /**
     * platform.yaml as read before the specs load (to find the output, whose lock comes first):
     * where {@code spec.output} puts the output, and the file's documents when they parsed
     * cleanly, which the load then takes instead of parsing the file again.
     */
    public record PlatformFile(Path output, String text, List<PNode> docs) {
        /** The documents of platform.yaml served from here, then whatever {@code parsed} has. */
        public ParsedSpecs before(ParsedSpecs parsed) {
            return docs == null ? parsed : parsed.with("platform.yaml", text, docs);
        }
    }

    /** platform.yaml read leniently: its problems are reported by the load that follows. */
    public static PlatformFile readPlatformFile(Path root) {
        Path output = root.resolve("rendered");
        try {
            Diagnostics d = new Diagnostics();
            Path file = root.resolve("platform.yaml");
            String text = Files.exists(file, LinkOption.NOFOLLOW_LINKS) ? readSpecText(file, "platform.yaml", d) : null;
            if (text != null) {
                List<PNode> docs = YamlReader.readAll("platform.yaml", text, d);
                if (!docs.isEmpty() && child(child(docs.get(0), "spec"), "output") instanceof PNode.PScalar s
                        && s.value() instanceof String out) {
                    output = root.resolve(out);
                }
                boolean clean = !d.hasErrors() && !d.hasWarnings();
                return new PlatformFile(output, text, clean ? docs : null);
            }
        } catch (RuntimeException e) {
            // the real load reports whatever is wrong with platform.yaml
        }
        return new PlatformFile(output, null, null);
    }

    // ---- Platform -------------------------------------------------------------------------

    private PlatformSpec loadPlatform() {
        Path file = root.resolve("platform.yaml");
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return new PlatformSpec(Loc.file("platform.yaml"), "platform", "rendered", List.of("library"),
                    List.of("crds"), defaults("platform"));
        }
        List<PNode> docs = read(file);
        if (docs.isEmpty()) {
            return new PlatformSpec(Loc.file("platform.yaml"), "platform", "rendered", List.of("library"),
                    List.of("crds"), defaults("platform"));
        }
        PNode doc = docs.get(0);
        for (int i = 1; i < docs.size(); i++) {
            diags.error(docs.get(i).loc(), "platform.yaml holds exactly one Platform document");
        }
        Map<String, Object> m = checkDoc(doc, "Platform");
        if (m == null) return new PlatformSpec(doc.loc(), "platform", "rendered", List.of(), List.of(), Map.of());
        Map<String, Object> spec = map(m.get("spec"));
        if (spec.isEmpty()) spec = defaults("platform");
        return new PlatformSpec(doc.loc(), str(map(m.get("metadata")).get("name")), str(spec.get("output")),
                contained(doc, "library", strings(spec.get("library"))), contained(doc, "crds", strings(spec.get("crds"))), spec);
    }

    /**
     * The input folders platform.yaml names under {@code spec.<field>}, each checked to be a
     * relative path that stays inside the platform root, also once links are followed (a library
     * root linked to / would let importstr read any file); those that do not are errors at their
     * line, and left out.
     */
    private List<String> contained(PNode doc, String field, List<String> paths) {
        List<String> out = new ArrayList<>();
        Path base = root.toAbsolutePath().normalize();
        for (int i = 0; i < paths.size(); i++) {
            String p = paths.get(i);
            Loc loc = at(doc, "spec", field, i);
            String problem = escape(base, p);
            if (problem == null) out.add(p);
            else diags.error(loc, "spec." + field + ": '" + p + "' " + problem);
        }
        return out;
    }

    /** A cluster's CRD paths that stay inside the root, as platform.yaml's must; the others are errors at their line. */
    private List<String> clusterCrds(List<String> paths, PNode specNode, int cluster) {
        List<String> out = new ArrayList<>();
        Path base = root.toAbsolutePath().normalize();
        for (int j = 0; j < paths.size(); j++) {
            String problem = escape(base, paths.get(j));
            if (problem == null) out.add(paths.get(j));
            else diags.error(at(specNode, "clusters", cluster, "crds", j), "clusters[" + cluster + "].crds: '" + paths.get(j) + "' " + problem);
        }
        return out;
    }

    /** Why a path a spec names is not inside the root, or null when it is. */
    static String escape(Path base, String p) {
        Path path;
        try {
            path = Path.of(p);
        } catch (InvalidPathException e) {
            return "is not a path";
        }
        if (path.isAbsolute()) return "must be relative to the platform root";
        Path resolved = base.resolve(path).normalize();
        if (!resolved.startsWith(base)) return "leaves the platform root";
        if (Files.exists(resolved, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Path real = resolved.toRealPath();
                if (!real.startsWith(base.toRealPath())) return "links out of the platform root (to " + real + ")";
            } catch (IOException e) {
                return "cannot be resolved: " + e.getMessage();
            }
        }
        return null;
    }

    /** The checked {@code spec} of a platform.yaml that sets nothing: every default of the Platform schema. */
    public static Map<String, Object> platformDefaults() {
        return defaults("platform");
    }

    private static Map<String, Object> defaults(String kind) {
        Object d = SchemaChecker.defaultFor(Schemas.BY_KIND.get(kind).properties().get("spec"));
        return d == null ? new LinkedHashMap<>() : map(d);
    }

    // ---- Environment ----------------------------------------------------------------------

    private EnvironmentSpec loadEnvironment(Path dir) {
        String name = dir.getFileName().toString();
        Path file = dir.resolve("environment.yaml");
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            diags.error(Loc.file(rel(dir)), "environment folder '" + name + "' has no environment.yaml");
            return null;
        }
        List<PNode> docs = read(file);
        if (docs.isEmpty()) {
            diags.error(Loc.file(rel(file)), "environment.yaml is empty");
            return null;
        }
        for (int i = 1; i < docs.size(); i++) {
            diags.error(docs.get(i).loc(), "environment.yaml holds exactly one Environment document");
        }
        PNode doc = docs.get(0);
        Map<String, Object> m = checkDoc(doc, "Environment");
        Map<String, TenantSpec> tenants = new TreeMap<>();
        Map<String, AppSpec> apps = new TreeMap<>();
        for (String sub : List.of("tenants", "apps")) {
            for (Path f : specFiles(dir.resolve(sub))) loadMembers(f, tenants, apps);
        }
        if (m == null) return null;
        String metaName = str(map(m.get("metadata")).get("name"));
        if (!name.equals(metaName)) {
            diags.error(at(doc, "metadata", "name"), "environment name '" + metaName
                    + "' must equal its folder name '" + name + "'");
        }
        Map<String, Object> spec = map(m.get("spec"));
        PNode specNode = child(doc, "spec");

        List<Cluster> clusters = new ArrayList<>();
        List<Object> rawClusters = list(spec.get("clusters"));
        for (int i = 0; i < rawClusters.size(); i++) {
            Map<String, Object> c = map(rawClusters.get(i));
            clusters.add(new Cluster(at(specNode, "clusters", i), str(c.get("name")), name,
                    str(c.get("kubeVersion")), str(c.get("server")), apiServerCIDRs(c), strMap(c.get("labels")),
                    operatorVersions(c, at(specNode, "clusters", i, "operators"), childAt(specNode, "clusters", i)),
                    clusterCrds(strings(c.get("crds")), specNode, i), at(specNode, "clusters", i, "crds")));
        }
        List<Placement> placement = new ArrayList<>();
        List<Object> rawPlacement = list(spec.get("placement"));
        for (int i = 0; i < rawPlacement.size(); i++) {
            Map<String, Object> p = map(rawPlacement.get(i));
            placement.add(new Placement(at(specNode, "placement", i), stringsOrNull(p.get("tenants")),
                    stringsOrNull(p.get("apps")), stringsOrNull(p.get("clusters")),
                    p.containsKey("clusterSelector") ? strMap(p.get("clusterSelector")) : null));
        }
        List<Override> overrides = new ArrayList<>();
        List<Object> rawOverrides = list(spec.get("overrides"));
        for (int i = 0; i < rawOverrides.size(); i++) {
            PNode o = childAt(specNode, "overrides", i);
            Map<String, Object> target = map(map(rawOverrides.get(i)).get("target"));
            overrides.add(new Override(o.loc(), str(target.get("app")), at(o, "target", "app"),
                    str(target.get("component")), at(o, "target", "component"),
                    child(o, "properties"), traits(child(o, "traits"))));
        }
        return new EnvironmentSpec(doc.loc(), name, rel(dir), strings(spec.get("extends")),
                at(specNode, "extends"), Boolean.TRUE.equals(spec.get("abstract")), clusters, placement,
                overrides, tenants, apps);
    }

    /** An operator version as written: an optional 'v', numbers separated by dots, an optional -pre or +build suffix. */
    private static final Pattern OPERATOR_VERSION =
            Pattern.compile("v?([0-9]+(?:\\.[0-9]+)*)(?:[-+][0-9A-Za-z.+-]*)?");

    /**
     * A cluster's operator versions in one form (1.10.0 for v1.10.0 or 1.10.0-rc1), so that
     * definitions compare them numerically; a version that is not one is an error at its line.
     */
    private Map<String, String> operatorVersions(Map<String, Object> cluster, Loc operatorsLoc, PNode clusterNode) {
        Map<String, String> out = new TreeMap<>();
        strMap(cluster.get("operators")).forEach((operator, version) -> {
            Matcher m = OPERATOR_VERSION.matcher(version.trim());
            if (m.matches()) {
                out.put(operator, m.group(1));
            } else {
                Loc loc = at(clusterNode, "operators", operator);
                diags.error(loc == null ? operatorsLoc : loc, "operators." + operator + ": '" + version
                        + "' is not a version (write it as 1.10, 1.10.0 or v1.10.0)");
            }
        });
        return Collections.unmodifiableMap(out);
    }

    /** Given CIDRs, or the server's address when the URL names an IP, or none. */
    private static List<String> apiServerCIDRs(Map<String, Object> cluster) {
        if (cluster.get("apiServerCIDRs") instanceof List<?>) return strings(cluster.get("apiServerCIDRs"));
        Object server = cluster.get("server");
        if (server instanceof String url) {
            try {
                String host = URI.create(url).getHost();
                if (host != null && host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) return List.of(host + "/32");
            } catch (IllegalArgumentException e) {
                // not a URL: no address known
            }
        }
        return List.of();
    }

    private void loadMembers(Path file, Map<String, TenantSpec> tenants, Map<String, AppSpec> apps) {
        for (PNode doc : read(file)) {
            if (!(doc instanceof PNode.PMap dm)) {
                diags.error(doc.loc(), "a spec document must be a mapping with apiVersion and kind");
                continue;
            }
            Object kind = dm.get("kind") == null ? null : dm.get("kind").toPlain();
            if ("Tenant".equals(kind)) {
                TenantSpec t = tenant(doc);
                if (t == null) continue;
                TenantSpec prev = tenants.putIfAbsent(t.name(), t);
                if (prev != null) {
                    diags.error(t.loc(), "tenant '" + t.name() + "' is defined twice in this environment (also at "
                            + prev.loc() + ")");
                }
            } else if ("Application".equals(kind)) {
                AppSpec a = app(doc);
                if (a == null) continue;
                AppSpec prev = apps.putIfAbsent(a.name(), a);
                if (prev != null) {
                    diags.error(a.loc(), "application '" + a.name() + "' is defined twice in this environment (also at "
                            + prev.loc() + ")");
                }
            } else {
                checkHeader(dm, "Tenant or Application");
            }
        }
    }

    // ---- Tenant and Application -----------------------------------------------------------

    private TenantSpec tenant(PNode doc) {
        Map<String, Object> m = checkDoc(doc, "Tenant");
        if (m == null) return null;
        String name = str(map(m.get("metadata")).get("name"));
        Map<String, Object> spec = new LinkedHashMap<>(map(m.get("spec")));
        Object d = SchemaChecker.defaultFor(Schemas.BY_KIND.get("tenant").properties().get("spec"));
        if (spec.isEmpty() && d != null) spec = map(d);
        List<String> namespaces = stringsOrNull(spec.get("namespaces"));
        if (namespaces != null && namespaces.isEmpty()) {
            diags.error(at(doc, "spec", "namespaces"), "a tenant needs at least one namespace (leave namespaces out for [" + name + "])");
        }
        if (namespaces == null || namespaces.isEmpty()) namespaces = List.of(name);
        for (String ns : namespaces) {
            if (RESERVED_NAMESPACES.contains(ns)) {
                diags.error(at(doc, "spec", "namespaces"), "namespace '" + ns + "' belongs to Kubernetes, not to a tenant");
            }
        }
        spec.put("namespaces", namespaces);
        spec.remove("waivers");
        return new TenantSpec(doc.loc(), name, namespaces, spec, doc, waivers(child(child(doc, "spec"), "waivers")));
    }

    private AppSpec app(PNode doc) {
        Map<String, Object> m = checkDoc(doc, "Application");
        if (m == null) return null;
        Map<String, Object> meta = map(m.get("metadata"));
        PNode specNode = child(doc, "spec");
        List<ComponentSpec> components = new ArrayList<>();
        Map<String, Loc> seen = new LinkedHashMap<>();
        if (child(specNode, "components") instanceof PNode.PList list) {
            for (PNode c : list.items()) {
                String cname = str(child(c, "name").toPlain());
                ComponentSpec cs = new ComponentSpec(c.loc(), cname, str(child(c, "type").toPlain()),
                        at(c, "type"), child(c, "properties"), traits(child(c, "traits")), uses(child(c, "uses")));
                Loc prev = seen.putIfAbsent(cname, c.loc());
                if (prev != null) {
                    diags.error(at(c, "name"), "component '" + cname + "' is defined twice (also at line "
                            + prev.line() + ")");
                }
                components.add(cs);
            }
        }
        Map<String, List<String>> external = new TreeMap<>();
        map(map(m.get("spec")).get("external")).forEach((k, v) -> external.put(k, strings(v)));
        return new AppSpec(doc.loc(), str(meta.get("name")), str(meta.get("tenant")), at(doc, "metadata", "tenant"),
                str(meta.get("namespace")), at(doc, "metadata", "namespace"), components,
                waivers(child(specNode, "waivers")), external, dependsOn(child(specNode, "dependsOn")));
    }

    private static List<Specs.Dependency> dependsOn(PNode node) {
        List<Specs.Dependency> out = new ArrayList<>();
        if (node instanceof PNode.PList list) {
            for (PNode d : list.items()) {
                if (d.toPlain() instanceof String app) out.add(new Specs.Dependency(app, d.loc())); // else reported by the schema check
            }
        }
        return List.copyOf(out);
    }

    private static List<Specs.Waiver> waivers(PNode node) {
        List<Specs.Waiver> out = new ArrayList<>();
        if (node instanceof PNode.PList list) {
            for (PNode w : list.items()) {
                out.add(new Specs.Waiver(w.loc(), str(child(w, "check").toPlain()), str(child(w, "reason").toPlain())));
            }
        }
        return out;
    }

    private static List<Specs.Use> uses(PNode node) {
        List<Specs.Use> out = new ArrayList<>();
        if (node instanceof PNode.PList list) {
            for (PNode u : list.items()) {
                if (!(u.toPlain() instanceof Map<?, ?> m) || m.get("component") == null) continue; // reported by the schema check
                Object port = m.get("port");
                out.add(new Specs.Use(u.loc(), m.get("app") == null ? null : str(m.get("app")), at(u, "app"),
                        str(m.get("component")), at(u, "component"), port == null ? null : String.valueOf(port), at(u, "port"),
                        m.get("protocol") == null ? "TCP" : str(m.get("protocol")),
                        m.get("access") == null ? null : str(m.get("access"))));
            }
        }
        return List.copyOf(out);
    }

    private List<TraitSpec> traits(PNode node) {
        List<TraitSpec> out = new ArrayList<>();
        if (node instanceof PNode.PList list) {
            for (PNode t : list.items()) {
                PNode type = child(t, "type");
                if (type == null) continue; // reported by the schema check
                out.add(new TraitSpec(t.loc(), str(type.toPlain()), type.loc(), child(t, "properties")));
            }
        }
        return out;
    }

    // ---- helpers --------------------------------------------------------------------------

    /** Checks apiVersion and kind, then the document against the kind's schema. Null when broken. */
    private Map<String, Object> checkDoc(PNode doc, String kind) {
        if (!(doc instanceof PNode.PMap dm)) {
            diags.error(doc.loc(), "a spec document must be a mapping with apiVersion and kind");
            return null;
        }
        if (!checkHeader(dm, kind)) return null;
        long before = diags.errorCount();
        Map<String, Object> m = checker.checkObject(doc, Schemas.BY_KIND.get(kind.toLowerCase(Locale.ROOT)), "");
        return diags.errorCount() > before ? null : m;
    }

    private boolean checkHeader(PNode.PMap dm, String expectedKind) {
        PNode av = dm.get("apiVersion");
        PNode k = dm.get("kind");
        if (av == null) {
            diags.error(dm.loc(), "missing required field 'apiVersion' (" + Specs.API_VERSION + ")");
            return false;
        }
        if (!Specs.API_VERSION.equals(av.toPlain())) {
            diags.error(av.loc(), "apiVersion must be " + Specs.API_VERSION + ", got '" + av.toPlain() + "'");
            return false;
        }
        if (k == null) {
            diags.error(dm.loc(), "missing required field 'kind'");
            return false;
        }
        if (!expectedKind.equals(k.toPlain())) {
            diags.error(k.loc(), "expected kind " + expectedKind + " here, got '" + k.toPlain() + "'");
            return false;
        }
        return true;
    }

    /** The most bytes a spec file may have (YamlReader takes at most 8 Mi characters). */
    static final long MAX_FILE_BYTES = 32L << 20;

    /**
     * The text of a spec file, or null after an error: only a regular file is read (a link, a
     * FIFO or a device is refused by name, never opened, so never waited on), and only up to
     * {@link #MAX_FILE_BYTES}.
     */
    public static String readSpecText(Path file, String rel, Diagnostics diags) {
        try {
            BasicFileAttributes a = Files.readAttributes(file,
                    BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            String refused = refusal(a);
            if (refused != null) {
                diags.error(Loc.file(rel), rel + " is " + refused + ": spec files must be regular files inside the platform root");
                return null;
            }
            if (a.size() > MAX_FILE_BYTES) {
                diags.error(Loc.file(rel), rel + " has " + a.size() + " bytes, more than a spec file may (" + (MAX_FILE_BYTES >> 20) + " MiB)");
                return null;
            }
            byte[] bytes;
            try (var in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                bytes = in.readNBytes((int) MAX_FILE_BYTES + 1);
            }
            if (bytes.length > MAX_FILE_BYTES) {
                diags.error(Loc.file(rel), rel + " grew past " + (MAX_FILE_BYTES >> 20) + " MiB while read");
                return null;
            }
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            diags.error(Loc.file(rel), "not valid UTF-8");
            return null;
        } catch (IOException e) {
            diags.error(Loc.file(rel), "cannot read: " + e.getMessage());
            return null;
        }
    }

    /** Why a file is not read as a spec (a link or a special file), or null for a regular file. */
    static String refusal(BasicFileAttributes a) {
        if (a.isSymbolicLink()) return "a symbolic link";
        if (a.isDirectory()) return "a folder";
        if (!a.isRegularFile()) return "a special file (a FIFO, socket or device)";
        return null;
    }

    private List<PNode> read(Path file) {
        String rel = rel(file);
        String text = readSpecText(file, rel, diags);
        if (text == null) return List.of();
        List<PNode> docs = parsed.lookup(rel, text);
        if (docs != null) return docs;
        Diagnostics found = new Diagnostics();
        docs = YamlReader.readAll(rel, text, found);
        if (!found.hasErrors() && !found.hasWarnings()) parsed.store(rel, text, docs);
        diags.addAll(found);
        return docs;
    }

    /** Spec files under a folder: not inside data folders (named {@code files}) or Helm charts (with a Chart.yaml). */
    private List<Path> specFiles(Path dir) {
        if (!Files.isDirectory(dir)) return List.of();
        List<Path> out = new ArrayList<>();
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @java.lang.Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) {
                    boolean data = !d.equals(dir) && (d.getFileName().toString().equals("files") || Files.exists(d.resolve("Chart.yaml")));
                    return data ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @java.lang.Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes a) {
                    String n = f.getFileName().toString();
                    boolean yaml = n.endsWith(".yaml") || n.endsWith(".yml");
                    if (a.isRegularFile() && yaml) {
                        out.add(f);
                    } else if (yaml || (a.isSymbolicLink() && Files.isDirectory(f))) {
                        // (a link named otherwise is data: a property that names it reports it)
                        // never ignored silently, never followed, never opened (a FIFO would hang the render)
                        diags.error(Loc.file(rel(f)), rel(f) + " is " + refusal(a)
                                + ": spec files and folders must be regular files and folders inside the platform root");
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort(null);
        return out;
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String rel(Path p) {
        return root.relativize(p).toString().replace('\\', '/');
    }

    static PNode child(PNode node, String key) {
        return node instanceof PNode.PMap m ? m.get(key) : null;
    }

    static PNode childAt(PNode node, String key, int i) {
        return child(node, key) instanceof PNode.PList l && i < l.items().size() ? l.items().get(i) : node;
    }

    /** The location of a nested value, or of the nearest existing parent. */
    static Loc at(PNode node, Object... path) {
        PNode cur = node;
        Loc loc = node == null ? null : node.loc();
        for (Object step : path) {
            if (cur instanceof PNode.PMap m && step instanceof String k && m.get(k) != null) {
                cur = m.get(k);
            } else if (cur instanceof PNode.PList l && step instanceof Integer i && i < l.items().size()) {
                cur = l.items().get(i);
            } else {
                return loc;
            }
            loc = cur.loc();
        }
        return loc;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : new LinkedHashMap<>();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return o instanceof List<?> l ? (List<Object>) l : List.of();
    }

    static String str(Object o) {
        return o == null ? null : String.valueOf(o);
    }

    static List<String> strings(Object o) {
        List<String> out = new ArrayList<>();
        for (Object x : list(o)) out.add(String.valueOf(x));
        return out;
    }

    static List<String> stringsOrNull(Object o) {
        return o instanceof List<?> ? strings(o) : null;
    }

    static Map<String, String> strMap(Object o) {
        Map<String, String> out = new TreeMap<>();
        map(o).forEach((k, v) -> out.put(k, String.valueOf(v)));
        return Collections.unmodifiableMap(out);
    }

    private static ParamSchema loadSchema(String kind) {
        return ParamSchema.objectOf(schemaDocument(kind), kind);
    }

    /**
     * A spec kind's schema as plain values: from the JSON the build writes beside the YAML
     * (SpecSchemaTable, a test class the build runs), which reads in a fraction of the time a cold YAML parser takes
     * (the load stage would otherwise start a YAML parser for four schemas), else from the YAML.
     */
    static Map<?, ?> schemaDocument(String kind) {
        try (InputStream json = SpecLoader.class.getResourceAsStream(schemaJsonResource(kind))) {
            if (json != null && JsonValues.read(new String(json.readAllBytes(), StandardCharsets.UTF_8))
                    instanceof Map<?, ?> m) {
                return m;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return schemaFromYaml(kind);
    }

    /** A spec kind's schema as the YAML resource says it. */
    static Map<?, ?> schemaFromYaml(String kind) {
        String res = "/dev/plinth/spec/" + kind + ".schema.yaml";
        try (InputStream in = SpecLoader.class.getResourceAsStream(res)) {
            Diagnostics d = new Diagnostics();
            List<PNode> docs = YamlReader.readAll(res, new String(in.readAllBytes(), StandardCharsets.UTF_8), d);
            d.throwIfErrors();
            return (Map<?, ?>) docs.get(0).toPlain();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
