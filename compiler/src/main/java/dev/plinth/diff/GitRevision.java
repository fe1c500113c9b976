package dev.plinth.diff;

import dev.plinth.diag.Loc;
import dev.plinth.diag.PlinthException;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.errors.AmbiguousObjectException;
import org.eclipse.jgit.errors.RevisionSyntaxException;

/**
 * The platform as it was at a Git revision, read from the repository's objects with JGit: no
 * checkout, no change to the working tree, no network.
 */
public final class GitRevision {
    /** A revision written out: its commit id, and the platform root inside the copy. */
    public record Extracted(String commit, Path root) {
    }

    private GitRevision() {
    }

    /**
     * Writes the repository's files as of {@code ref} into {@code target}, leaving out the
     * directory {@code output} (the committed output, which the render neither reads nor needs);
     * the platform root sits at the same place inside it as in the working tree, so paths that
     * leave the root (like {@code ../crds}) still resolve. Returns the commit id and where the
     * platform root is.
     */
    public static Extracted extract(Path root, String ref, Path target, Path output) {
        FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(root.toFile());
        if (builder.getGitDir() == null) {
            throw PlinthException.of(Loc.file("."), "cannot diff against " + ref + ": " + root + " is not in a Git repository");
        }
        try (Repository repo = builder.build(); RevWalk walk = new RevWalk(repo)) {
            ObjectId id;
            try {
                id = repo.resolve(ref);
            } catch (RevisionSyntaxException | AmbiguousObjectException e) {
                throw PlinthException.of(Loc.file("."), "cannot resolve revision '" + ref + "': " + e.getMessage()
                        + " (use a branch, tag, commit id or REV~N)");
            }
            if (id == null) {
                String hint = repo.getObjectDatabase().getShallowCommits().isEmpty() ? ""
                        : " (this is a shallow clone: fetch the base, e.g. git fetch --deepen=1 or --unshallow)";
                throw PlinthException.of(Loc.file("."), "unknown revision '" + ref + "'" + hint);
            }
            RevCommit commit = walk.parseCommit(id);
            Path top = repo.getWorkTree().toPath().toRealPath();
            Path realRoot = root.toRealPath();
            String prefix = top.relativize(realRoot).toString().replace('\\', '/');
            // output is under the root as given; place it under the real root to compare with the tree
            Path out = output.startsWith(root) ? realRoot.resolve(root.relativize(output)).normalize() : output.normalize();
            String skip = out.startsWith(top) && !out.equals(top) ? top.relativize(out).toString().replace('\\', '/') + "/" : null;
            try (TreeWalk tw = new TreeWalk(repo)) {
                tw.addTree(commit.getTree());
                tw.setRecursive(true);
                while (tw.next()) {
                    String path = tw.getPathString();
                    // specs, library and charts are regular files; skip submodules and symlinks
                    int mode = tw.getRawMode(0) & FileMode.TYPE_MASK;
                    if (mode != FileMode.TYPE_FILE || skip != null && (path + "/").startsWith(skip)) continue;
                    Path file = target.resolve(path).normalize();
                    if (!file.startsWith(target)) continue;
                    Files.createDirectories(file.getParent());
                    Files.write(file, repo.open(tw.getObjectId(0)).getBytes());
                }
            }
            return new Extracted(commit.getName(), prefix.isEmpty() ? target : target.resolve(prefix));
        } catch (IOException e) {
            throw PlinthException.of(Loc.file("."), "cannot read revision " + ref + ": " + e.getMessage());
        }
    }
}
