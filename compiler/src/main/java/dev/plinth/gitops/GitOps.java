package dev.plinth.gitops;

import dev.plinth.check.k8s.ClusterCrds;

import dev.plinth.definitions.JsonnetEngine;
import dev.plinth.diag.Diagnostics;
import dev.plinth.render.RenderedObject;
import dev.plinth.render.RenderedPlatform;
import dev.plinth.render.RenderedPlatform.RenderedCluster;
import dev.plinth.spec.Specs.PlatformSpec;
import dev.plinth.values.JsonValues;
import dev.plinth.yaml.YamlWriter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import dev.plinth.check.k8s.CoreModel;
import java.util.HashMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The GitOps stage: what Argo CD or Flux needs to sync the rendered tree (platform.yaml
 * {@code spec.gitops}). It marks stateful objects so the engine never prunes them, and renders
 * the engine's objects through the library's {@code platform/gitops.libsonnet} into
 * {@code gitops/}. Nothing happens without {@code spec.gitops.repoURL}.
 */
public final class GitOps {
    /**
     * Objects whose loss loses data: an engine must never prune them. A KafkaTopic is one: the
     * Topic Operator deletes the topic and its messages from Kafka when the resource goes. A
     * tenant's Namespace is one too: deleting it deletes everything in it, claims and Kafka
     * clusters included, whatever their own annotations say.
     */
    private static final Set<String> STATEFUL_KINDS = Set.of(
            "kafka.strimzi.io/Kafka", "kafka.strimzi.io/KafkaNodePool", "kafka.strimzi.io/KafkaTopic",
            "/PersistentVolumeClaim", "/Namespace");

    /** A gitops object and the file it goes to. */
    public record GitOpsObject(String file, Map<String, Object> body) {
    }

    private GitOps() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> settings(PlatformSpec platform) {
        return platform.settings().get("gitops") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    public static boolean enabled(PlatformSpec platform) {
        return settings(platform).get("repoURL") instanceof String url && !url.isBlank();
    }

    public static String engine(PlatformSpec platform) {
        return String.valueOf(settings(platform).getOrDefault("engine", "argocd"));
    }

    /** Marks stateful objects (Kafka, node pools, topics, PVCs, StatefulSets with volumes, Namespaces) as never pruned. */
    @SuppressWarnings("unchecked")
    public static void protect(RenderedPlatform rendered) {
        if (!enabled(rendered.platform())) return;
        boolean flux = engine(rendered.platform()).equals("flux");
        for (RenderedCluster c : rendered.clusters()) {
            for (RenderedObject o : c.objects()) {
                boolean stateful = STATEFUL_KINDS.contains(o.group() + "/" + o.kind())
                        || (o.kind().equals("StatefulSet") && o.body().get("spec") instanceof Map<?, ?> spec
                        && spec.get("volumeClaimTemplates") instanceof List<?> l && !l.isEmpty());
                if (!stateful) continue;
                Map<String, Object> meta = (Map<String, Object>) o.body().get("metadata");
                Map<String, Object> annotations = meta.get("annotations") instanceof Map<?, ?> a
                        ? (Map<String, Object>) a : new LinkedHashMap<>();
                if (flux) annotations.put("kustomize.toolkit.fluxcd.io/prune", "disabled");
                else annotations.put("argocd.argoproj.io/sync-options", "Prune=false,Delete=false"); // kept when removed from Git, and when its Application goes
                meta.put("annotations", annotations);
            }
        }
    }

    /** The engine's objects, or none when GitOps is not configured; errors go to diags. */
    public static List<GitOpsObject> objects(RenderedPlatform rendered, JsonnetEngine engine, ClusterCrds crds, Diagnostics diags) {
        PlatformSpec platform = rendered.platform();
        if (!enabled(platform)) return List.of();
        Map<String, Object> gitops = new LinkedHashMap<>(settings(platform));
        String kind = engine(platform);
        gitops.putIfAbsent("namespace", kind.equals("flux") ? "flux-system" : "argocd");
        List<Object> clusters = new ArrayList<>();
        for (RenderedCluster c : rendered.clusters()) {
            Map<String, String> plurals = crdPlurals(c, crds);
            Map<String, Object> cluster = new LinkedHashMap<>();
            cluster.put("name", c.cluster().name());
            cluster.put("server", c.cluster().server() == null ? "https://kubernetes.default.svc" : c.cluster().server());
            cluster.put("platform", unit(c, o -> o.area() == RenderedObject.Area.PLATFORM));
            List<Object> tenants = new ArrayList<>();
            Map<String, String> tenantOf = new HashMap<>();
            c.plan().apps().forEach(p -> tenantOf.put(p.app().name(), p.tenant().name()));
            Map<String, Integer> depths = c.plan().depths();
            for (String t : c.tenants()) {
                Map<String, Object> tenant = new LinkedHashMap<>();
                tenant.put("name", t);
                tenant.put("namespaces", c.tenantNamespaces(t));
                tenant.put("unit", unit(c, o -> o.area() == RenderedObject.Area.TENANT && t.equals(o.tenant())));
                tenant.put("customResourcesOfApps", customResources(c, t, plurals));
                List<Object> apps = new ArrayList<>();
                for (String a : c.appsByTenant().getOrDefault(t, List.of())) {
                    Map<String, Object> app = unit(c, o -> o.area() == RenderedObject.Area.APP && a.equals(o.app()) && t.equals(o.tenant()));
                    app.put("name", a);
                    // the order between apps on this cluster: whom it waits for, and how deep it is in that order
                    List<Object> dependsOn = new ArrayList<>();
                    for (String d : c.plan().dependsOn(a)) {
                        Map<String, Object> dep = new LinkedHashMap<>();
                        dep.put("name", d);
                        dep.put("tenant", tenantOf.get(d));
                        dependsOn.add(dep);
                    }
                    app.put("dependsOn", dependsOn);
                    app.put("depth", depths.getOrDefault(a, 0));
                    apps.add(app);
                }
                tenant.put("apps", apps);
                tenants.add(tenant);
            }
            cluster.put("tenants", tenants);
            clusters.add(cluster);
        }
        Map<String, Object> ctx = new LinkedHashMap<>();
        ctx.put("gitops", gitops);
        ctx.put("clusters", clusters);
        Optional<String> def = engine.library().find("platform", "gitops");
        if (def.isEmpty()) throw new IllegalStateException("the built-in library has no platform/gitops.libsonnet");
        try {
            Object result = engine.evaluate("(import \"" + def.get() + "\").render(" + JsonValues.write(ctx) + ")");
            List<GitOpsObject> out = new ArrayList<>();
            if (result instanceof List<?> list) {
                for (Object item : list) {
                    if (item instanceof Map<?, ?> m && m.get("file") instanceof String file && m.get("object") instanceof Map<?, ?> obj
                            && file.startsWith("gitops/") && !file.contains("..")) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> body = (Map<String, Object>) obj;
                        out.add(new GitOpsObject(file, body));
                    } else {
                        diags.error(platform.loc(), "gitops definition returned an entry without a file under gitops/ and an object");
                    }
                }
            }
            return out;
        } catch (JsonnetEngine.EvaluationError e) {
            diags.error(platform.loc(), "gitops: " + e.describe());
            return List.of();
        }
    }

