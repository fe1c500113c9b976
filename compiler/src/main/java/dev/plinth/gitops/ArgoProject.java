package dev.plinth.gitops;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What an Argo CD AppProject admits, read the way Argo CD reads it (argo-cd
 * {@code pkg/apis/application/v1alpha1}: {@code IsSourcePermitted}, {@code IsDestinationPermitted},
 * {@code IsGroupKindNamePermitted}; learned from Argo CD's source and tests, not shared with
 * Plinth's generator).
 *
 * <ul>
 *   <li>Sources: the app's repository URL, normalized (lowercase, no {@code .git}, scp-style SSH
 *   URLs as {@code git@host/path}), must match some {@code sourceRepos} pattern (a glob with
 *   {@code /} as separator) and no {@code !pattern} may fail to match it.</li>
 *   <li>Destinations: some {@code destinations} entry matches the server (or the cluster name)
 *   and the namespace (globs, {@code *} matches everything, the empty namespace only an empty or
 *   {@code *} pattern); a deny entry ({@code !} on server, name or namespace) that does not match
 *   refuses as Argo CD's loop does.</li>
 *   <li>Group and kind: namespaced objects need the whitelist absent (null) or non-empty and
 *   matching, and no blacklist entry matching; cluster-scoped ones need a non-empty, matching
 *   {@code clusterResourceWhitelist} entry (with an optional name pattern) and no matching
 *   blacklist entry. Group, kind and name patterns are Go {@code filepath.Match} patterns.</li>
 * </ul>
 *
 * <p>Whitelists keep the difference between absent and empty: Argo CD admits every namespaced
 * kind when {@code namespaceResourceWhitelist} is absent and none when it is {@code []}.
 */
