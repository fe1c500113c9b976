package dev.plinth.maven;

import org.apache.maven.plugins.annotations.Mojo;

import java.util.List;

/** {@code mvn platform:render}: validate the platform and write the rendered manifests ({@code plinth render}). */
@Mojo(name = "render", requiresProject = false, aggregator = true, threadSafe = true)
public class RenderMojo extends AbstractPlatformMojo {
    @Override
    String command() {
        return "render";
    }

    @Override
    void commandOptions(List<String> args) {
        outputOptions(args);
    }
}
