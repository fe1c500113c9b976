package dev.plinth.check.k8s;

import dev.plinth.diag.Diagnostics;
import dev.plinth.spec.Specs.Cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.HashMap;

/**
 * The CRDs each cluster's custom resources are validated against: the platform's
 * ({@code spec.crds}, {@code --crds}), where a cluster's own files ({@code clusters[].crds})
 * replace the kinds they define. A fleet with Strimzi 0.46 on one cluster and 1.2 on another
 * checks each against its own CRDs.
 */
public record ClusterCrds(CrdSchemas platform, Map<String, CrdSchemas> own) {
    public ClusterCrds {
        own = Collections.unmodifiableMap(new TreeMap<>(own));
    }

    /**
     * Loads the CRDs of every cluster that names some; paths are relative to the root (the spec
     * loader has kept them inside it, as {@code spec.crds}). Clusters that name the
     * same paths share one set (read and compiled once). Problems (a missing path, two different
     * CRDs of one kind in one cluster's files) go to {@code diags} at the cluster's {@code crds} line.
     */
    public static ClusterCrds load(Path root, CrdSchemas platform, List<Cluster> clusters, Diagnostics diags) {
        Path base = root.toAbsolutePath().normalize();
        Map<String, CrdSchemas> own = new TreeMap<>();
        Map<List<Path>, CrdSchemas> byPaths = new HashMap<>();
        for (Cluster c : clusters) {
            if (c.crds().isEmpty() || own.containsKey(c.name())) continue;
            List<Path> paths = new ArrayList<>();
            for (String p : c.crds()) paths.add(base.resolve(p).normalize());
            CrdSchemas shared = byPaths.get(paths);
            if (shared == null) {
                shared = platform.withClusterCrds(base, paths, c.name(), c.crdsLoc(), diags);
                byPaths.put(paths, shared);
            }
            own.put(c.name(), shared);
        }
        return new ClusterCrds(platform, own);
    }

    public CrdSchemas of(String cluster) {
        return own.getOrDefault(cluster, platform);
    }

    /** "group/Kind" of the kinds some cluster's CRDs (or the platform's) say are cluster-scoped. */
    public Set<String> clusterScopedKinds() {
        Set<String> all = new TreeSet<>(platform.clusterScopedKinds());
        own.values().forEach(c -> all.addAll(c.clusterScopedKinds()));
        return all;
    }
}
