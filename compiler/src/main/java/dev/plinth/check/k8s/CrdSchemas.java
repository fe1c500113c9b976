package dev.plinth.check.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.plinth.diag.Diagnostics;
import dev.plinth.diag.Loc;
import dev.plinth.yaml.PNode;
import dev.plinth.yaml.YamlReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import dev.plinth.check.cel.CrdRules;
import dev.plinth.values.Strings;
import java.util.Collections;

/**
 * CustomResourceDefinitions the platform provides (platform.yaml {@code spec.crds}), and
 * validation of custom resources against their {@code openAPIV3Schema} with the networknt JSON
 * Schema validator. The OpenAPI dialect is mapped onto JSON Schema draft 4 the way the API
 * server reads it: objects with declared properties reject unknown fields unless
 * {@code x-kubernetes-preserve-unknown-fields}; {@code x-kubernetes-int-or-string} accepts an
 * integer or a string; {@code nullable} admits null.
 */
public final class CrdSchemas {
    /** A served version of a CRD. */
    private record Served(String display, Map<String, Object> schema) {
    }

    /** The schema validator, set up when a custom resource is first validated (not by every render). */
    private static final class Validator {
        static final ObjectMapper MAPPER = new ObjectMapper();
        static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
    }
    private final Map<String, Served> versions = new TreeMap<>();          // "group/version Kind"
    private final Map<String, Set<String>> servedVersions = new TreeMap<>(); // "group Kind" -> versions
    private final Map<String, JsonSchema> compiled = new ConcurrentHashMap<>();
    /** The x-kubernetes-validations of each served version, compiled when first needed. */
    private final Map<String, CrdRules> rules = new ConcurrentHashMap<>();
    /** "group/Kind" of the CRDs whose scope is Cluster. */
    private final Set<String> clusterScoped = new TreeSet<>();
    /** The files read, with a digest of each one's text, for {@link #fingerprint}. */
    private final StringBuilder sources = new StringBuilder();
    /** "group Kind" -> the file that defined it and its spec, to tell two different CRDs of one kind apart. */
    private final Map<String, Definition> definitions = new TreeMap<>();

    private record Definition(String file, Object spec) {
    }

    public static CrdSchemas empty() {
        return new CrdSchemas();
    }

    /**
     * Loads every CRD in the given files and folders (searched recursively for .yaml, .yml and
     * .json); missing paths are skipped. Unreadable files are reported to {@code diags}.
     */
    public static CrdSchemas load(Path root, List<Path> paths, Diagnostics diags) {
        return load(root, paths, List.of(), diags);
    }

    /**
     * @param platformPaths the platform's CRDs ({@code spec.crds}): part of the platform, they
     *                      also say which custom resources are cluster-scoped
     * @param extraPaths    more CRDs to validate against ({@code --crds}), which must not change
     *                      what is rendered (verify and publish may run without them)
     */
    public static CrdSchemas load(Path root, List<Path> platformPaths, List<Path> extraPaths, Diagnostics diags) {
        CrdSchemas s = new CrdSchemas();
        for (List<Path> paths : List.of(platformPaths, extraPaths)) {
            for (Path p : paths) {
                if (!Files.exists(p)) continue;
                for (Path f : files(p)) s.loadFile(root, f, paths == platformPaths, diags);
            }
        }
        return s;
    }

    /**
     * The CRDs of one cluster: this set with every kind that the cluster's own files
     * ({@code clusters[].crds}) define replaced, in all its versions, by the cluster's
     * definition. Two different CRDs of one kind among the cluster's files are an error naming
     * both (at {@code at}, the cluster's {@code crds} line).
     */
    public CrdSchemas withClusterCrds(Path root, List<Path> clusterPaths, String cluster, Loc at, Diagnostics diags) {
        Diagnostics own = new Diagnostics();
        CrdSchemas theirs = new CrdSchemas();
        for (Path p : clusterPaths) {
            if (!Files.exists(p)) {
                own.error(at, "cluster " + cluster + ": CRD path " + display(root, p) + " does not exist");
                continue;
            }
            for (Path f : files(p)) theirs.loadFile(root, f, true, own, cluster);
        }
        diags.addAll(own);
        CrdSchemas merged = new CrdSchemas();
        merged.sources.append(sources).append("cluster ").append(cluster).append('\n').append(theirs.sources);
        Set<String> replaced = theirs.servedVersions.keySet();
        versions.forEach((k, v) -> {
            // "group/version Kind" -> "group Kind"
            String groupKind = k.substring(0, k.lastIndexOf('/', k.indexOf(' '))) + k.substring(k.indexOf(' '));
            if (!replaced.contains(groupKind)) merged.versions.put(k, v);
        });
        servedVersions.forEach((k, v) -> {
            if (!replaced.contains(k)) merged.servedVersions.put(k, v);
        });
        definitions.forEach((k, v) -> {
            if (!replaced.contains(k)) merged.definitions.put(k, v);
        });
        for (String k : clusterScoped) {
            String groupKind = k.replace('/', ' ');
            if (!replaced.contains(groupKind)) merged.clusterScoped.add(k);
        }
        merged.versions.putAll(theirs.versions);
        merged.servedVersions.putAll(theirs.servedVersions);
        merged.definitions.putAll(theirs.definitions);
        merged.clusterScoped.addAll(theirs.clusterScoped);
        return merged;
    }

