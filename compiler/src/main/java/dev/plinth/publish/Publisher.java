package dev.plinth.publish;

import dev.plinth.secrets.Redaction;

import dev.plinth.diag.Loc;
import dev.plinth.diag.PlinthException;
import dev.plinth.output.OutputLock;
import dev.plinth.output.OutputWriter;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SortedMap;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import dev.plinth.diag.Diagnostics;
import java.util.Collection;
import org.eclipse.jgit.api.CloneCommand;
import org.eclipse.jgit.api.errors.JGitInternalException;
import org.eclipse.jgit.lib.Ref;

/**
 * Puts the rendered output into a GitOps repository with JGit, without a shell: clone the target
 * branch into a temporary directory, replace the files Plinth owns under the target path (never
 * others), commit with the source commit in a {@code Plinth-Source} trailer, push. A push
 * rejected because someone else pushed first is retried on top of their commit a bounded number
 * of times; Plinth never force-pushes.
 */
public final class Publisher {
    static final String GITATTRIBUTES = ".gitattributes";
    private static final String GITATTRIBUTES_TEXT = "# Written by Plinth: rendered files are generated, reviewers see them collapsed.\n"
            + "clusters/** linguist-generated=true\ngitops/** linguist-generated=true\n.plinth-ledger linguist-generated=true\n";

    /**
     * @param to       the target repository: a local path or a URL
     * @param path     where the rendered tree goes inside it ("" for the root)
     * @param attempts how many pushes to try when others push first
     */
    public record Options(String to, String branch, String path, CredentialsProvider credentials, int attempts) {
        public Options {
            if (branch == null || branch.isBlank()) branch = "main";
            if (path == null) path = "";
            path = path.replaceAll("^/+|/+$", "");
            if (attempts < 1) attempts = 3;
        }
    }

    /** @param commit null when nothing changed (no commit was made) */
    public record Result(String commit, int changedFiles, Map<String, Integer> changesByArea, int attempts) {
    }

    /** For tests: runs between the local commit and the push (another publisher may push here). */
    static volatile Runnable beforePush = () -> {
    };

    private Publisher() {
    }

    /** Credentials from the environment (PLINTH_GIT_USERNAME, PLINTH_GIT_PASSWORD), or none. */
    public static CredentialsProvider environmentCredentials() {
        String user = System.getenv("PLINTH_GIT_USERNAME");
        String password = System.getenv("PLINTH_GIT_PASSWORD");
        if (password == null || password.isEmpty()) return null;
        return new UsernamePasswordCredentialsProvider(user == null ? "git" : user, password);
    }

    /**
     * Why a branch or target path cannot be used (a usage error), or null: the branch must be a
     * valid branch name, and the path a plain relative path inside the repository.
     */
    public static String usageProblem(String branch, String path) {
        if (branch != null && !Repository.isValidRefName("refs/heads/" + branch)) {
            return "--branch '" + branch + "' is not a valid branch name";
        }
        String p = path == null ? "" : path.replaceAll("^/+|/+$", "");
        if (!p.isEmpty() && OutputWriter.unsafeEntry(p) != null) {
            return "--path '" + path + "' must be a directory inside the repository (" + OutputWriter.unsafeEntry(p) + ")";
        }
        return null;
    }

    /**
     * The text with the whole user part of any URL in it replaced by {@code ***} (a remote's URL
     * may carry a token as its user), then masked as every report is ({@link Redaction#text}):
     * errors about a remote never show credentials written into its URL.
     */
    public static String redact(String text) {
        return text == null ? null : Redaction.text(text.replaceAll("(?i)([a-z][a-z0-9+.-]*://)[^/@\\s]+@", "$1***@"));
    }

    /** Publishes the owned files of {@code out} (a render's output directory), under the output's lock. */
    public static Result publish(Path root, Path out, Options options) {
        String problem = usageProblem(options.branch(), options.path());
        if (problem != null) throw PlinthException.of(Loc.file(redact(options.to())), problem);
        try (OutputLock ignored = OutputLock.acquire(out)) {
            if (OutputWriter.interruptedJournal(out) != null) OutputWriter.recoverInterrupted(out);
            return publishLocked(root, out, options);
        }
    }

