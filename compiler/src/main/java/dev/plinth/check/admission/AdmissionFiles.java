package dev.plinth.check.admission;

import dev.plinth.check.k8s.KubeVersions;

import dev.plinth.check.k8s.ApiVersions;
import dev.plinth.diag.Diagnostics;
import dev.plinth.diag.Loc;
import dev.plinth.render.RenderedObject;
import dev.plinth.render.RenderedPlatform;
import dev.plinth.render.RenderedPlatform.RenderedCluster;
import dev.plinth.yaml.PNode;
import dev.plinth.yaml.YamlReader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.plinth.check.k8s.CrdSchemas;
import dev.plinth.render.Renderer;
import java.util.TreeMap;

/**
 * The platform's own admission policies: the files and folders of platform.yaml
 * {@code spec.admission} (default {@code admission/}, which may be missing), holding
 * ValidatingAdmissionPolicies, their bindings (admissionregistration.k8s.io/v1) and the params
 * objects the bindings name. They are rendered into the {@code platform/} directory of every
 * cluster that serves that API (Kubernetes 1.30 and later), where {@link PolicyEvaluation}
 * evaluates them on the cluster's objects; an older cluster gets a warning instead.
 */
public final class AdmissionFiles {
    public static final String API_VERSION = "admissionregistration.k8s.io/v1";
    public static final String POLICY = "ValidatingAdmissionPolicy";
    public static final String BINDING = "ValidatingAdmissionPolicyBinding";
    /** The default of {@code spec.admission}: a missing folder of that name is no error. */
    private static final String DEFAULT_FOLDER = "admission";

    private AdmissionFiles() {
    }

    /** One document of an admission file. */
    public record Document(Loc loc, PNode node, Map<String, Object> body) {
        String kind() {
            return String.valueOf(body.get("kind"));
        }
    }

