package dev.plinth.maven;

import dev.plinth.Compiler;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;

/** {@code mvn platform:render}: validate the platform and write the rendered manifests. */
@Mojo(name = "render", requiresProject = false, aggregator = true, threadSafe = true)
public class RenderMojo extends AbstractPlatformMojo {
    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        Compiler.Result r = run(Compiler::render);
        getLog().info(String.format("rendered %d clusters, %d files into %s (%d written, %d unchanged, %d removed)",
                r.clusters(), r.summary().files(), r.output(),
                r.summary().written(), r.summary().unchanged(), r.summary().removed()));
    }
}
