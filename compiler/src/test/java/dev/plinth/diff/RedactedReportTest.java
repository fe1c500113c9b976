package dev.plinth.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plinth.TestSupport;
import dev.plinth.TestSupport.Run;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The diff report becomes a pull-request comment: a value the secret check flags, a Secret's
 * data and a URL's password appear in neither the Markdown nor the JSON report, although the
 * change itself is still shown.
 */
class RedactedReportTest {
    static final String TOKEN = "ghp_" + "aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789";
    static final List<String> SECRETS = List.of("0ldPassw0rd!", "n3wPassw0rd!", "hunter2!Prod", "s3cr3tPw", TOKEN, "Zx9qL2mN7vB4cR8tW1");

    private static String extras(String secretValue, String more) {
        return TestSupport.k8sObjectsApp("extras", "team", """
                - apiVersion: v1
                  kind: Secret
                  metadata: {name: db}
                  stringData: {password: "%s"}
                - apiVersion: v1
                  kind: ConfigMap
                  metadata: {name: settings}
                  data:
                    mode: blue
                """.formatted(secretValue) + more.indent(4));
    }

    @Test
    void flaggedValuesSecretDataAndUrlPasswordsAreMaskedInMarkdownAndJson(@TempDir Path tmp) throws Exception {
        Path root = tmp.resolve("platform");
        TestSupport.copyTree(TestSupport.projectRoot().resolve("tests/diff/base"), root);
        TestSupport.write(root.resolve("environments/live/apps/extras.yaml"), extras("0ldPassw0rd!", ""));
        try (Git git = Git.init().setDirectory(tmp.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            git.commit().setMessage("base").setAuthor("t", "t@example.com").setCommitter("t", "t@example.com").setSign(false).call();
        }
        TestSupport.write(root.resolve("environments/live/apps/extras.yaml"), extras("n3wPassw0rd!", """
                DATABASE_URL: "postgres://app:s3cr3tPw@db.internal:5432/app"
                %s: enabled
                API_TOKEN: Zx9qL2mN7vB4cR8tW1""".formatted(TOKEN)));
        Path web = root.resolve("environments/live/apps/web.yaml");
        Files.writeString(web, Files.readString(web).replace("        replicas: 3\n",
                "        replicas: 3\n        env: {DB_PASSWORD: \"hunter2!Prod\"}\n"));

        Run md = TestSupport.plinth("diff", "-r", root.toString(), "--base", "HEAD", "--jobs", "1");
        Run json = TestSupport.plinth("diff", "-r", root.toString(), "--base", "HEAD", "--format", "json", "--jobs", "1");
        assertEquals(0, md.exit(), md.err());
        assertEquals(0, json.exit(), json.err());
        for (String secret : SECRETS) {
            assertFalse(md.out().contains(secret), secret + " in the Markdown report:\n" + md.out());
            assertFalse(json.out().contains(secret), secret + " in the JSON report:\n" + json.out());
        }
        // the changes are still there, masked
        assertTrue(md.out().contains("`stringData.password`: `\"***\"` → `\"***\"` (a secret changed; values redacted)"), md.out());
        assertTrue(md.out().contains("postgres://app:***@db.internal:5432/app"), md.out());
        assertTrue(md.out().contains("`data.***`"), "a token as a key is masked in the path:\n" + md.out());
        assertTrue(md.out().contains("`spec.template.spec.containers[name=api].env[name=DB_PASSWORD].value`: _absent_ → `\"***\"`"), md.out());
        JsonNode report = new ObjectMapper().readTree(json.out());
        boolean seen = false;
        for (JsonNode o : report.get("objects")) {
            for (JsonNode c : o.get("changes")) {
                if (c.get("path").asText().equals("data.API_TOKEN")) {
                    assertEquals("***", c.get("after").asText());
                    seen = true;
                }
            }
        }
        assertTrue(seen, json.out());
        assertTrue(json.out().contains("looks like a password in plain text"), "the new findings are listed:\n" + json.out());
    }
}
