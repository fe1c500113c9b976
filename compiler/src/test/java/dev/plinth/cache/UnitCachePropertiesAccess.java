package dev.plinth.cache;


/** {@link UnitCache#parse} for property tests of other packages. */
public final class UnitCachePropertiesAccess {
    private UnitCachePropertiesAccess() {
    }

    public static int parse(String text, String version) {
        return UnitCache.parse(text, version).size();
    }
}
