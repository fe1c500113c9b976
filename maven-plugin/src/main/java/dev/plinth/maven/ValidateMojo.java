package dev.plinth.maven;

import dev.plinth.Compiler;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;

/** {@code mvn platform:validate}: everything render does, without writing. */
@Mojo(name = "validate", requiresProject = false, aggregator = true, threadSafe = true)
public class ValidateMojo extends AbstractPlatformMojo {
    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        Compiler.Result r = run(Compiler::validate);
        dev.plinth.check.QuotaUsage.summarise(r.quotaUsage()).forEach(l -> getLog().info("quota used at maximum scale: " + l));
        getLog().info(String.format("valid: %d clusters, %d files", r.rendered().clusters().size(), r.files().size()));
    }
}
