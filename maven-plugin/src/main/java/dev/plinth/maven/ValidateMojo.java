package dev.plinth.maven;

import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.util.List;

/** {@code mvn platform:validate}: everything render does, without writing ({@code plinth validate}). */
@Mojo(name = "validate", requiresProject = false, aggregator = true, threadSafe = true)
public class ValidateMojo extends AbstractPlatformMojo {
    /** Print the flow matrix of every cluster ({@code plinth validate --flows}). */
    @Parameter(property = "platform.flows", defaultValue = "false")
    boolean flows;

    @Override
    String command() {
        return "validate";
    }

    @Override
    void commandOptions(List<String> args) {
        outputOptions(args);
        if (flows) args.add("--flows");
    }
}