    /**
     * Every document of the given files and folders (searched recursively for .yaml, .yml and
     * .json, in path order), relative to {@code root}. Problems are errors at the file or the
     * platform's line {@code at}.
     */
    public static List<Document> load(Path platformRoot, List<String> paths, Loc at, Diagnostics diags) {
        List<Document> docs = new ArrayList<>();
        Path root = platformRoot.toAbsolutePath().normalize();
        Path realRoot;
        try {
            realRoot = root.toRealPath();
        } catch (IOException e) {
            return docs;
        }
        for (String p : paths) {
            Path path = root.resolve(p).normalize();
            if (!path.startsWith(root)) {
                diags.error(at, "admission path '" + p + "' is outside the platform root");
                continue;
            }
            if (!Files.exists(path)) {
                if (!p.equals(DEFAULT_FOLDER)) diags.error(at, "admission path '" + p + "' does not exist");
                continue;
            }
            for (Path f : CrdSchemas.files(path)) {
                String display = root.relativize(f.toAbsolutePath().normalize()).toString().replace('\\', '/');
                String text;
                try {
                    if (!f.toRealPath().startsWith(realRoot)) {
                        diags.error(Loc.file(display), "admission file '" + display + "' links outside the platform root");
                        continue;
                    }
                    text = Files.readString(f, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    diags.error(Loc.file(display), "cannot read admission file: " + e.getMessage());
                    continue;
                }
                for (PNode doc : YamlReader.readAll(display, text, diags)) {
                    Document d = document(doc, diags);
                    if (d != null) docs.add(d);
                }
            }
        }
        return docs;
    }

    @SuppressWarnings("unchecked")
    private static Document document(PNode doc, Diagnostics diags) {
        if (!(doc.toPlain() instanceof Map<?, ?> m)) {
            diags.error(doc.loc(), "an admission document must be a Kubernetes object (apiVersion, kind, metadata.name)");
            return null;
        }
        Map<String, Object> body = (Map<String, Object>) m;
        if (!(body.get("apiVersion") instanceof String av) || !(body.get("kind") instanceof String kind)
                || !(body.get("metadata") instanceof Map<?, ?> meta) || !(meta.get("name") instanceof String)) {
            diags.error(doc.loc(), "an admission document must be a Kubernetes object (apiVersion, kind, metadata.name)");
            return null;
        }
        if ((kind.equals(POLICY) || kind.equals(BINDING)) && !av.equals(API_VERSION)) {
            diags.error(doc.loc(), kind + " must be " + API_VERSION + " (got " + av + ")");
            return null;
        }
        if (kind.equals(POLICY) || kind.equals(BINDING)) {
            if (meta.containsKey("namespace")) {
                diags.error(doc.loc(), kind + " " + meta.get("name") + " is cluster-scoped and has no namespace");
                return null;
            }
        } else if (builtIn(av) && !Renderer.isClusterScoped(av, kind) && !(meta.get("namespace") instanceof String)) {
            // rendered as written: without a namespace it would land in whatever namespace the sync uses
            diags.error(doc.loc(), "params object " + kind + " " + meta.get("name") + " needs metadata.namespace");
            return null;
        }
        return new Document(doc.loc(), doc, body);
    }

    /** Whether an apiVersion is of the core group or a built-in one ({@code *.k8s.io} or without a dot). */
    private static boolean builtIn(String apiVersion) {
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        return !group.contains(".") || group.endsWith(".k8s.io");
    }

    /** The first minor of Kubernetes that serves ValidatingAdmissionPolicy v1. */
    static int servedSince() {
        return ApiVersions.get().introduced(API_VERSION, POLICY).orElse(30);
    }

    /**
     * The rendered platform with the admission documents added to the {@code platform/} objects
     * of every cluster that serves ValidatingAdmissionPolicy v1 (as one unit per cluster,
     * {@code <cluster>/_admission}); a warning for each cluster that does not.
     */
    public static RenderedPlatform addTo(RenderedPlatform rendered, List<Document> docs, Diagnostics diags) {
        if (docs.isEmpty()) return rendered;
        List<RenderedCluster> clusters = new ArrayList<>();
        int since = servedSince();
        long policies = docs.stream().filter(d -> d.kind().equals(POLICY)).count();
        for (RenderedCluster c : rendered.clusters()) {
            if (minor(c.cluster().kubeVersion()) < since) {
                diags.warning(docs.get(0).loc(), "admission", "cluster " + c.cluster().name() + " runs Kubernetes "
                        + c.cluster().kubeVersion() + ", which does not serve " + API_VERSION + " " + POLICY + " (1." + since
                        + " and later): the platform's " + policies + " admission polic" + (policies == 1 ? "y is" : "ies are")
                        + " neither rendered for it nor checked on its objects");
                clusters.add(c);
                continue;
            }
            List<RenderedObject> objects = new ArrayList<>(c.objects());
            String unit = c.cluster().name() + "/_admission";
            for (Document d : docs) {
                objects.add(new RenderedObject(c.cluster().name(), RenderedObject.Area.PLATFORM, null, null, null,
                        stamped(d.body()), d.loc(), d.node(), unit));
            }
            clusters.add(new RenderedCluster(c.cluster(), c.tenants(), c.appsByTenant(), c.namespacesByTenant(), objects, c.plan(), c.listens()));
        }
        return new RenderedPlatform(rendered.root(), rendered.platform(), clusters);
    }

    /** A copy of the body labelled as Plinth's, like every object it renders. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> stamped(Map<String, Object> body) {
        Map<String, Object> out = new LinkedHashMap<>(body);
        Map<String, Object> meta = new LinkedHashMap<>((Map<String, Object>) body.get("metadata"));
        Map<String, Object> labels = meta.get("labels") instanceof Map<?, ?> l ? new TreeMap<>((Map<String, Object>) l)
                : new TreeMap<>();
        labels.put(Renderer.MANAGED_BY, "plinth");
        meta.put("labels", labels);
        out.put("metadata", meta);
        return out;
    }

    static int minor(String kubeVersion) {
        return KubeVersions.minor(kubeVersion, Integer.MAX_VALUE);
    }
}
