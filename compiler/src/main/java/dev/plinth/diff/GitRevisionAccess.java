package dev.plinth.diff;

import java.nio.file.Path;

/** The entry point of {@link GitRevision} for the compiler. */
public final class GitRevisionAccess {
    /** A revision written out: its commit id, and the platform root inside the copy. */
    public record Extracted(String commit, Path root) {
    }

    private GitRevisionAccess() {
    }

    /** Writes the repository at {@code ref} into {@code target}, leaving out repository-relative paths {@code skip} accepts. */
    public static Extracted extract(Path root, String ref, Path target, java.util.function.Predicate<String> skip) {
        return GitRevision.extract(root, ref, target, skip);
    }
}