record ArgoProject(String name, List<String> sourceRepos, List<Destination> destinations,
                   List<GroupKind> namespaceWhitelist, List<GroupKind> namespaceBlacklist,
                   List<GroupKind> clusterWhitelist, List<GroupKind> clusterBlacklist) {

    /** A destination entry; empty strings for fields not given. */
    record Destination(String server, String name, String namespace) {
    }

    /** A group/kind entry of an allow or deny list; {@code name} only for cluster-scoped ones ("" for all). */
    record GroupKind(String group, String kind, String name) {
        @Override
        public String toString() {
            return (group.isEmpty() ? "\"\"" : group) + "/" + kind + (name.isEmpty() ? "" : " named " + name);
        }
    }

    static ArgoProject of(Map<?, ?> body) {
        Map<?, ?> meta = body.get("metadata") instanceof Map<?, ?> m ? m : Map.of();
        Map<?, ?> spec = body.get("spec") instanceof Map<?, ?> s ? s : Map.of();
        List<String> repos = new ArrayList<>();
        if (spec.get("sourceRepos") instanceof List<?> l) for (Object o : l) repos.add(text(o));
        List<Destination> dests = new ArrayList<>();
        if (spec.get("destinations") instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Map<?, ?> d) dests.add(new Destination(text(d.get("server")), text(d.get("name")), text(d.get("namespace"))));
            }
        }
        return new ArgoProject(text(meta.get("name")), repos, dests,
                groupKinds(spec.get("namespaceResourceWhitelist"), false), groupKinds(spec.get("namespaceResourceBlacklist"), false),
                groupKinds(spec.get("clusterResourceWhitelist"), true), groupKinds(spec.get("clusterResourceBlacklist"), true));
    }

    /** Null when the list is absent (not when it is empty). */
    private static List<GroupKind> groupKinds(Object value, boolean named) {
        if (!(value instanceof List<?> l)) return null;
        List<GroupKind> out = new ArrayList<>();
        for (Object o : l) {
            if (o instanceof Map<?, ?> m) out.add(new GroupKind(text(m.get("group")), text(m.get("kind")), named ? text(m.get("name")) : ""));
        }
        return out;
    }

    private static String text(Object v) {
        return v == null ? "" : String.valueOf(v);
    }

    // ---- sources

    private static final Pattern SSH_URL = Pattern.compile("^(ssh://)?([^/:]*?)@[^@]+$");

    boolean sourcePermitted(String repoURL) {
        String src = normalizeGitUrl(repoURL);
        boolean any = false;
        for (String pattern : sourceRepos) {
            boolean deny = pattern.startsWith("!");
            String normalized = deny ? "!" + normalizeGitUrl(pattern.substring(1)) : normalizeGitUrl(pattern);
            boolean matched = globMatch(normalized, src, '/');
            if (matched) any = true;
            else if (deny) return false;
        }
        return any;
    }

    /**
     * Argo CD's comparison form of a Git URL: trimmed, lowercase, an scp-style SSH URL
     * ({@code git@host:path}) as {@code git@host/path}, no {@code ssh://} and no {@code .git}.
     */
    static String normalizeGitUrl(String repo) {
        String r = repo.trim().toLowerCase(Locale.ROOT);
        if (SSH_URL.matcher(r).matches() && !r.startsWith("ssh://")) {
            r = "ssh://" + r.replaceFirst(":", "/");
        }
        if (r.endsWith(".git")) r = r.substring(0, r.length() - 4);
        return r.startsWith("ssh://") ? r.substring("ssh://".length()) : r;
    }

    // ---- destinations

    /**
     * Is a destination (server and/or cluster name as Argo CD knows the cluster, "" when unknown,
     * and a namespace, "" for none) permitted?
     */
    boolean destinationPermitted(String server, String clusterName, String namespace) {
        boolean any = false;
        for (Destination d : destinations) {
            boolean nameMatched = !clusterName.isEmpty() && globMatch(d.name(), clusterName);
            boolean serverMatched = !server.isEmpty() && globMatch(d.server(), server);
            boolean namespaceMatched = globMatch(d.namespace(), namespace);
            if ((serverMatched || nameMatched) && namespaceMatched) {
                any = true;
            } else if ((!nameMatched && isDeny(d.name())) || (!serverMatched && isDeny(d.server()) && namespaceMatched)) {
                // as in Argo CD's loop: a deny on the name refuses whatever the namespace, one on the server only where the namespace matched
                return false;
            } else if (!namespaceMatched && isDeny(d.namespace()) && serverMatched) {
                return false;
            }
        }
        return any;
    }

    // ---- group and kind

    boolean groupKindPermitted(String group, String kind, String objectName, boolean namespaced) {
        if (namespaced) {
            boolean white = namespaceWhitelist == null || (!namespaceWhitelist.isEmpty() && inList(group, kind, null, namespaceWhitelist));
            boolean black = namespaceBlacklist != null && !namespaceBlacklist.isEmpty() && inList(group, kind, null, namespaceBlacklist);
            return white && !black;
        }
        boolean white = clusterWhitelist != null && !clusterWhitelist.isEmpty() && inList(group, kind, objectName, clusterWhitelist);
        boolean black = clusterBlacklist != null && !clusterBlacklist.isEmpty() && inList(group, kind, objectName, clusterBlacklist);
        return white && !black;
    }

    /** The entry of a list that matches, for messages; null when none does. */
    static GroupKind matching(String group, String kind, String objectName, List<GroupKind> list) {
        if (list == null) return null;
        for (GroupKind g : list) {
            if (!Globs.pathMatch(g.kind(), kind) || !Globs.pathMatch(g.group(), group)) continue;
            if (objectName != null && !g.name().isEmpty() && !Globs.pathMatch(g.name(), objectName)) continue;
            return g;
        }
        return null;
    }

    private static boolean inList(String group, String kind, String objectName, List<GroupKind> list) {
        return matching(group, kind, objectName, list) != null;
    }

    // ---- Argo CD's globMatch: negation, "*" for everything, else a glob

    private static boolean globMatch(String pattern, String value, char... separators) {
        if (isDeny(pattern)) return !Globs.glob(pattern.substring(1), value, separators);
        if (pattern.equals("*")) return true;
        return Globs.glob(pattern, value, separators);
    }

    private static boolean isDeny(String pattern) {
        return pattern.startsWith("!");
    }
}
