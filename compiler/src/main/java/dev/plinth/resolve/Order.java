package dev.plinth.resolve;

import dev.plinth.diag.Diagnostics;
import dev.plinth.diag.Loc;
import dev.plinth.resolve.ResolvedPlatform.Link;
import dev.plinth.resolve.ResolvedPlatform.Links;
import dev.plinth.resolve.ResolvedPlatform.PlacedApp;
import dev.plinth.spec.Specs.AppSpec;
import dev.plinth.spec.Specs.ComponentSpec;
import dev.plinth.spec.Specs.Dependency;
import dev.plinth.spec.Specs.Use;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The order between apps: an app is synced after the apps its {@code spec.dependsOn} names and
 * the apps its components use. Checked once per environment (every name exists, no cycle), then
 * restricted to each cluster: a dependency that is not placed on the cluster is no dependency
 * there (engines order units within a cluster only).
 */
final class Order {
    private Order() {
    }

    /**
     * Checks an environment's apps: a {@code dependsOn} entry names an app of the environment, and
     * no chain of dependsOn and uses returns to where it started (an error at the entry that closes
     * the cycle, the one into the app that sorts first in it, so each cycle is reported once).
     *
     * @return false when a cycle was reported (the per-cluster order is then not computed)
     */
    static boolean check(Map<String, AppSpec> apps, String environment, Diagnostics diags) {
        // edges in spec order: dependsOn entries first, then uses; the first of a pair keeps its line
        Map<String, Map<String, Loc>> edges = new TreeMap<>();
        for (AppSpec app : apps.values()) {
            Map<String, Loc> out = edges.computeIfAbsent(app.name(), k -> new LinkedHashMap<>());
            for (Dependency d : app.dependsOn()) {
                if (!apps.containsKey(d.app())) {
                    diags.error(d.loc(), "application '" + app.name() + "' depends on app '" + d.app()
                            + "', which does not exist in environment '" + environment + "'");
                } else {
                    out.putIfAbsent(d.app(), d.loc());
                }
            }
            for (ComponentSpec c : app.components()) {
                for (Use u : c.uses()) {
                    // a use of an unknown app is reported by Uses, on each cluster
                    if (u.app() != null && !u.app().equals(app.name()) && apps.containsKey(u.app())) {
                        out.putIfAbsent(u.app(), u.appLoc() == null ? u.loc() : u.appLoc());
                    }
                }
            }
        }
        boolean acyclic = true;
        Set<String> done = new HashSet<>();
        for (String start : edges.keySet()) {
            if (!done.contains(start)) acyclic &= visit(start, new ArrayList<>(), done, edges, diags);
        }
        return acyclic;
    }

    private static boolean visit(String app, List<String> path, Set<String> done, Map<String, Map<String, Loc>> edges,
                                 Diagnostics diags) {
        path.add(app);
        boolean acyclic = true;
        for (String next : edges.getOrDefault(app, Map.of()).keySet()) {
            int at = path.indexOf(next);
            if (at >= 0) {
                reportCycle(new ArrayList<>(path.subList(at, path.size())), edges, diags);
                acyclic = false;
            } else if (!done.contains(next)) {
                acyclic &= visit(next, path, done, edges, diags);
            }
        }
        path.remove(path.size() - 1);
        done.add(app);
        return acyclic;
    }

    /** @param cycle the apps of the cycle, each once, each depending on the next and the last on the first */
    private static void reportCycle(List<String> cycle, Map<String, Map<String, Loc>> edges, Diagnostics diags) {
        int first = cycle.indexOf(new TreeSet<>(cycle).first());
        List<String> rotated = new ArrayList<>(cycle.subList(first, cycle.size()));
        rotated.addAll(cycle.subList(0, first));
        String last = rotated.get(rotated.size() - 1);
        rotated.add(rotated.get(0));
        diags.error(edges.get(last).get(rotated.get(0)), "cycle in the order of apps (dependsOn and uses): "
                + String.join(" -> ", rotated));
    }

    /** For each app placed on a cluster, the placed apps it depends on there, sorted; apps with none are left out. */
    static Map<String, List<String>> onCluster(List<PlacedApp> placed, Map<String, Links> links) {
        Set<String> here = new HashSet<>();
        for (PlacedApp p : placed) here.add(p.app().name());
        Map<String, Set<String>> deps = new HashMap<>();
        for (PlacedApp p : placed) {
            for (Dependency d : p.app().dependsOn()) {
                if (here.contains(d.app())) deps.computeIfAbsent(p.app().name(), k -> new TreeSet<>()).add(d.app());
            }
        }
        for (Links l : links.values()) {
            for (Link link : l.out()) {
                String from = link.source().app().name();
                String to = link.target().app().name();
                if (!from.equals(to)) deps.computeIfAbsent(from, k -> new TreeSet<>()).add(to);
            }
        }
        Map<String, List<String>> out = new TreeMap<>();
        deps.forEach((app, d) -> out.put(app, List.copyOf(d)));
        return out;
    }
}
