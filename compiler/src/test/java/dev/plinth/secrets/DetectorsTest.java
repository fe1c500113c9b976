package dev.plinth.secrets;

import dev.plinth.values.FieldPath;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Each detector: what it takes for a secret, and the near misses it must leave alone. */
class DetectorsTest {
    // made-up values in the shapes of the real ones (none of them is a live credential)
    static final String FINE_GRAINED = "github_pat_" + "11ABCDEFG0abcdefghijKL" + "_" + "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456";
    static final String CLASSIC = "ghp_" + "aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789";
    static final String AWS_ID = "AKIA" + "IOSFODNN7EXAMPLE";
    static final String AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    static final String PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n-----END RSA PRIVATE KEY-----\n";
    static final String SLACK = "https://hooks.slack.com/services/" + "T0123ABCD/B0123ABCD/" + "abcdEFGHijklMNOPqrstUVWX";

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String detect(String name, String value) {
        return SecretScanner.detect(name, value);
    }

    @Test
    void githubTokensFineGrainedAndClassic() {
        assertEquals("a GitHub token", detect("x", FINE_GRAINED));
        assertEquals("a GitHub token", detect("x", "token " + CLASSIC + " for the bot"));
        assertEquals("a GitHub token", detect("x", "gho_" + CLASSIC.substring(4)));
        assertNull(detect("x", "github_pat_short"), "too short for the format");
        assertNull(detect("x", "ghp_notatoken"));
        assertNull(detect("x", "see https://github.com/settings/tokens for ghp_ tokens"));
    }

    @Test
    void awsSecretKeysUnderTheirNameOrNextToTheKeyId() {
        assertEquals("an AWS secret access key", detect("AWS_SECRET_ACCESS_KEY", AWS_SECRET));
        assertEquals("an AWS secret access key", detect("credentials", "[default]\naws_access_key_id = " + AWS_ID.replace("AKIA", "AKIB")
                + "\naws_secret_access_key = " + AWS_SECRET + "\n"));
        assertNull(detect("AWS_SECRET_NAME", "aws-credentials"), "a reference to a Secret");
        assertNull(detect("GIT_COMMIT", "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3"), "a commit id is not a key");
        // a ConfigMap with the id and the key under names that say nothing
        List<String> found = scan("ConfigMap", Map.of("data", Map.of("id", AWS_ID, "k", AWS_SECRET)));
        assertEquals(List.of("data.id: an AWS access key", "data.k: an AWS secret access key"), found.stream().sorted().toList());
        assertEquals(List.of(), scan("ConfigMap", Map.of("data", Map.of("id", "not-a-key-id-at-all", "k", AWS_SECRET))),
                "40 characters alone are not enough");
    }

