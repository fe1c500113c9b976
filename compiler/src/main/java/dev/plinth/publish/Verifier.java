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
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.Comparator;

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

    /**
     * Compares the fresh files with the owned files under {@code dir}. A tree Plinth would refuse
     * to write is not clean either: a symbolic link on the way to a file or in place of one, a
     * ledger entry that leaves the tree, a rendered file the ledger does not own.
     */
    public static List<Stale> compare(SortedMap<String, String> fresh, Path dir) {
        List<Stale> stale = new ArrayList<>();
        try {
            SortedSet<String> committed = new TreeSet<>(OutputWriter.ledgerLines(dir,
                    (line, entry, why) -> stale.add(new Stale(entry, "refused ledger entry: " + why))));
            SortedSet<String> all = new TreeSet<>(fresh.keySet());
            all.addAll(committed);
            SortedMap<String, OutputWriter.Link> links = OutputWriter.linksOnTheWay(dir, all);
            for (OutputWriter.Link l : links.values()) {
                stale.add(new Stale(l.path(), "a symbolic link (to " + l.target() + "): Plinth never writes through links"));
            }
            for (var e : fresh.entrySet()) {
                Path p = dir.resolve(e.getKey());
                if (behindLink(e.getKey(), links)) continue;
                if (Files.isSymbolicLink(p)) stale.add(new Stale(e.getKey(), "a symbolic link, not a file"));
                else if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) stale.add(new Stale(e.getKey(), "missing"));
                else if (!Arrays.equals(Files.readAllBytes(p), e.getValue().getBytes(StandardCharsets.UTF_8))) {
                    stale.add(new Stale(e.getKey(), "differs"));
                } else if (!committed.contains(e.getKey())) {
                    stale.add(new Stale(e.getKey(), "not in the ledger"));
                }
            }
            for (String rel : committed) {
                if (!fresh.containsKey(rel) && !rel.equals(Publisher.GITATTRIBUTES) && !behindLink(rel, links)
                        && Files.exists(dir.resolve(rel), LinkOption.NOFOLLOW_LINKS)) {
                    stale.add(new Stale(rel, "no longer rendered"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        stale.sort(Comparator.comparing(Stale::path));
        return stale;
    }

    private static boolean behindLink(String rel, SortedMap<String, OutputWriter.Link> links) {
        for (String l : links.keySet()) if (rel.startsWith(l + "/")) return true;
        return false;
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
            throw PlinthException.of(Loc.file(Publisher.redact(to)), "cannot read branch " + branch + " of " + Publisher.redact(to)
                    + ": " + Publisher.redact(e.getMessage()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (work != null) Publisher.deleteTreeQuietly(work);
        }
    }
}
