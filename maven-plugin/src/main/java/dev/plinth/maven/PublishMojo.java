package dev.plinth.maven;

import dev.plinth.Compiler;
import dev.plinth.publish.Publisher;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/** {@code mvn platform:publish -Dplatform.to=REPO}: render, commit the output into a GitOps repository, push. */
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
    public void execute() throws MojoExecutionException, MojoFailureException {
        Publisher.Options publish = new Publisher.Options(to, branch, path, credentials(), 3);
        Publisher.Result[] result = new Publisher.Result[1];
        run(options -> {
            result[0] = Compiler.publish(options, publish);
            return null;
        });
        Publisher.Result r = result[0];
        String target = Publisher.redact(to); // a remote's URL may carry a token as its user
        getLog().info(r.commit() == null ? "nothing to publish: " + target + " " + branch + " already has this output"
                : "published " + r.changedFiles() + " changed files to " + target + " " + branch + " as " + r.commit());
    }

    /** Maven settings first (never logged), then the environment. */
    private CredentialsProvider credentials() {
        Server server = settings == null ? null : settings.getServer(serverId);
        if (server != null && server.getPassword() != null) {
            return new UsernamePasswordCredentialsProvider(server.getUsername() == null ? "git" : server.getUsername(), server.getPassword());
        }
        return Publisher.environmentCredentials();
    }
}
