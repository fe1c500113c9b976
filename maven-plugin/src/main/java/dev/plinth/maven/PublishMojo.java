package dev.plinth.maven;

import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;

import java.util.List;
import java.util.Map;

/** {@code mvn platform:publish -Dplatform.to=REPO}: render, commit the output into a GitOps repository, push ({@code plinth publish}). */
@Mojo(name = "publish", requiresProject = false, aggregator = true, threadSafe = true)
public class PublishMojo extends AbstractPlatformMojo {
    /** Target repository: a local path or a URL. */
    @Parameter(property = "platform.to", required = true)
    String to;

    /** Target branch. */
    @Parameter(property = "platform.branch", defaultValue = "main")
    String branch;

    /** Directory inside the target repository. */
    @Parameter(property = "platform.path", defaultValue = "")
    String path;

    /** The server in Maven settings whose username and password authenticate the push. */
    @Parameter(property = "platform.serverId", defaultValue = "plinth")
    String serverId;

    @Parameter(defaultValue = "${settings}", readonly = true)
    Settings settings;

    @Override
    String command() {
        return "publish";
    }

    @Override
    void commandOptions(List<String> args) {
        outputOptions(args);
        args.addAll(List.of("--to", to, "--branch", branch));
        if (path != null && !path.isEmpty()) args.addAll(List.of("--path", path));
    }

    /** The server's credentials from Maven settings, before the environment's (never on the command line). */
    @Override
    Map<String, String> environment() {
        Server server = settings == null ? null : settings.getServer(serverId);
        if (server == null || server.getPassword() == null) return Map.of();
        return Map.of(PlinthRun.GIT_USERNAME, server.getUsername() == null ? "git" : server.getUsername(),
                PlinthRun.GIT_PASSWORD, server.getPassword());
    }
}
