package dev.plinth.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plinth.TestSupport;
import dev.plinth.TestSupport.Run;
import dev.plinth.diag.Diagnostic;
import dev.plinth.diag.Loc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one redaction every report writer uses: URL credentials, tokens in text, findings and CLI output. */
class RedactionTest {
    private static final String TOKEN = DetectorsTest.CLASSIC;

    @Test
    void urlCredentialsKeepTheUserAndHost() {
        assertEquals("https://ci-bot:***@git.example.com/platform.git",
                Redaction.text("https://ci-bot:s3cr3t@git.example.com/platform.git"));
        assertEquals("cannot publish to https://x-access-token:***@github.com/o/r.git (branch main): refused",
                Redaction.text("cannot publish to https://x-access-token:" + TOKEN + "@github.com/o/r.git (branch main): refused"));
        assertEquals("amqp://guest:***@rabbit:5672/ and redis://:***@cache:6379/0",
                Redaction.text("amqp://guest:Gu3st-pw@rabbit:5672/ and redis://:p4ss@cache:6379/0"));
        for (String kept : List.of("https://git.example.com/platform.git", "ssh://git@git.example.com:22/p.git",
                "postgres://app:${DB_PASSWORD}@db:5432/app", "http://host:8080/a?b=c@d")) {
            assertEquals(kept, Redaction.text(kept));
        }
    }

    @Test
    void tokensAndKeysInTextAreMaskedAndTheRestKept() {
        assertEquals("token *** for the bot", Redaction.text("token " + TOKEN + " for the bot"));
        assertEquals("key: ***\n", Redaction.text("key: " + DetectorsTest.PEM));
        assertEquals("plain words stay as they are, also long ones", Redaction.text("plain words stay as they are, also long ones"));
    }

    @Test
    void findingsAreRedactedWhenTheyAreMade() {
        Diagnostic d = new Diagnostic(new Loc("https://bot:hunter2@git.example.com/r.git", 1, 1), Diagnostic.Severity.ERROR, "x",
                "Invalid value '" + TOKEN + "'", new Diagnostic.Subject("c", "ns", "ConfigMap", "m", "data." + TOKEN));
        assertEquals("https://bot:***@git.example.com/r.git:1:1: error[x]: Invalid value '***' (c ns ConfigMap/m data.***)", d.format());
    }

    @Test
    void aBodyIsCopiedWithFlaggedValuesAndSecretDataMasked() {
        Map<String, Object> env = Map.of("spec", Map.of("containers", List.of(Map.of("name", "api", "env", List.of(
                Map.of("name", "DB_PASSWORD", "value", "hunter2!"), Map.of("name", "MODE", "value", "fast"))))));
        assertEquals(Map.of("spec", Map.of("containers", List.of(Map.of("name", "api", "env", List.of(
                Map.of("name", "DB_PASSWORD", "value", "***"), Map.of("name", "MODE", "value", "fast")))))), Redaction.body("apps", "Deployment", env));
        assertEquals(Map.of("data", Map.of("a", "***"), "stringData", Map.of("b", "***")),
                Redaction.body("", "Secret", Map.of("data", Map.of("a", "eA=="), "stringData", Map.of("b", "x"))));
        Map<String, Object> clean = Map.of("data", Map.of("mode", "blue"));
        assertSame(clean, Redaction.body("", "ConfigMap", clean), "nothing to mask: no copy");
    }

    @Test
    void validateNamesTheFieldAndDetectorAtTheValuesLineAndNeverPrintsTheValue(@TempDir Path root) throws Exception {
        TestSupport.writeLiveEnvironment(root, "1.31", "team");
        TestSupport.write(root.resolve("environments/live/apps/web.yaml"), """
                apiVersion: plinth.dev/v1alpha1
                kind: Application
                metadata: {name: web, tenant: team}
                spec:
                  components:
                    - name: api
                      type: webservice
                      properties:
                        image: registry.example.com/web/api:1.0.0
                        port: 8080
                        resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {memory: 128Mi}}
                        env:
                          LOG_LEVEL: info
                          DB_PASSWORD: "hunter2!Prod"
                          GITHUB_TOKEN: %s
                """.formatted(TOKEN));
        Run text = TestSupport.plinth("validate", "-r", root.toString());
        assertEquals(1, text.exit(), text.err());
        assertFalse(text.err().contains("hunter2!Prod") || text.out().contains("hunter2!Prod"), text.err());
        assertFalse(text.err().contains(TOKEN), text.err());
        assertTrue(text.err().contains("environments/live/apps/web.yaml:14:24: error[no-plaintext-secrets]: looks like a password in plain text"),
                text.err());
        assertTrue(text.err().contains("environments/live/apps/web.yaml:15:25: error[no-plaintext-secrets]: looks like a GitHub token in plain text"),
                text.err());
        Run json = TestSupport.plinth("validate", "-r", root.toString(), "--format", "json");
        assertEquals(1, json.exit(), json.err());
        assertFalse(json.out().contains("hunter2!Prod") || json.out().contains(TOKEN), json.out());
        JsonNode doc = new ObjectMapper().readTree(json.out());
        JsonNode first = doc.get("findings").get(0);
        assertEquals("no-plaintext-secrets", first.get("check").asText());
        assertEquals(14, first.get("line").asInt());
    }

    @Test
    void aFlaggedValueThatAnotherCheckQuotesIsMaskedThereToo(@TempDir Path root) {
        TestSupport.writeLiveEnvironment(root, "1.31", "team");
        TestSupport.write(root.resolve("environments/live/apps/cm.yaml"), TestSupport.k8sObjectsApp("cm", "team", """
                - apiVersion: v1
                  kind: ConfigMap
                  metadata: {name: settings, labels: {db-password: "hunter2!Prod"}}
                  data: {mode: blue}
                """));
        Run run = TestSupport.plinth("validate", "-r", root.toString());
        assertEquals(1, run.exit(), run.err());
        assertTrue(run.err().contains("error[api-validation]: Invalid value '***'"), "the label value is invalid:\n" + run.err());
        assertTrue(run.err().contains("error[no-plaintext-secrets]: looks like a password in plain text"), run.err());
        assertFalse(run.err().contains("hunter2!Prod"), run.err());
    }

    @Test
    void publishNeverPrintsTheRemotesPassword(@TempDir Path root) {
        TestSupport.writeLiveEnvironment(root, "1.31", "team");
        Run run = TestSupport.plinth("publish", "-r", root.toString(), "-o", root.resolve("out").toString(),
                "--to", "http://bot:s3cr3t-pw@127.0.0.1:9/platform.git");
        assertTrue(run.exit() != 0, run.out());
        assertFalse((run.out() + run.err()).contains("s3cr3t-pw"), run.out() + run.err());
        assertTrue(run.err().contains("http://***@127.0.0.1"), run.err()); // publish hides the whole user part: it may be a token
    }
}
