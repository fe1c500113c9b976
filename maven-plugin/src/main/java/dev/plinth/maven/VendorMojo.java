package dev.plinth.maven;

import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.util.List;

/**
 * {@code mvn platform:vendor}: downloads the platform's remote Helm charts into vendor/charts/ and
 * writes plinth.lock ({@code plinth vendor}); {@code -Dplatform.mirrors=URL=MIRROR,...} fetches
 * repositories from mirrors.
 */
@Mojo(name = "vendor", requiresProject = false, aggregator = true, threadSafe = true)
public class VendorMojo extends AbstractPlatformMojo {
    /** Comma-separated {@code URL=MIRROR} pairs (plinth vendor --mirror). */
    @Parameter(property = "platform.mirrors")
    String mirrors;

    @Override
    String command() {
        return "vendor";
    }

    @Override
    void commandOptions(List<String> args) {
        for (String m : split(mirrors)) args.addAll(List.of("--mirror", m));
    }
}