    @Test
    void base64EncodedPrivateKeysInEnvBinaryDataAndEmbedded() {
        assertEquals("a base64-encoded private key", detect("TLS_KEY_B64", b64(PEM)));
        assertEquals("a base64-encoded private key", detect("kubeconfig", "users:\n- user:\n    client-key-data: " + b64(PEM) + "\n"));
        assertEquals("a base64-encoded private key", detect("x", b64("pad" + PEM)), "any alignment");
        assertEquals("a base64-encoded private key", detect("kubeconfig", "    client-key-data: " + b64(PEM + "x") + "\n    token: abc\n"),
                "what follows the value is not part of it");
        List<String> found = scan("ConfigMap", Map.of("binaryData", Map.of("key.der", b64(PEM))));
        assertEquals(List.of("binaryData.key.der: a base64-encoded private key"), found);
        assertEquals("a base64-encoded GitHub token", detect("x", b64("machine github.com password " + CLASSIC)));
        assertNull(detect("ca.crt", b64("-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n")),
                "a certificate is public");
        assertNull(detect("logo.png", b64("\u0089PNG\r\n\u001a\n some image bytes here")));
        String hostile = "A".repeat(1 << 20) + " LS0tLS1CRUdJTiBDRVJU";
        long t0 = System.nanoTime();
        assertNull(detect("x", hostile));
        assertEquals(hostile, Redaction.text(hostile));
        org.junit.jupiter.api.Assertions.assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "linear in a long base64 run");
    }

    @Test
    void passwordsInSensitivelyNamedEnvVars() {
        for (String name : List.of("DB_PASSWORD", "dbPassword", "POSTGRES_PASSWD", "redis.pwd", "ADMIN_PASSWORD")) {
            assertEquals("a password", detect(name, "hunter2!"), name);
        }
        for (String value : List.of("${DB_PASSWORD}", "$(DB_PASSWORD)", "{{ .Values.password }}", "<password>", "changeme", "",
                "********", "vault:secret/data/db#password", "/run/secrets/db-password", "password", "REPLACE_ME")) {
            assertNull(detect("DB_PASSWORD", value), value);
        }
        assertNull(detect("DB_PASSWORD_FILE", "secret.txt"), "a file name");
        assertNull(detect("PASSWORD_MIN_LENGTH", "12"));
        assertNull(detect("DB_USER", "hunter2!"), "not a sensitive name");
        assertNull(detect("passwordSecret", "kafka-user-credentials"), "the name of a Secret");
        assertNull(detect("PASSWORD_AUTH", "enabled"), "a switch");
        assertNull(detect("POSTGRES_HOST_AUTH_METHOD", "scram-sha-256"));
        assertNull(detect("vault.hashicorp.com/agent-inject-secret-db", "database/creds/db-app"), "a path in Vault");
        assertNull(detect("DB_PASSWORD", "secret/data/db:password"));
    }

    @Test
    void highEntropyValuesUnderSecretTokenAndApiKeyNames() {
        for (String name : List.of("API_TOKEN", "STRIPE_API_KEY", "CLIENT_SECRET", "JWT_SECRET", "apiKey", "SIGNING_KEY")) {
            assertEquals("a high-entropy secret", detect(name, "Zx9qL2mN7vB4cR8tW1"), name);
        }
        assertNull(detect("API_TOKEN", "api-token"), "a Secret's name");
        assertNull(detect("CLIENT_SECRET", "aaaaaaaaaaaaaaaaaaaa"), "no entropy");
        assertNull(detect("TOKEN_TTL", "Zx9qL2mN7vB4cR8tW1"), "the name says it is not the token");
        assertNull(detect("SECRET_NAME", "Zx9qL2mN7vB4cR8tW1"));
        assertNull(detect("BUILD_ID", "Zx9qL2mN7vB4cR8tW1"), "not a sensitive name");
        assertNull(detect("API_KEY", "short1A"), "too short to be a key");
    }

    @Test
    void urlsWithPasswords() {
        assertEquals("a URL with a password", detect("DATABASE_URL", "postgres://app:s3cr3t@db.internal:5432/app"));
        assertEquals("a URL with a password", detect("x", "amqp://guest:Gu3st-pw@rabbit:5672/"));
        assertNull(detect("DATABASE_URL", "postgres://app@db.internal:5432/app"), "no password");
        assertNull(detect("DATABASE_URL", "postgres://app:${DB_PASSWORD}@db.internal:5432/app"), "a reference");
        assertNull(detect("DATABASE_URL", "postgres://app:$(DB_PASSWORD)@db.internal:5432/app"));
        assertNull(detect("x", "http://host.example.com:8080/path?x=a@b"), "a port, not a password");
        assertNull(detect("x", "s3://audit-archive/prod"));
    }

    @Test
    void slackWebhooksAndTokens() {
        assertEquals("a Slack webhook", detect("SLACK_URL", SLACK));
        assertEquals("a Slack token", detect("x", "xoxb-1234567890-abcdefghij"));
        assertNull(detect("SLACK_URL", "https://hooks.slack.com/services/"));
        assertNull(detect("x", "https://api.slack.com/apps"));
    }

    @Test
    void otherProvidersTokensAndJsonWebTokens() {
        assertEquals("a Google API key", detect("x", "AIza" + "SyA1bCdEfGhIjKlMnOpQrStUvWxYz012345"));
        assertEquals("a GitLab token", detect("x", "glpat-" + "aBcDeFgHiJkLmNoPqRsT"));
        assertEquals("a Stripe secret key", detect("x", "sk_live_" + "aBcDeFgHiJkLmNoPqRsTuVwX"));
        assertEquals("a JSON Web Token", detect("x", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N"));
        assertNull(detect("x", "AIza-too-short-to-be-a-key"));
        assertNull(detect("x", "glpat-short"));
        assertNull(detect("x", "sk_test_" + "aBcDeFgHiJkLmNoPqRsTuVwX"), "a test key is not a live one");
        assertNull(detect("x", "eyJhbGciOiJIUzI1NiJ9 is a JOSE header alone"));
    }

    @Test
    void aTokenAsAKeyAndAPropertiesFile() {
        List<String> found = scan("ConfigMap", Map.of("data", Map.of(CLASSIC, "enabled")));
        assertEquals(List.of("data." + CLASSIC + ": key a GitHub token"), found);
        assertEquals("a password", detect("application.properties", "server.port=8080\ndb.password=hunter2xyz\n"));
        assertNull(detect("application.properties", "server.port=8080\ndb.password=${DB_PASSWORD}\ndb.password.file=/run/x\n"));
        assertEquals("a password", detect("sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"app\" password=\"hunter2xyz\";"));
        assertEquals("a password", detect("ConnectionStrings__Db", "Server=db;Database=app;User Id=app;Password=hunter2xyz;"));
        assertNull(detect("sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"app\" password=\"${DB_PASSWORD}\";"));
        assertNull(detect("args", "--token-ttl=3600 --password-file=/run/secrets/db"));
    }

    @Test
    void aSecretInsideTheLastAppliedAnnotation() {
        String secret = "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"db\"},\"data\":{\"password\":\"aHVudGVyMg==\"}}";
        String configMap = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"db\"},\"data\":{\"mode\":\"fast\"}}";
        Map<String, Object> annotated = Map.of("metadata", Map.of("name", "db",
                "annotations", Map.of("kubectl.kubernetes.io/last-applied-configuration", secret)));
        assertEquals(List.of("metadata.annotations.kubectl.kubernetes.io/last-applied-configuration: a Secret's data"),
                scan("Deployment", annotated));
        assertEquals(List.of(), scan("Deployment", Map.of("metadata", Map.of("name", "db",
                "annotations", Map.of("kubectl.kubernetes.io/last-applied-configuration", configMap)))));
    }

    @Test
    void envVarsAreReadByTheirNameAndSecretDataOnlyWhenAsked() {
        Map<String, Object> deployment = Map.of("spec", Map.of("containers", List.of(Map.of("name", "api", "env", List.of(
                Map.of("name", "DB_PASSWORD", "value", "hunter2!"),
                Map.of("name", "DB_PASSWORD", "valueFrom", Map.of("secretKeyRef", Map.of("name", "db", "key", "password"))),
                Map.of("name", "LOG_LEVEL", "value", "debug"))))));
        assertEquals(List.of("spec.containers[0].env[0].value: a password"), scan("Deployment", deployment));
        Map<String, Object> secret = Map.of("stringData", Map.of("password", "x"));
        assertEquals(List.of(), scan("Secret", secret), "the check reports a Secret's data once per field");
        List<String> all = new ArrayList<>();
        SecretScanner.scan("", "Secret", secret, true, (p, v, w, k) -> all.add(p + ": " + w));
        assertEquals(List.of("stringData.password: a Secret's value"), all);
    }

    private static List<String> scan(String kind, Map<String, Object> body) {
        List<String> out = new ArrayList<>();
        SecretScanner.scan("", kind, body, false, (FieldPath p, String v, String what, boolean key) ->
                out.add(p + ": " + (key ? "key " : "") + what));
        return out;
    }
}
