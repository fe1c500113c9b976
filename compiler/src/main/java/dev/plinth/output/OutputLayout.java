package dev.plinth.output;

import dev.plinth.concurrent.Parallel;
import dev.plinth.render.RenderedObject;
import dev.plinth.render.RenderedPlatform;
import dev.plinth.render.RenderedPlatform.RenderedCluster;
import dev.plinth.yaml.YamlWriter;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.IdentityHashMap;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Lays rendered objects out as files (docs/spec.md, Output): one object per file named
 * {@code <kind>-<name>.yaml}, and a {@code kustomization.yaml} in every directory of a cluster.
 * When two objects of a directory would share a file name (the same kind and name in two
 * namespaces of a tenant), both are named {@code <kind>-<namespace>-<name>.yaml}.
 */
public final class OutputLayout {
    public static final String KUSTOMIZE_API = "kustomize.config.k8s.io/v1beta1";

    private OutputLayout() {
    }

    /**
     * Entry point of the stage.
     *
     * @param jobs       threads that write objects as YAML
     * @param digestSink told the digest ({@link OutputFile.Digest}) of the YAML of every unit's
     *                   objects, in order, so the render cache can keep them for when the unit
     *                   does not change
     */
    public static SortedMap<String, OutputFile> files(RenderedPlatform rendered, int jobs, Function<RenderedObject, String> knownDigests,
                                                      BiConsumer<String, List<String>> digestSink) {
        // each object's text once, unless the cache knows its digest (then only if the writer needs it)
        List<RenderedObject> toWrite = new ArrayList<>();
        for (RenderedCluster c : rendered.clusters()) {
            for (RenderedObject o : c.objects()) if (knownDigests.apply(o) == null) toWrite.add(o);
        }
        List<OutputFile> written = Parallel.map(toWrite, jobs, o -> {
            OutputFile f = OutputFile.of(YamlWriter.writeObject(o.body()));
            f.digest(); // on this thread, while the text is at hand
            return f;
        });
        Map<RenderedObject, OutputFile> writtenByObject = new IdentityHashMap<>();
        for (int i = 0; i < toWrite.size(); i++) writtenByObject.put(toWrite.get(i), written.get(i));
        // the clusters' directories are apart: laid out on several threads, then put together
        List<SortedMap<String, OutputFile>> byCluster = Parallel.map(rendered.clusters(), jobs, c -> {
            SortedMap<String, OutputFile> files = new TreeMap<>();
            addCluster(files, c, writtenByObject, knownDigests, digestSink);
            return files;
        });
        SortedMap<String, OutputFile> files = new TreeMap<>();
        byCluster.forEach(files::putAll);
        return files;
    }


    /** Where each object's file goes, by object (identity), for every object of the render. */
    public static Map<RenderedObject, String> paths(RenderedPlatform rendered) {
        Map<RenderedObject, String> out = new IdentityHashMap<>();
        for (RenderedCluster c : rendered.clusters()) {
            String base = clusterDir(c.cluster().name());
            Map<String, List<RenderedObject>> byDir = new TreeMap<>();
            for (RenderedObject o : c.objects()) byDir.computeIfAbsent(dirOf(base, o), k -> new ArrayList<>()).add(o);
            byDir.forEach((dir, objects) -> fileNames(objects).forEach((name, o) -> out.put(o, dir + "/" + name)));
        }
        return out;
    }

    /** The directory of the output tree an object's file goes to (its unit's: platform, _tenant or the app's). */
    public static String dirOf(RenderedObject o) {
        return dirOf(clusterDir(o.cluster()), o);
    }

    private static String dirOf(String clusterDir, RenderedObject o) {
        return switch (o.area()) {
            case PLATFORM -> clusterDir + "platform";
            case TENANT -> clusterDir + "tenants/" + o.tenant() + "/_tenant";
            case APP -> clusterDir + "tenants/" + o.tenant() + "/apps/" + o.app();
        };
    }

    /** The directory prefix a cluster's files live under. */
    public static String clusterDir(String cluster) {
        return "clusters/" + cluster + "/";
    }

