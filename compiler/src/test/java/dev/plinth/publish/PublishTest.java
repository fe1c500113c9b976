package dev.plinth.publish;

import dev.plinth.TestSupport;
import dev.plinth.TestSupport.Run;
import dev.plinth.diag.PlinthException;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.Daemon;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.ReceivePack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** publish and verify against real repositories made by JGit: a bare remote and clones. */
class PublishTest {
    @TempDir
    Path tmp;

    private Path root;
    private Path remote;

    @BeforeEach
    void setUp() throws Exception {
        root = TestSupport.webservicePlatform(tmp.resolve("platform"));
        remote = TestSupport.bareRepository(tmp.resolve("remote.git"));
    }

    @AfterEach
    void tearDown() {
        Publisher.beforePush = () -> {
        };
    }

    private Run publish(String... extra) {
        List<String> args = new ArrayList<>(List.of("publish", "-r", root.toString(), "-o", tmp.resolve("out").toString(),
                "--to", remote.toString(), "--branch", "rendered"));
        args.addAll(List.of(extra));
        return TestSupport.plinth(args.toArray(String[]::new));
    }

    private static void assertPublished(Run r) {
        assertEquals(0, r.exit(), r.out() + r.err());
    }

    private List<RevCommit> history() throws Exception {
        try (Git git = Git.open(remote.toFile())) {
            List<RevCommit> out = new ArrayList<>();
            git.log().add(git.getRepository().resolve("refs/heads/rendered")).call().forEach(out::add);
            return out;
        }
    }

    private String fileOnBranch(String path) throws Exception {
        Path clone = Files.createTempDirectory(tmp, "read");
        try (Git git = Git.cloneRepository().setURI(remote.toString()).setBranch("refs/heads/rendered").setDirectory(clone.toFile()).call()) {
            Path p = clone.resolve(path);
            return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : null;
        }
    }

    private void pushUnownedFile(String path, String content) throws Exception {
        Path clone = Files.createTempDirectory(tmp, "other");
        try (Git git = Git.cloneRepository().setURI(remote.toString()).setBranch("refs/heads/rendered").setDirectory(clone.toFile()).call()) {
            TestSupport.write(clone.resolve(path), content);
            git.add().addFilepattern(".").call();
            git.commit().setMessage("someone else's change to " + path).setSign(false).call();
            git.push().call();
        }
    }