    private static Result publishLocked(Path root, Path out, Options options) {
        String source = sourceCommit(root);
        Path work = null;
        try {
            work = Files.createTempDirectory("plinth-publish");
            Git git = cloneTarget(options, work);
            try (git) {
                for (int attempt = 1; attempt <= options.attempts(); attempt++) {
                    Map<String, Integer> changes = apply(out, work, options.path(), options.to());
                    if (changes.isEmpty()) return new Result(null, 0, changes, attempt);
                    stage(git, options.path());
                    Status status = git.status().call();
                    if (status.isClean()) return new Result(null, 0, Map.of(), attempt);
                    PersonIdent who = author();
                    git.commit().setMessage(message(source, changes)).setAuthor(who).setCommitter(who).setSign(false).call();
                    beforePush.run();
                    Pushed result = push(git, options);
                    RemoteRefUpdate.Status pushed = result.status();
                    if (pushed == RemoteRefUpdate.Status.OK || pushed == RemoteRefUpdate.Status.UP_TO_DATE) {
                        ObjectId head = git.getRepository().resolve("HEAD");
                        int total = changes.values().stream().mapToInt(Integer::intValue).sum();
                        return new Result(head.getName(), total, changes, attempt);
                    }
                    if (pushed != RemoteRefUpdate.Status.REJECTED_NONFASTFORWARD && pushed != RemoteRefUpdate.Status.REJECTED_REMOTE_CHANGED) {
                        throw failure(options, "the push was rejected (" + pushed + ")" + result.said());
                    }
                    // someone else published first: start again from their commit
                    git.fetch().setRemote("origin").setCredentialsProvider(options.credentials()).call();
                    git.reset().setMode(ResetCommand.ResetType.HARD).setRef("refs/remotes/origin/" + options.branch()).call();
                }
                throw failure(options, "others kept pushing to " + options.branch() + "; gave up after " + options.attempts() + " attempts");
            }
        } catch (GitAPIException | JGitInternalException e) {
            throw failure(options, e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(redact(e.getMessage()), e);
        } finally {
            if (work != null) deleteTreeQuietly(work);
        }
    }

    private static PlinthException failure(Options options, String why) {
        String to = redact(options.to());
        return PlinthException.of(Loc.file(to), "cannot publish to " + to + " (branch " + options.branch() + "): "
                + redact(why) + "; nothing was lost, the rendered output is unchanged");
    }

    /** How a push went, and what the remote said about it (a pre-receive hook's text), for the error. */
    private record Pushed(RemoteRefUpdate.Status status, String said) {
    }

    /** A clone of the target branch, or of the repository with a new branch when it has none yet. */
    private static Git cloneTarget(Options options, Path work) throws GitAPIException, IOException {
        // clone the target branch if it exists, else any branch (its files are not checked out):
        // a remote whose HEAD names a missing branch cannot be cloned "by HEAD"
        Collection<Ref> heads = Git.lsRemoteRepository().setRemote(options.to()).setHeads(true)
                .setCredentialsProvider(options.credentials()).call();
        String want = "refs/heads/" + options.branch();
        String start = heads.stream().map(Ref::getName).filter(want::equals).findFirst()
                .orElse(heads.stream().map(Ref::getName).sorted().findFirst().orElse(null));
        CloneCommand clone = Git.cloneRepository().setURI(options.to()).setDirectory(work.toFile())
                .setCredentialsProvider(options.credentials()).setNoCheckout(true);
        if (start != null) clone.setBranch(start);
        Git git = clone.call();
        Repository repo = git.getRepository();
        if (repo.findRef("refs/remotes/origin/" + options.branch()) != null) {
            if (repo.findRef(want) == null) git.branchCreate().setName(options.branch()).setStartPoint("origin/" + options.branch()).call();
            repo.updateRef("HEAD").link(want);
            git.reset().setMode(ResetCommand.ResetType.HARD).setRef("refs/remotes/origin/" + options.branch()).call();
        } else {
            // an empty repository or a new branch: start it without history (HEAD may be unborn)
            repo.updateRef("HEAD").link("refs/heads/" + options.branch());
            if (repo.resolve("HEAD") != null) git.checkout().setName(options.branch()).setOrphan(true).call();
            for (Path p : list(work)) if (!p.startsWith(work.resolve(".git"))) Files.deleteIfExists(p);
        }
        return git;
    }

    private static Pushed push(Git git, Options options) throws GitAPIException {
        Iterable<PushResult> results = git.push().setRemote("origin")
                .setRefSpecs(new RefSpec("refs/heads/" + options.branch() + ":refs/heads/" + options.branch()))
                .setForce(false).setCredentialsProvider(options.credentials()).call();
        for (PushResult r : results) {
            for (RemoteRefUpdate u : r.getRemoteUpdates()) {
                // the reason the remote gave, and what its hooks printed (a pre-receive hook's rejection)
                StringBuilder said = new StringBuilder();
                if (u.getMessage() != null && !u.getMessage().isBlank()) said.append(": ").append(u.getMessage().strip());
                String messages = r.getMessages() == null ? "" : r.getMessages().strip();
                if (!messages.isEmpty()) said.append("; the remote said: ").append(messages.replaceAll("\\s*\\n\\s*", " | "));
                return new Pushed(u.getStatus(), said.toString());
            }
        }
        return new Pushed(RemoteRefUpdate.Status.NOT_ATTEMPTED, "");
    }

    /**
     * Brings {@code prefix} in the clone {@code work} to the owned files of {@code out}: writes
     * changed and new ones, deletes files the previous publish owned and this one does not, never
     * touches others. The target repository is input: a path of it that is a symbolic link, or
     * runs through one, is refused (an error naming the link), so is a bad entry of its ledger,
     * and so is a file in the way that its ledger does not own. Returns the number of changed
     * files per area (cluster name, or gitops).
     */
    static Map<String, Integer> apply(Path out, Path work, String prefix, String to) throws IOException {
        Path target = prefix.isEmpty() ? work : work.resolve(prefix);
        String shown = redact(to) + ":" + (prefix.isEmpty() ? "" : prefix + "/");
        SortedSet<String> owned = OutputWriter.readLedger(out);
        Diagnostics d = new Diagnostics();
        SortedSet<String> before = new TreeSet<>(OutputWriter.ledgerLines(target, (line, entry, why) -> d.error(
                new Loc(shown + OutputWriter.LEDGER, line, 1), "the target's ledger names " + entry + ", " + why
                        + "; Plinth refuses to follow it: correct or delete that ledger")));
        d.throwIfErrors();
        // no link on the way to any path touched, from the clone's root (the target path's folders too)
        SortedSet<String> touched = new TreeSet<>(owned);
        touched.addAll(before);
        touched.add(GITATTRIBUTES);
        touched.add(OutputWriter.LEDGER);
        List<String> inClone = touched.stream().map(rel -> prefix.isEmpty() ? rel : prefix + "/" + rel).toList();
        SortedMap<String, OutputWriter.Link> links = OutputWriter.linksOnTheWay(work, inClone);
        for (String rel : inClone) {
            Path p = work.resolve(rel);
            if (Files.isSymbolicLink(p)) links.put(rel, new OutputWriter.Link(rel, Files.readSymbolicLink(p).toString()));
        }
        for (OutputWriter.Link l : links.values()) {
            d.error(Loc.file(redact(to) + ":" + l.path()), "a symbolic link in the target repository (to " + l.target()
                    + "); Plinth never writes or deletes through links: remove it from the branch");
        }
        // publish owns the files of its ledger, like render: never overwrites another file
        for (String rel : owned) {
            if (!before.contains(rel) && Files.exists(target.resolve(rel), LinkOption.NOFOLLOW_LINKS) && !links.containsKey(prefixed(prefix, rel))) {
                d.error(Loc.file(shown + rel), "the target repository already has this file and Plinth does not own it "
                        + "(its ledger does not list it); move it away or delete it, Plinth never overwrites files it did not write");
            }
        }
        d.throwIfErrors();

        Map<String, Integer> changes = new TreeMap<>();
        SortedSet<String> ledger = new TreeSet<>(owned);
        // .gitattributes: ours when absent or ours before; someone else's is left alone
        Path attributes = target.resolve(GITATTRIBUTES);
        if (!Files.exists(attributes, LinkOption.NOFOLLOW_LINKS) || before.contains(GITATTRIBUTES)) {
            ledger.add(GITATTRIBUTES);
            if (writeIfChanged(attributes, GITATTRIBUTES_TEXT.getBytes(StandardCharsets.UTF_8))) changes.merge("(repository)", 1, Integer::sum);
        }
        for (String rel : owned) {
            if (writeIfChanged(target.resolve(rel), Files.readAllBytes(out.resolve(rel)))) changes.merge(area(rel), 1, Integer::sum);
        }
        for (String rel : before) {
            if (ledger.contains(rel)) continue;
            if (Files.deleteIfExists(target.resolve(rel))) changes.merge(area(rel), 1, Integer::sum);
        }
        StringBuilder sb = new StringBuilder(Files.exists(out.resolve(OutputWriter.LEDGER))
                ? Files.readAllLines(out.resolve(OutputWriter.LEDGER)).get(0) + "\n" : "# Files owned by Plinth\n");
        ledger.forEach(f -> sb.append(f).append('\n'));
        if (writeIfChanged(target.resolve(OutputWriter.LEDGER), sb.toString().getBytes(StandardCharsets.UTF_8)) && changes.isEmpty()) {
            changes.merge("(repository)", 1, Integer::sum);
        }
        return changes;
    }

    private static String prefixed(String prefix, String rel) {
        return prefix.isEmpty() ? rel : prefix + "/" + rel;
    }

    private static String area(String rel) {
        if (rel.startsWith("clusters/")) {
            String rest = rel.substring("clusters/".length());
            return rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
        }
        return rel.startsWith("gitops/") ? "gitops" : "(repository)";
    }

    private static boolean writeIfChanged(Path p, byte[] bytes) throws IOException {
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && Arrays.equals(Files.readAllBytes(p), bytes)) return false;
        Files.createDirectories(p.getParent());
        Files.write(p, bytes);
        return true;
    }