    /** A unit's facts for the gitops definition: does it hold custom resources? */
    private static Map<String, Object> unit(RenderedCluster c, Predicate<RenderedObject> in) {
        boolean custom = c.objects().stream().filter(in).anyMatch(o -> !o.group().isEmpty() && !isBuiltIn(o.group()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("customResources", custom);
        return m;
    }

    /**
     * The custom resources a tenant's apps render on a cluster, as {group, resource} sorted and
     * unique: what the tenant's deployer must be granted beyond the built-in admin role.
     */
    private static List<Object> customResources(RenderedCluster c, String tenant, Map<String, String> plurals) {
        SortedMap<String, Map<String, Object>> out = new TreeMap<>();
        for (RenderedObject o : c.objects()) {
            if (o.area() != RenderedObject.Area.APP || !tenant.equals(o.tenant()) || o.group().isEmpty() || isBuiltIn(o.group())) continue;
            String resource = KubeRbac.resourceOf(o.kind(), plurals.get(o.group() + "/" + o.kind()));
            out.computeIfAbsent(o.group() + "/" + resource, k -> {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("group", o.group());
                r.put("resource", resource);
                return r;
            });
        }
        return new ArrayList<>(out.values());
    }

    /**
     * {@code names.plural} of the CRDs a cluster has, by "group/Kind": those of its CRD files
     * ({@code spec.crds}, {@code clusters[].crds}), then those rendered for it.
     */
    static Map<String, String> crdPlurals(RenderedCluster c, ClusterCrds crds) {
        Map<String, String> out = new HashMap<>(crds.of(c.cluster().name()).plurals());
        for (RenderedObject o : c.objects()) {
            if (!o.kind().equals("CustomResourceDefinition") || !o.group().equals("apiextensions.k8s.io")) continue;
            if (o.body().get("spec") instanceof Map<?, ?> spec && spec.get("names") instanceof Map<?, ?> names
                    && names.get("plural") instanceof String plural) {
                out.put(spec.get("group") + "/" + names.get("kind"), plural);
            }
        }
        return out;
    }

    private static boolean isBuiltIn(String group) {
        return CoreModel.get().isBuiltInGroup(group);
    }

    /** The files of gitops/, with a kustomization.yaml in every directory. */
    public static SortedMap<String, String> files(List<GitOpsObject> objects) {
        SortedMap<String, String> files = new TreeMap<>();
        Map<String, List<String>> byDir = new TreeMap<>();
        for (GitOpsObject o : objects) {
            files.put(o.file(), YamlWriter.writeObject(o.body()));
            String dir = o.file().substring(0, o.file().lastIndexOf('/'));
            byDir.computeIfAbsent(dir, k -> new ArrayList<>()).add(o.file().substring(dir.length() + 1));
            // parents list their subdirectories
            for (String d = dir; d.contains("/"); d = d.substring(0, d.lastIndexOf('/'))) {
                String parent = d.substring(0, d.lastIndexOf('/'));
                List<String> entries = byDir.computeIfAbsent(parent, k -> new ArrayList<>());
                String child = d.substring(parent.length() + 1);
                if (!entries.contains(child)) entries.add(child);
            }
        }
        byDir.forEach((dir, entries) -> {
            Map<String, Object> k = new LinkedHashMap<>();
            k.put("apiVersion", "kustomize.config.k8s.io/v1beta1");
            k.put("kind", "Kustomization");
            k.put("resources", new TreeSet<>(entries).stream().toList());
            files.put(dir + "/kustomization.yaml", YamlWriter.writeObject(k));
        });
        return files;
    }
}
