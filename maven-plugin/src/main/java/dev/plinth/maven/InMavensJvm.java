package dev.plinth.maven;

import dev.plinth.cli.PlinthCli;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * The CLI run in Maven's JVM ({@code platform.fork=false}), from the runnable jar the plugin
 * depends on. Variables meant for the forked JVM's environment cannot be set here: the Git
 * credentials among them become JGit's default for the run (used when the environment has none).
 */
final class InMavensJvm {
    /** JGit's default credentials are global: one goal in Maven's JVM sets them at a time. */
    private static final Object CREDENTIALS = new Object();

    private InMavensJvm() {
    }

    static int execute(PrintWriter out, PrintWriter err, List<String> args, Map<String, String> environment) {
        String password = environment.get(PlinthRun.GIT_PASSWORD);
        if (password == null) return PlinthCli.execute(out, err, args.toArray(String[]::new));
        synchronized (CREDENTIALS) {
            CredentialsProvider before = CredentialsProvider.getDefault();
            CredentialsProvider.setDefault(new UsernamePasswordCredentialsProvider(
                    environment.getOrDefault(PlinthRun.GIT_USERNAME, "git"), password));
            try {
                return PlinthCli.execute(out, err, args.toArray(String[]::new));
            } finally {
                CredentialsProvider.setDefault(before);
            }
        }
    }
}