    /** The file, or the .yaml, .yml and .json files under the folder (recursively), in path order. */
    public static List<Path> files(Path p) {
        if (Files.isRegularFile(p)) return List.of(p);
        try (Stream<Path> s = Files.walk(p)) {
            return s.filter(Files::isRegularFile)
                    .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml") || f.toString().endsWith(".json"))
                    .sorted(Comparator.naturalOrder())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void loadFile(Path root, Path file, boolean platform, Diagnostics diags) {
        loadFile(root, file, platform, diags, null);
    }

    /** @param cluster the cluster whose own CRDs these are, or null for the platform's */
    @SuppressWarnings("unchecked")
    private void loadFile(Path root, Path file, boolean platform, Diagnostics diags, String cluster) {
        String display = display(root, file);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            diags.error(Loc.file(display), "cannot read CRD file: " + e.getMessage());
            return;
        }
        sources.append(display).append('\0').append(Strings.checksum(text.getBytes(StandardCharsets.UTF_8))).append('\n');
        for (PNode doc : YamlReader.readAll(display, text, diags)) {
            if (!(doc.toPlain() instanceof Map<?, ?> m) || !"CustomResourceDefinition".equals(m.get("kind"))) continue;
            // not the shape of a CRD (the API server would reject it): nothing to validate against
            if (!(m.get("spec") instanceof Map<?, ?> spec) || !(spec.get("names") instanceof Map<?, ?> names)) continue;
            String group = String.valueOf(spec.get("group"));
            String kind = String.valueOf(names.get("kind"));
            Definition before = definitions.get(group + " " + kind);
            // two schemas for one kind would let an object pass whichever serves its version,
            // also one its cluster's operator does not serve
            if (before != null && !before.spec().equals(spec)) {
                diags.error(doc.loc(), (cluster != null ? "cluster " + cluster + " has" : "the platform's CRDs (spec.crds and --crds) have")
                        + " two different CRDs of " + kind + " (" + group + "): " + before.file() + " and " + display + "; keep one"
                        + (cluster != null ? "" : " (a cluster on another operator version takes its own with clusters[].crds)"));
                continue;
            }
            definitions.put(group + " " + kind, new Definition(display, spec));
            if (platform && "Cluster".equals(spec.get("scope"))) clusterScoped.add(group + "/" + kind);
            if (!(spec.get("versions") instanceof List<?> vs)) continue;
            for (Object vo : vs) {
                if (!(vo instanceof Map<?, ?> vm)) continue;
                Map<String, Object> v = (Map<String, Object>) vm;
                if (Boolean.FALSE.equals(v.get("served"))) continue;
                String version = String.valueOf(v.get("name"));
                Object schema = v.get("schema") instanceof Map<?, ?> sm ? sm.get("openAPIV3Schema") : null;
                if (!(schema instanceof Map<?, ?>)) schema = Map.of("type", "object", "x-kubernetes-preserve-unknown-fields", true);
                versions.put(group + "/" + version + " " + kind, new Served(display, (Map<String, Object>) schema));
                servedVersions.computeIfAbsent(group + " " + kind, k -> new TreeSet<>()).add(version);
            }
        }
    }

    private static String display(Path root, Path file) {
        Path abs = file.toAbsolutePath().normalize();
        Path r = root.toAbsolutePath().normalize();
        return (abs.startsWith(r) ? r.relativize(abs) : abs).toString().replace('\\', '/');
    }

    /** Names the CRD files read and their content: equal fingerprints, equal schemas. */
    public String fingerprint() {
        return Strings.checksum(sources.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** "group/Kind" of every CRD of the platform's whose scope is Cluster: its objects get no namespace. */
    public Set<String> clusterScopedKinds() {
        return Collections.unmodifiableSet(clusterScoped);
    }

    /** {@code names.plural} of every CRD here, by "group/Kind". */
    public Map<String, String> plurals() {
        Map<String, String> out = new TreeMap<>();
        definitions.forEach((groupKind, d) -> {
            String plural = pluralOf(groupKind.substring(0, groupKind.indexOf(' ')), groupKind.substring(groupKind.indexOf(' ') + 1));
            if (plural != null) out.put(groupKind.replace(' ', '/'), plural);
        });
        return out;
    }

    /** The resource name (names.plural) of a CRD's kind, or null when no CRD defines it. */
    public String pluralOf(String group, String kind) {
        Definition d = definitions.get(group + " " + kind);
        return d != null && d.spec() instanceof Map<?, ?> spec && spec.get("names") instanceof Map<?, ?> names
                && names.get("plural") instanceof String plural ? plural : null;
    }

    /** True when some CRD defines this group and kind, in any version. */
    public boolean knowsKind(String group, String kind) {
        return servedVersions.containsKey(group + " " + kind);
    }

    public Set<String> versionsOf(String group, String kind) {
        return servedVersions.getOrDefault(group + " " + kind, Set.of());
    }

    public boolean hasSchema(String apiVersion, String kind) {
        return versions.containsKey(apiVersion + " " + kind);
    }

    /** A validation problem: a dotted field path and a message. */
    public record Problem(String path, String message) {
    }

    /**
     * Validates a custom resource against its CRD's schema, then, when it conforms, against the
     * schema's CEL rules ({@code x-kubernetes-validations}, see {@link dev.plinth.check.cel.CrdRules});
     * problems sorted by path.
     */
    public List<Problem> validate(String apiVersion, String kind, Map<String, Object> object) {
        String key = apiVersion + " " + kind;
        Served served = versions.get(key);
        if (served == null) return List.of();
        JsonSchema schema = compiled.computeIfAbsent(key, k -> {
            JsonSchema s = Validator.FACTORY.getSchema(Validator.MAPPER.valueToTree(toJsonSchema(served.schema(), true)));
            s.initializeValidators(); // validators are built lazily otherwise; checks run on several threads
            return s;
        });
        JsonNode node = Validator.MAPPER.valueToTree(object);
        List<Problem> out = new ArrayList<>();
        for (ValidationMessage m : schema.validate(node)) {
            String path = m.getInstanceLocation().toString();
            path = path.equals("$") ? "" : path.startsWith("$.") ? path.substring(2) : path.substring(1);
            String msg = m.getMessage();
            String prefix = m.getInstanceLocation().toString() + ": ";
            if (msg.startsWith(prefix)) msg = msg.substring(prefix.length());
            if (m.getProperty() != null && "additionalProperties".equals(m.getType())) {
                path = path.isEmpty() ? m.getProperty() : path + "." + m.getProperty();
                msg = "unknown field '" + m.getProperty() + "'";
            }
            out.add(new Problem(path, msg));
        }
        if (out.isEmpty()) {
            // as the API server, CEL rules see only values of the schema's types
            for (var v : rules(key).validate(object)) out.add(new Problem(v.path(), v.message()));
        }
        out.sort(Comparator.comparing(Problem::path).thenComparing(Problem::message));
        return out;
    }

    /** The CEL rules of a served version ({@code apiVersion + " " + kind}), compiled once; none for an unknown one. */
    public CrdRules rules(String key) {
        Served served = versions.get(key);
        if (served == null) return CrdRules.of(Map.of());
        return rules.computeIfAbsent(key, k -> CrdRules.of(served.schema()));
    }

    /** The "apiVersion Kind" of every served version, for {@link #rules}. */
    public Set<String> servedKeys() {
        return Collections.unmodifiableSet(versions.keySet());
    }

    /** The OpenAPI v3 dialect of CRDs as JSON Schema draft 4. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> toJsonSchema(Map<String, Object> in, boolean root) {
        Map<String, Object> out = new LinkedHashMap<>();
        boolean preserve = Boolean.TRUE.equals(in.get("x-kubernetes-preserve-unknown-fields"));
        for (Map.Entry<String, Object> e : in.entrySet()) {
            String k = e.getKey();
            Object v = e.getValue();
            if (k.startsWith("x-kubernetes-") || k.equals("nullable") || k.equals("externalDocs") || k.equals("example")) continue;
            switch (k) {
                case "properties" -> {
                    Map<String, Object> props = new LinkedHashMap<>();
                    ((Map<String, Object>) v).forEach((pk, pv) -> props.put(pk, toJsonSchema((Map<String, Object>) pv, false)));
                    out.put(k, props);
                }
                case "items", "not" -> out.put(k, v instanceof Map<?, ?> ? toJsonSchema((Map<String, Object>) v, false) : v);
                case "additionalProperties" -> out.put(k, v instanceof Map<?, ?> ? toJsonSchema((Map<String, Object>) v, false) : v);
                case "allOf", "anyOf", "oneOf" -> {
                    List<Object> list = new ArrayList<>();
                    for (Object o : (List<Object>) v) list.add(o instanceof Map<?, ?> ? toJsonSchema((Map<String, Object>) o, false) : o);
                    out.put(k, list);
                }
                default -> out.put(k, v);
            }
        }
        if (Boolean.TRUE.equals(in.get("x-kubernetes-int-or-string"))) {
            out.remove("type");
            if (!out.containsKey("anyOf")) out.put("anyOf", List.of(Map.of("type", "integer"), Map.of("type", "string")));
        }
        if (Boolean.TRUE.equals(in.get("nullable")) && out.get("type") instanceof String t) {
            out.put("type", List.of(t, "null"));
        }
        if (root && out.get("properties") instanceof Map<?, ?> props) {
            Map<String, Object> p = new LinkedHashMap<>((Map<String, Object>) props);
            p.putIfAbsent("apiVersion", Map.of("type", "string"));
            p.putIfAbsent("kind", Map.of("type", "string"));
            p.putIfAbsent("metadata", Map.of("type", "object"));
            out.put("properties", p);
        }
        if (out.containsKey("properties") && !out.containsKey("additionalProperties") && !preserve) {
            out.put("additionalProperties", false);
        }
        return out;
    }
}
