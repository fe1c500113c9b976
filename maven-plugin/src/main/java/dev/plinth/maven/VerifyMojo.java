package dev.plinth.maven;

import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.util.List;

/** {@code mvn platform:verify}: fail when the committed output differs from a fresh render (the CI gate; {@code plinth verify}). */
@Mojo(name = "verify", requiresProject = false, aggregator = true, threadSafe = true)
public class VerifyMojo extends AbstractPlatformMojo {
    /** Compare with this repository (path or URL) instead of the output directory. */
    @Parameter(property = "platform.to")
    String to;

    /** Branch of {@code platform.to}. */
    @Parameter(property = "platform.branch", defaultValue = "main")
    String branch;

    /** Directory inside {@code platform.to}. */
    @Parameter(property = "platform.path", defaultValue = "")
    String path;

    @Override
    String command() {
        return "verify";
    }

    @Override
    void commandOptions(List<String> args) {
        outputOptions(args);
        if (to != null && !to.isBlank()) args.addAll(List.of("--to", to));
        if (branch != null && !branch.isBlank()) args.addAll(List.of("--branch", branch));
        if (path != null && !path.isEmpty()) args.addAll(List.of("--path", path));
    }
}
