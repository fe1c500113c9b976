package dev.plinth.publish;

import dev.plinth.TestSupport;
import dev.plinth.TestSupport.Run;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.Daemon;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.ReceivePack;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** publish against a target repository that is input: links, files it does not own, bad options, hooks, credentials. */
class PublishContainmentTest {
    @TempDir
    Path tmp;

    private Path root;
    private Path remote;

    @BeforeEach
    void setUp() throws Exception {
        root = tmp.resolve("platform");
        TestSupport.copyTree(TestSupport.projectRoot().resolve("tests/golden/02-webservice-traits/input"), root);
        remote = tmp.resolve("remote.git");
        Git.init().setBare(true).setDirectory(remote.toFile()).setInitialBranch("main").call().close();
    }

    private Run publish(String to, String... extra) {
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
        Run r = publish(remote.toString());
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains(remote + ":clusters:1:1: error: a symbolic link in the target repository (to " + outside + ")"), r.err());
        assertEquals(Map.of(), TestSupport.readTree(outside));
    }

    @Test
    void aLinkedFileInTheTargetIsRefused() throws Exception {
        Path victim = tmp.resolve("victim.txt");
        TestSupport.write(victim, "keep me\n");
        commit("a linked ledger", clone -> Files.createSymbolicLink(clone.resolve(".gitattributes"), victim));
        Run r = publish(remote.toString());
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains(":.gitattributes:1:1: error: a symbolic link in the target repository"), r.err());
        assertEquals("keep me\n", Files.readString(victim));
    }

    @Test
    void publishNeverOverwritesAFileItDoesNotOwn() throws Exception {
        commit("a hand-written file where a rendered one goes", clone ->
                TestSupport.write(clone.resolve("clusters/live-1/kustomization.yaml"), "hand-written\n"));
        Run r = publish(remote.toString());
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains(":clusters/live-1/kustomization.yaml:1:1: error: the target repository already has this file "
                + "and Plinth does not own it"), r.err());
    }

    @Test
    void aTargetLedgerEntryOutOfTheCloneIsRefused() throws Exception {
        commit("a ledger naming a path out of the clone", clone -> TestSupport.write(clone.resolve(".plinth-ledger"), "../../victim\n"));
        Run r = publish(remote.toString());
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains(":.plinth-ledger:1:1: error: the target's ledger names ../../victim, a path out of the output"), r.err());
    }

    @Test
    void aPathOutOfTheCloneAndABadBranchAreUsageErrors() {
        Run up = publish(remote.toString(), "--path", "../../..");
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
        Run r = publish("https://deployer:s3cr3t-t0ken@127.0.0.1:1/platform.git");
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
            Run r = publish("git://127.0.0.1:" + daemon.getAddress().getPort() + "/remote.git");
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
