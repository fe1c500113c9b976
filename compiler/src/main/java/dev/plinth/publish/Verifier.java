package dev.plinth.publish;

import dev.plinth.diag.Loc;
import dev.plinth.diag.PlinthException;
import dev.plinth.output.OutputWriter;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.transport.CredentialsProvider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The CI gate: does the committed output (the output directory, or a published branch) equal a
 * fresh render? Lists every stale file: one that differs, one that is missing, one that is owned
 * but no longer rendered.
 */
public final class Verifier {
    /** One stale file and why. */
    public record Stale(String path, String why) {
        @Override
        public String toString() {
            return path + " (" + why + ")";
        }
    }

    private Verifier() {
    }

    /** Compares the fresh files with the owned files under {@code dir}. */
    public static List<Stale> compare(SortedMap<String, String> fresh, Path dir) {
        List<Stale> stale = new ArrayList<>();
        try {
            SortedSet<String> committed = OutputWriter.readLedger(dir);
            for (var e : fresh.entrySet()) {
                Path p = dir.resolve(e.getKey());
                if (!Files.isRegularFile(p)) stale.add(new Stale(e.getKey(), "missing"));
                else if (!Arrays.equals(Files.readAllBytes(p), e.getValue().getBytes(StandardCharsets.UTF_8))) {
                    stale.add(new Stale(e.getKey(), "differs"));
                }
            }
            for (String rel : new TreeSet<>(committed)) {
                if (!fresh.containsKey(rel) && !rel.equals(Publisher.GITATTRIBUTES) && Files.exists(dir.resolve(rel))) {
                    stale.add(new Stale(rel, "no longer rendered"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        stale.sort(java.util.Comparator.comparing(Stale::path));
        return stale;
    }

    /** Compares with the tree under {@code path} on a branch of a repository (path or URL). */
    public static List<Stale> compareBranch(SortedMap<String, String> fresh, String to, String branch, String path,
                                            CredentialsProvider credentials) {
        Path work = null;
        try {
            work = Files.createTempDirectory("plinth-verify");
            try (Git ignored = Git.cloneRepository().setURI(to).setBranch("refs/heads/" + branch).setDirectory(work.toFile())
                    .setCredentialsProvider(credentials).call()) {
                return compare(fresh, path == null || path.isBlank() ? work : work.resolve(path));
            }
        } catch (GitAPIException e) {
            throw PlinthException.of(Loc.file(to), "cannot read branch " + branch + " of " + to + ": " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (work != null) Publisher.deleteTreeQuietly(work);
        }
    }
}
