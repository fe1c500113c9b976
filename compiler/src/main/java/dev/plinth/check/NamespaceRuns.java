package dev.plinth.check;

import dev.plinth.render.RenderedObject;
import dev.plinth.render.RenderedPlatform.RenderedCluster;
import dev.plinth.values.JsonValues;
import dev.plinth.values.Strings;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A {@link NamespaceCheck} run one namespace at a time, and what is kept of each run, so that
 * after a small change only the namespaces it touched are checked again. A namespace check is
 * given a namespace's objects after the cluster-scoped ones, so what it finds about the
 * namespace's own objects depends on nothing else; the cluster-scoped objects are a scope of
 * their own ("").
 *
 * <p>What a scope's findings depend on is its key: the objects it is run over (their unit,
 * place in the output and YAML digest, which stands for their content, and the spec line they
 * come from, which messages may quote) and the cluster's spec ({@link ClusterSpec#fingerprint}).
 * Findings are kept before waivers and placing, as the object checks' are, and replayed
 * through today's.
 */
final class NamespaceRuns {
    private NamespaceRuns() {
    }

    /**
     * A namespace ("" for the cluster-scoped objects) of a cluster: its own objects, and the
     * objects a check runs over for it (the cluster-scoped ones, then its own).
     */
    record Scope(String name, List<RenderedObject> own, List<RenderedObject> view) {
    }

    /** The scopes of a cluster, in order of their first object. */
    static List<Scope> of(RenderedCluster cluster) {
        List<RenderedObject> clusterScoped = new ArrayList<>();
        Map<String, List<RenderedObject>> byNamespace = new LinkedHashMap<>();
        for (RenderedObject o : cluster.objects()) {
            String ns = o.namespace();
            if (ns == null) clusterScoped.add(o);
            else byNamespace.computeIfAbsent(ns, k -> new ArrayList<>()).add(o);
        }
        List<Scope> scopes = new ArrayList<>();
        scopes.add(new Scope("", clusterScoped, clusterScoped));
        byNamespace.forEach((ns, own) -> {
            // the cluster-scoped objects first: where they stand among a namespace's in the
            // cluster's order changes nothing a check finds (they are never in the same namespace)
            List<RenderedObject> view = new ArrayList<>(clusterScoped.size() + own.size());
            view.addAll(clusterScoped);
            view.addAll(own);
            scopes.add(new Scope(ns, own, view));
        });
        return scopes;
    }

    /**
     * The keys of a cluster's scopes' findings (null where an object's YAML digest is not known):
     * the context, the cluster-scoped objects and the scope's own objects. Where the two kinds of
     * object interleave in the cluster's order does not change what a check finds.
     */
    static List<String> keys(String context, List<Scope> scopes, Function<RenderedObject, String> digestOf) {
        String clusterScoped = key(context, null, scopes.get(0), digestOf);
        List<String> keys = new ArrayList<>();
        keys.add(clusterScoped);
        for (Scope scope : scopes.subList(1, scopes.size())) keys.add(key(context, clusterScoped, scope, digestOf));
        return keys;
    }

    /**
     * One scope's key, given the key of the cluster-scoped objects' scope (null for that scope
     * itself, which comes first in {@link #of}).
     */
    static String key(String context, String clusterScopedKey, Scope scope, Function<RenderedObject, String> digestOf) {
        if (!scope.name().isEmpty() && clusterScopedKey == null) return null;
        StringBuilder sb = new StringBuilder(128 + 160 * scope.own().size()) // about a line per object
                .append(context).append('\n').append(clusterScopedKey).append('\n');
        for (RenderedObject o : scope.own()) {
            String digest = digestOf.apply(o);
            if (digest == null) return null;
            sb.append(o.unit()).append('\t').append(o.area()).append('\t').append(o.tenant()).append('\t').append(o.app())
                    .append('\t').append(o.component()).append('\t').append(digest).append('\t').append(o.source()).append('\n');
        }
        return Strings.checksum(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** A scope's findings (each about one of its own objects, by index) and quota usage. */
    record Kept(List<Findings.Recorded> findings, List<QuotaUsage> usage) {
    }

    /** Runs a check over a scope, recording what it finds about the scope's own objects. */
    static Kept run(NamespaceCheck check, Scope scope, ClusterSpec spec, CheckContext context) {
        Map<RenderedObject, Integer> index = new IdentityHashMap<>();
        for (int i = 0; i < scope.own().size(); i++) index.put(scope.own().get(i), i);
        List<Findings.Recorded> recorded = new ArrayList<>();
        List<QuotaUsage> usage = new ArrayList<>();
        check.check(new NamespaceView(scope.name(), scope.view(), spec), new CheckContext(context.core(), context.crds(), context.apiVersions(), context.operators(), usage),
                Findings.recorder(recorded, index));
        return new Kept(recorded, usage);
    }

    /** Reports kept findings about the scope's objects and adds the kept quota usage. */
    static void replay(Kept kept, Scope scope, Findings findings, List<QuotaUsage> usage) {
        for (Findings.Recorded r : kept.findings()) findings.replay(r, scope.own().get(r.object()));
        usage.addAll(kept.usage());
    }

    /** Kept findings and usage as JSON on one line. */
    static String encode(Kept kept) {
        List<Object> rows = new ArrayList<>();
        for (Findings.Recorded r : kept.findings()) rows.add(r.row());
        List<Object> usage = new ArrayList<>();
        for (QuotaUsage u : kept.usage()) {
            usage.add(List.of(u.cluster(), u.namespace(), u.resource(), u.used().toString(), u.hard().toString()));
        }
        return JsonValues.write(List.of(rows, usage));
    }

    /** What {@link #encode} wrote, or null when it cannot be read or does not fit the scope. */
    static Kept decode(String text, Scope scope) {
        try {
            if (!(JsonValues.read(text) instanceof List<?> parts) || parts.size() != 2
                    || !(parts.get(1) instanceof List<?> usageRows)) {
                return null;
            }
            List<Findings.Recorded> findings = Checker.rows(parts.get(0), scope.own().size());
            if (findings == null) return null;
            List<QuotaUsage> usage = new ArrayList<>();
            for (Object row : usageRows) {
                if (!(row instanceof List<?> u) || u.size() != 5) return null;
                usage.add(new QuotaUsage(text(u.get(0)), text(u.get(1)), text(u.get(2)), new BigDecimal(text(u.get(3))),
                        new BigDecimal(text(u.get(4)))));
            }
            return new Kept(findings, usage);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String text(Object v) {
        return v == null ? null : String.valueOf(v);
    }
}
