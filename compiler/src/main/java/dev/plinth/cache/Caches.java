package dev.plinth.cache;

import dev.plinth.check.Checker;
import dev.plinth.output.OutputIndex;

import java.nio.file.Path;

/**
 * The caches a render keeps beside its output ({@code <output>.plinth-cache}): the units'
 * results with their YAML digests and object findings ({@link UnitCache}), the namespace
 * checks' findings ({@link ScopeCache}) and the writer's index of the files it wrote
 * ({@link OutputIndex}). The units, definitions, namespaces and parsed specs share one file
 * format and its rules ({@link ShardedStore}). Each plugs into its stage through the interface the stage declares
 * (render's UnitMemo, check's ScopeMemo and FindingsMemo); the spec cache ({@link SpecCache})
 * and the no-op fingerprint ({@link Fingerprint}) are read before the others, by the facade.
 * All are safe to delete, and a damaged or foreign entry is a miss.
 */
public record Caches(UnitCache units, ScopeCache scopes, OutputIndex outputs) {
    /** Remembers nothing (--full, and validate and diff of another output). */
    public static final Caches NONE = new Caches(UnitCache.disabled(), ScopeCache.disabled(), OutputIndex.none());

    /** The folder of the caches of an output: {@code <output>.plinth-cache}, beside it. */
    public static Path folderOf(Path out) {
        Path abs = out.toAbsolutePath().normalize();
        return abs.resolveSibling(abs.getFileName() + ".plinth-cache");
    }

    /** What the last render left beside this output; the output index only for a render that writes. */
    public static Caches load(Path out, boolean write) {
        Path folder = folderOf(out);
        return new Caches(UnitCache.load(folder), ScopeCache.load(folder), write ? OutputIndex.load(folder) : OutputIndex.none());
    }

    /** The object checks' findings, kept with each unit's render. */
    public Checker.FindingsMemo findings() {
        return new Checker.FindingsMemo(units::findings, units::storeFindings);
    }

    /** Writes what changed (the output index is saved by the writer, under the output's lock). */
    public void save() {
        units.save();
        scopes.save();
    }
}
