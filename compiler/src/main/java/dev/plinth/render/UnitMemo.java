package dev.plinth.render;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the render stage asks of a cache of unit results (the render cache, in the cache
 * package, implements it): a unit's result or objects when its program and every library file
 * it imported are unchanged, and its YAML digests from the emit stage. The stage works the same
 * with {@link #NONE}, only slower.
 */
public interface UnitMemo {
    /** Remembers nothing: every unit is evaluated. */
    UnitMemo NONE = new UnitMemo() {
    };

    /**
     * A unit's objects as kept when its render reported nothing: which part of its result each
     * came from ({@code source}: -1 for the component, else the index of the trait; for a
     * tenant 0 for its own objects, 1 for the platform's), its identity, and its body as
     * stamped, read only when asked for. A body that cannot be read throws {@link Unreadable}.
     */
    record KeptObject(int source, RenderedObject.Identity identity, Supplier<Map<String, Object>> body) {
    }

    /** What {@link #lookup} returns for a unit kept as objects. */
    record KeptObjects(List<KeptObject> objects) {
    }

    /**
     * A kept object's body turned out unreadable after its unit was taken from the cache (the
     * file checksums make this a matter of bugs, not of disks): the renderer evaluates the unit
     * again and takes the body from that, so it is a miss like any other.
     */
    final class Unreadable extends RuntimeException {
        public Unreadable(String message) {
            super(message);
        }
    }

    /**
     * The previous render's result of the program {@code head + data} (its JSON value, or
     * {@link KeptObjects}), or null when the program or any library file it imported changed
     * ({@code currentHash} gives a library file's content hash).
     */
    default Object lookup(String unit, String head, String data, Function<String, String> currentHash) {
        return null;
    }

    /** Keeps a unit's result (a unit whose render reported something is checked again each time). */
    default void store(String unit, String program, SortedMap<String, String> imports, Object result) {
    }

    /** Keeps a unit's objects instead of its result; false when they cannot be kept (then the result is). */
    default boolean storeObjects(String unit, String program, SortedMap<String, String> imports, List<KeptObject> objects) {
        return true;
    }

    /** A unit taken from the cache turned out not to fit: its entry goes, and it is evaluated again. */
    default void forget(String unit) {
    }

    /** The digests of the YAML of a unit's objects from the previous render, after a hit; else null. */
    default List<String> yamlDigests(String unit) {
        return null;
    }

    /** Remembers the digests of the YAML the emit stage produced for a unit's objects. */
    default void storeYamlDigests(String unit, List<String> digests) {
    }

    /** A definition's metadata from the previous render, or null when its file or an import changed. */
    default Object lookupDefinition(String path, Function<String, String> currentHash) {
        return null;
    }

    default void storeDefinition(String path, SortedMap<String, String> imports, Object metadata) {
    }
}