    private static void addCluster(SortedMap<String, OutputFile> files, RenderedCluster c, Map<RenderedObject, OutputFile> written,
                                   Function<RenderedObject, String> knownDigests, BiConsumer<String, List<String>> digestSink) {
        Map<RenderedObject, OutputFile> texts = new IdentityHashMap<>();
        Map<String, List<String>> byUnit = new LinkedHashMap<>();
        for (RenderedObject o : c.objects()) {
            String knownDigest = knownDigests.apply(o);
            OutputFile.Digest known = knownDigest == null ? null : OutputFile.Digest.parse(knownDigest);
            OutputFile f = known != null ? OutputFile.known(known, () -> YamlWriter.writeObject(o.body())) : written.get(o);
            texts.put(o, f);
            byUnit.computeIfAbsent(o.unit(), k -> new ArrayList<>()).add(f.digest().toString());
        }
        byUnit.forEach(digestSink);
        String base = clusterDir(c.cluster().name());
        Map<String, List<RenderedObject>> byDir = new TreeMap<>();
        byDir.put(base + "platform", new ArrayList<>());
        for (String t : c.tenants()) {
            byDir.put(base + "tenants/" + t + "/_tenant", new ArrayList<>());
            for (String app : c.appsByTenant().getOrDefault(t, List.of())) {
                byDir.put(base + "tenants/" + t + "/apps/" + app, new ArrayList<>());
            }
        }
        for (RenderedObject o : c.objects()) byDir.get(dirOf(base, o)).add(o);
        for (Map.Entry<String, List<RenderedObject>> e : byDir.entrySet()) {
            List<String> names = new ArrayList<>();
            for (Map.Entry<String, RenderedObject> f : fileNames(e.getValue()).entrySet()) {
                files.put(e.getKey() + "/" + f.getKey(), texts.get(f.getValue()));
                names.add(f.getKey());
            }
            files.put(e.getKey() + "/kustomization.yaml", OutputFile.of(kustomization(names)));
        }
        // tenants/<t>/apps, tenants/<t>, tenants/, and the cluster root
        List<String> tenantDirs = new ArrayList<>();
        for (String t : c.tenants()) {
            List<String> apps = c.appsByTenant().getOrDefault(t, List.of());
            files.put(base + "tenants/" + t + "/apps/kustomization.yaml", OutputFile.of(kustomization(apps)));
            files.put(base + "tenants/" + t + "/kustomization.yaml", OutputFile.of(kustomization(List.of("_tenant", "apps"))));
            tenantDirs.add("tenants/" + t);
        }
        files.put(base + "tenants/kustomization.yaml", OutputFile.of(kustomization(new ArrayList<>(c.tenants()))));
        List<String> root = new ArrayList<>();
        root.add("platform");
        root.addAll(tenantDirs);
        files.put(base + "kustomization.yaml", OutputFile.of(kustomization(root)));
    }

    private static SortedMap<String, RenderedObject> fileNames(List<RenderedObject> objects) {
        Map<String, Integer> counts = new HashMap<>();
        for (RenderedObject o : objects) counts.merge(simpleName(o), 1, Integer::sum);
        SortedMap<String, RenderedObject> out = new TreeMap<>();
        for (RenderedObject o : objects) {
            String name = simpleName(o);
            if (counts.get(name) > 1 && o.namespace() != null) name = kind(o) + "-" + o.namespace() + "-" + o.name() + ".yaml";
            if (out.containsKey(name)) name = kind(o) + "-" + o.group().replace('.', '-') + "-" + o.name() + ".yaml";
            if (name.contains("/") || name.contains("\\") || name.startsWith(".")) {
                throw new IllegalStateException("unsafe file name " + name); // the render stage rejects such kinds and names
            }
            out.put(name, o);
        }
        return out;
    }

    private static String simpleName(RenderedObject o) {
        return kind(o) + "-" + o.name() + ".yaml";
    }

    private static String kind(RenderedObject o) {
        return o.kind().toLowerCase(Locale.ROOT);
    }

    private static String kustomization(List<String> resources) {
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("apiVersion", KUSTOMIZE_API);
        k.put("kind", "Kustomization");
        k.put("resources", resources);
        return YamlWriter.writeObject(k);
    }
}
