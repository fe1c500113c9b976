package dev.plinth.cache;


/** {@link ShardedStore#parse} for property tests of other packages. */
public final class UnitCachePropertiesAccess {
    private UnitCachePropertiesAccess() {
    }

    public static int parse(String text, String version) {
        return ShardedStore.parse(text, version).size();
    }
}