    private static void stage(Git git, String prefix) throws GitAPIException {
        String pattern = prefix.isEmpty() ? "." : prefix;
        git.add().addFilepattern(pattern).call();
        git.add().addFilepattern(pattern).setUpdate(true).call(); // deletions
    }

    static String message(String source, Map<String, Integer> changes) {
        int total = changes.values().stream().mapToInt(Integer::intValue).sum();
        StringBuilder sb = new StringBuilder("Render " + (source.length() > 12 ? source.substring(0, 12) : source) + ": "
                + total + " file" + (total == 1 ? "" : "s") + " changed\n\n");
        changes.forEach((area, n) -> sb.append("- ").append(area).append(": ").append(n).append(" file").append(n == 1 ? "" : "s").append('\n'));
        sb.append("\nPlinth-Source: ").append(source).append('\n');
        return sb.toString();
    }

    /** The commit of the platform repository the render came from, "+dirty" with local changes. */
    public static String sourceCommit(Path root) {
        try {
            FileRepositoryBuilder b = new FileRepositoryBuilder().findGitDir(root.toFile());
            if (b.getGitDir() == null) return "unknown";
            try (Repository repo = b.build(); Git git = new Git(repo)) {
                ObjectId head = repo.resolve("HEAD");
                if (head == null) return "unknown";
                boolean dirty = !git.status().call().getUncommittedChanges().isEmpty();
                return head.getName() + (dirty ? "+dirty" : "");
            }
        } catch (IOException | GitAPIException e) {
            return "unknown";
        }
    }

    private static PersonIdent author() {
        String name = System.getenv().getOrDefault("PLINTH_GIT_AUTHOR_NAME", "Plinth");
        String email = System.getenv().getOrDefault("PLINTH_GIT_AUTHOR_EMAIL", "plinth@localhost");
        return new PersonIdent(name, email);
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    /** Deletes a temporary tree (clone or extracted revision), ignoring what cannot be deleted. */
    public static void deleteTreeQuietly(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                p.toFile().setWritable(true);
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
