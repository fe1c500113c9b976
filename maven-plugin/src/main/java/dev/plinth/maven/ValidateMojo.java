package dev.plinth.maven;

import org.apache.maven.plugins.annotations.Mojo;

import java.util.List;

/** {@code mvn platform:validate}: everything render does, without writing ({@code plinth validate}). */
@Mojo(name = "validate", requiresProject = false, aggregator = true, threadSafe = true)
public class ValidateMojo extends AbstractPlatformMojo {
    @Override
    String command() {
        return "validate";
    }

    @Override
    void commandOptions(List<String> args) {
        outputOptions(args);
    }
}
