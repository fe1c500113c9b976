package dev.plinth.maven;

import dev.plinth.Compiler;
import dev.plinth.publish.Verifier;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.util.List;

/** {@code mvn platform:verify}: fail when the committed output differs from a fresh render (the CI gate). */
@Mojo(name = "verify", requiresProject = false, aggregator = true, threadSafe = true)
public class VerifyMojo extends AbstractPlatformMojo {
    /** Compare with this repository (path or URL) instead of the output directory. */
    @Parameter(property = "platform.to")
    String to;

    @Parameter(property = "platform.branch", defaultValue = "main")
    String branch;

    @Parameter(property = "platform.path", defaultValue = "")
    String path;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        @SuppressWarnings("unchecked")
        List<Verifier.Stale>[] stale = new List[1];
        run(options -> {
            stale[0] = Compiler.verify(options, to, branch, path);
            return null;
        });
        for (Verifier.Stale s : stale[0]) getLog().error("stale: " + s);
        if (!stale[0].isEmpty()) {
            throw new MojoFailureException(stale[0].size() + " stale file(s): render and commit again");
        }
        getLog().info("up to date: the committed output equals a fresh render");
    }
}
