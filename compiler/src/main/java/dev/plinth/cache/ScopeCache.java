package dev.plinth.cache;

import dev.plinth.check.Checker;
import dev.plinth.definitions.Library;

import java.nio.file.Path;

/**
 * The findings of the namespace checks per (cluster, check, namespace) from the previous render,
 * in the caches' one format ({@link ShardedStore}, folder {@code scopes/}): a line
 * {@code cluster SP check SP namespace TAB key TAB findings} each, the key covering the
 * namespace's objects and the cluster's spec. Safe to delete; a render keeps the entries it
 * looked up or stored and drops the others.
 */
public final class ScopeCache implements Checker.ScopeMemo {
    private static final String FORMAT = "plinth-scope-cache/2";
    private static final int SHARDS = 4;

    private final ShardedStore store;

    private ScopeCache(ShardedStore store) {
        this.store = store;
    }

    /** A cache that remembers nothing: every namespace is checked. */
    public static ScopeCache disabled() {
        return new ScopeCache(ShardedStore.disabled());
    }

    public static ScopeCache load(Path cacheDir) {
        return new ScopeCache(ShardedStore.load(cacheDir.resolve("scopes"), FORMAT + " " + Library.builtinFingerprint(), SHARDS));
    }

    @Override
    public boolean enabled() {
        return store.enabled();
    }

    /** The entry's name: cluster names, check ids and namespace names have no spaces. */
    private static String id(String cluster, String check, String scope) {
        return cluster + " " + check + " " + scope;
    }

    @Override
    public String kept(String cluster, String check, String scope, String key) {
        ShardedStore.Line line = store.previous(id(cluster, check, scope));
        if (line == null) return null;
        String[] f = line.fields();
        if (f.length != 2 || !f[0].equals(key)) return null;
        store.keep(id(cluster, check, scope), line);
        return f[1];
    }

    @Override
    public void keep(String cluster, String check, String scope, String key, String findings) {
        String id = id(cluster, check, scope);
        String line = id + "\t" + key + "\t" + findings;
        if (id.indexOf('\t') >= 0 || line.indexOf('\n') >= 0 || key.indexOf('\t') >= 0 || findings.indexOf('\t') >= 0) return;
        store.put(id, line);
    }

    /** Writes the entries of this render, where they differ from the previous render's. */
    public void save() {
        store.save();
    }
}