    @Test
    void firstPublishCommitsTheOutputWithItsSourceAndANoOpPublishCommitsNothing() throws Exception {
        Run first = publish();
        assertEquals(0, first.exit(), first.err());
        assertTrue(first.out().startsWith("published "), first.out());
        List<RevCommit> h = history();
        assertEquals(1, h.size());
        String message = h.get(0).getFullMessage();
        assertTrue(message.startsWith("Render "), message);
        assertTrue(message.contains("- live-1: "), message);
        assertTrue(message.contains("\nPlinth-Source: "), message);
        assertTrue(fileOnBranch("clusters/live-1/tenants/web/apps/shop/deployment-frontend.yaml").contains("kind: Deployment"));
        assertTrue(fileOnBranch(".gitattributes").contains("linguist-generated=true"));

        Run again = publish();
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.out().startsWith("nothing to publish"), again.out());
        assertEquals(1, history().size());
    }

    @Test
    void changesAndDeletionsArePublishedAndUnownedFilesSurvive() throws Exception {
        assertPublished(publish());
        pushUnownedFile("README.md", "# rendered manifests\n");
        pushUnownedFile(".github/workflows/ci.yml", "on: push\n");

        Path app = root.resolve("environments/live/apps/shop.yaml");
        Files.writeString(app, Files.readString(app).replace("replicas: 3", "replicas: 4").replace("max: 12", "max: 14"));
        assertPublished(publish());
        assertTrue(fileOnBranch("clusters/live-1/tenants/web/apps/shop/horizontalpodautoscaler-frontend.yaml").contains("maxReplicas: 14"));

        // removing the ingress trait deletes its file from the branch
        Files.writeString(app, Files.readString(app).replaceAll("(?s)        - type: ingress.*", ""));
        Run r = publish();
        assertEquals(0, r.exit(), r.err());
        assertEquals(null, fileOnBranch("clusters/live-1/tenants/web/apps/shop/ingress-frontend.yaml"));
        assertEquals("# rendered manifests\n", fileOnBranch("README.md"));
        assertEquals("on: push\n", fileOnBranch(".github/workflows/ci.yml"));
        assertTrue(history().stream().allMatch(c -> c.getParentCount() <= 1), "history stays linear");
    }

    @Test
    void racingPublishersBothLandOnALinearHistory() throws Exception {
        assertPublished(publish());
        Path app = root.resolve("environments/live/apps/shop.yaml");
        Files.writeString(app, Files.readString(app).replace("max: 12", "max: 13"));
        // another publisher (here: a teammate's commit) gets in between our commit and our push
        boolean[] once = {false};
        Publisher.beforePush = () -> {
            if (once[0]) return;
            once[0] = true;
            try {
                pushUnownedFile("NOTES.md", "racing\n");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        Run r = publish();
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("after 2 attempts"), r.out());
        assertEquals("racing\n", fileOnBranch("NOTES.md"));
        assertTrue(fileOnBranch("clusters/live-1/tenants/web/apps/shop/horizontalpodautoscaler-frontend.yaml").contains("maxReplicas: 13"));
        List<RevCommit> h = history();
        assertEquals(3, h.size());
        assertTrue(h.stream().allMatch(c -> c.getParentCount() <= 1), "no merge commits");
    }

    @Test
    void aPushThatKeepsBeingRejectedIsAClearErrorAndLosesNothing() throws Exception {
        assertPublished(publish());
        Path app = root.resolve("environments/live/apps/shop.yaml");
        Files.writeString(app, Files.readString(app).replace("max: 12", "max: 15"));
        int[] n = {0};
        Publisher.beforePush = () -> {
            try {
                pushUnownedFile("other-" + (++n[0]) + ".md", "x\n");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        Run r = publish();
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("cannot publish to " + remote + " (branch rendered): others kept pushing to rendered; gave up after 3 attempts"), r.err());
        assertTrue(r.err().contains("nothing was lost"), r.err());
        assertEquals("x\n", fileOnBranch("other-3.md"), "the other publisher's commits are all there");
        assertTrue(Files.readString(tmp.resolve("out/clusters/live-1/tenants/web/apps/shop/horizontalpodautoscaler-frontend.yaml"))
                .contains("maxReplicas: 15"), "the rendered output is kept for the next attempt");
    }

    @Test
    void verifyFailsOnStaleOutputAndPassesWhenCurrent() throws Exception {
        Path out = tmp.resolve("out");
        assertEquals(0, TestSupport.plinth("render", "-r", root.toString(), "-o", out.toString()).exit());
        Run ok = TestSupport.plinth("verify", "-r", root.toString(), "-o", out.toString());
        assertEquals(0, ok.exit(), ok.out() + ok.err());

        Files.writeString(out.resolve("clusters/live-1/kustomization.yaml"), "tampered\n");
        Path app = root.resolve("environments/live/apps/shop.yaml");
        Files.writeString(app, Files.readString(app).replaceAll("(?s)        - type: ingress.*", ""));
        Run stale = TestSupport.plinth("verify", "-r", root.toString(), "-o", out.toString());
        assertEquals(1, stale.exit());
        assertTrue(stale.out().contains("stale: clusters/live-1/kustomization.yaml (differs)"), stale.out());
        assertTrue(stale.out().contains("stale: clusters/live-1/tenants/web/apps/shop/ingress-frontend.yaml (no longer rendered)"), stale.out());
        assertTrue(stale.out().contains("stale: clusters/live-1/tenants/web/apps/shop/kustomization.yaml (differs)"), stale.out());

        assertPublished(publish());
        Run branch = TestSupport.plinth("verify", "-r", root.toString(), "--to", remote.toString(), "--branch", "rendered");
        assertEquals(0, branch.exit(), branch.out() + branch.err());
    }

    @Test
    void theSourceCommitIsReadFromThePlatformRepository() throws Exception {
        try (Git git = Git.init().setDirectory(root.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            RevCommit c = git.commit().setMessage("platform").setSign(false).call();
            assertEquals(c.getName(), Publisher.sourceCommit(root));
            Files.writeString(root.resolve("environments/live/apps/new.txt"), "x");
            git.add().addFilepattern(".").call();
            assertEquals(c.getName() + "+dirty", Publisher.sourceCommit(root));
            Repository repo = git.getRepository();
            assertFalse(repo.isBare());
        }
        assertThrows(PlinthException.class, () -> Publisher.publish(root, tmp.resolve("nothing"),
                new Publisher.Options(tmp.resolve("no-such-remote").toString(), "main", "", null, 1)));
    }

    // the target repository is input: links, files it does not own, bad options, hooks, credentials

    private Run publishTo(String to, String... extra) {
        List<String> args = new ArrayList<>(List.of("publish", "-r", root.toString(), "-o", tmp.resolve("out").toString(),
                "--to", to, "--branch", "rendered"));
        args.addAll(List.of(extra));
        return TestSupport.plinth(args.toArray(String[]::new));
    }

    /** Commits on the rendered branch what {@code change} makes in a clone. */
    private void commit(String what, TreeChange change) throws Exception {
        Path clone = Files.createTempDirectory(tmp, "other");
        try (Git git = Git.cloneRepository().setURI(remote.toString()).setDirectory(clone.toFile()).call()) {
            if (git.getRepository().resolve("refs/remotes/origin/rendered") != null) {
                git.checkout().setCreateBranch(true).setName("rendered").setStartPoint("origin/rendered").call();
            } else {
                git.checkout().setOrphan(true).setName("rendered").call();
            }
            change.apply(clone);
            git.add().addFilepattern(".").call();
            git.commit().setMessage(what).setSign(false).call();
            git.push().setRefSpecs(new org.eclipse.jgit.transport.RefSpec("rendered:rendered")).call();
        }
    }

    interface TreeChange {
        void apply(Path clone) throws Exception;
    }

    @Test
    void aLinkCommittedInTheTargetIsRefusedAndNothingIsWrittenThroughIt() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        commit("a link out of the clone", clone -> Files.createSymbolicLink(clone.resolve("clusters"), outside));
        Run r = publishTo(remote.toString());
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains(remote + ":clusters:1:1: error: a symbolic link in the target repository (to " + outside + ")"), r.err());
        assertEquals(Map.of(), TestSupport.readTree(outside));
    }

    @Test
    void aLinkedFileInTheTargetIsRefused() throws Exception {
        Path victim = tmp.resolve("victim.txt");
        TestSupport.write(victim, "keep me\n");
        commit("a linked ledger", clone -> Files.createSymbolicLink(clone.resolve(".gitattributes"), victim));
        Run r = publishTo(remote.toString());
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains(":.gitattributes:1:1: error: a symbolic link in the target repository"), r.err());
        assertEquals("keep me\n", Files.readString(victim));
    }

    @Test
    void publishNeverOverwritesAFileItDoesNotOwn() throws Exception {
        commit("a hand-written file where a rendered one goes", clone ->
                TestSupport.write(clone.resolve("clusters/live-1/kustomization.yaml"), "hand-written\n"));
        Run r = publishTo(remote.toString());
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains(":clusters/live-1/kustomization.yaml:1:1: error: the target repository already has this file "
                + "and Plinth does not own it"), r.err());
    }

    @Test
    void aTargetLedgerEntryOutOfTheCloneIsRefused() throws Exception {
        commit("a ledger naming a path out of the clone", clone -> TestSupport.write(clone.resolve(".plinth-ledger"), "../../victim\n"));
        Run r = publishTo(remote.toString());
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains(":.plinth-ledger:1:1: error: the target's ledger names ../../victim, a path out of the output"), r.err());
    }

    @Test
    void aPathOutOfTheCloneAndABadBranchAreUsageErrors() {
        Run up = publishTo(remote.toString(), "--path", "../../..");
        assertEquals(2, up.exit(), up.out() + up.err());
        assertTrue(up.err().contains("--path '../../..' must be a directory inside the repository"), up.err());
        Run branch = TestSupport.plinth("publish", "-r", root.toString(), "-o", tmp.resolve("out").toString(),
                "--to", remote.toString(), "--branch", "bad..name");
        assertEquals(2, branch.exit(), branch.out() + branch.err());
        assertTrue(branch.err().contains("--branch 'bad..name' is not a valid branch name"), branch.err());
        assertFalse(Files.exists(tmp.resolve("out")), "nothing is rendered for a wrong invocation");
        Run verify = TestSupport.plinth("verify", "-r", root.toString(), "--to", remote.toString(), "--branch", "a b");
        assertEquals(2, verify.exit(), verify.out() + verify.err());
    }

    @Test
    void credentialsInTheRemoteUrlAreNeverShown() {
        Run r = publishTo("https://deployer:s3cr3t-t0ken@127.0.0.1:1/platform.git");
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("cannot publish to https://***@127.0.0.1:1/platform.git"), r.err());
        assertFalse((r.out() + r.err()).contains("s3cr3t"), r.err());
        assertEquals("see https://***@host/x and ssh://***@h/y", Publisher.redact("see https://u:p@host/x and ssh://git@h/y"));
    }

    @Test
    void aPreReceiveHooksRejectionIsShown() throws Exception {
        Daemon daemon = new Daemon(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        daemon.getService("git-receive-pack").setEnabled(true);
        daemon.setRepositoryResolver((req, name) -> {
            try {
                return new FileRepositoryBuilder().setGitDir(remote.toFile()).build();
            } catch (java.io.IOException e) {
                throw new org.eclipse.jgit.errors.RepositoryNotFoundException(name, e);
            }
        });
        daemon.setReceivePackFactory((req, db) -> {
            ReceivePack rp = new ReceivePack(db);
            rp.setPreReceiveHook((pack, commands) -> {
                pack.sendMessage("policy: pushes to rendered need an approved change request");
                for (ReceiveCommand c : commands) c.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, "pre-receive hook declined");
            });
            return rp;
        });
        daemon.start();
        try {
            Run r = publishTo("git://127.0.0.1:" + daemon.getAddress().getPort() + "/remote.git");
            assertEquals(1, r.exit(), r.out() + r.err());
            assertTrue(r.err().contains("the push was rejected (REJECTED_OTHER_REASON): pre-receive hook declined"), r.err());
            assertTrue(r.err().contains("policy: pushes to rendered need an approved change request"), r.err());
        } finally {
            daemon.stop();
        }
        try (Repository repo = new FileRepositoryBuilder().setGitDir(remote.toFile()).build()) {
            assertEquals(null, repo.findRef("refs/heads/rendered"), "nothing was pushed");
        }
    }
}
