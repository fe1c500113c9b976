package dev.plinth.check;

import org.junit.jupiter.api.Test;

import static dev.plinth.check.CheckFixture.error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * no-plaintext-secrets: no Secret with data or stringData, and no secret in any string or map key
 * of any object; messages name the field and the detector, never the value.
 */
class NoPlaintextSecretsCheckTest {
    private static final String CHECK = "no-plaintext-secrets";
    // made-up values in the shapes of real ones (none is a live credential)
    private static final String GITHUB = "ghp_" + "aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789";
    private static final String PASSWORD = "Tr0ub4dor&3x";

    private static String deploymentWithEnv(String env) {
        return CheckFixture.deployment("api", "containers:\n  - name: api\n    image: \"api:1\"\n    env: " + env + "\n");
    }

    @Test
    void aSecretWithDataOrStringDataIsAnError() {
        CheckFixture.app("""
                apiVersion: v1
                kind: Secret
                metadata: {name: db}
                data: {user: YXBw}
                stringData: {mode: replica}
                """).run(CHECK).exactly(
                error("Secret/team/db", "data", "Secret 'db' carries its values in data; keep secrets out of Git"),
                error("Secret/team/db", "stringData", "Secret 'db' carries its values in stringData"));
    }

    @Test
    void aSecretWithoutValuesIsFine() {
        CheckFixture.app("""
                apiVersion: v1
                kind: Secret
                metadata: {name: placeholder, annotations: {reflector/source: other}}
                type: Opaque
                data: {}
                """).run(CHECK).none();
    }

    @Test
    void aPasswordUnderASensitiveNameIsFoundAndNeverQuoted() {
        CheckFixture.Finding f = CheckFixture.app(deploymentWithEnv("[{name: DB_PASSWORD, value: '" + PASSWORD + "'}]")).run(CHECK)
                .only(error("Deployment/team/api", "spec.template.spec.containers[0].env[0].value", "looks like a password in plain text"));
        assertFalse(f.message().contains(PASSWORD), f.message());
        assertEquals("environments/live/apps/web.yaml:12:44", f.loc(), "placed at the value's line");
    }

    @Test
    void referencesAndPlaceholdersAreNotSecrets() {
        CheckFixture.app(deploymentWithEnv("""
                [{name: DB_PASSWORD, valueFrom: {secretKeyRef: {name: db, key: password}}},
                 {name: API_TOKEN, value: "${API_TOKEN}"}, {name: DB_PASSWORD_FILE, value: /run/secrets/db},
                 {name: TOKEN_SECRET, value: app-token}]""")).run(CHECK).none();
    }

    @Test
    void tokensAreFoundInAnyObjectAndAsMapKeys() {
        CheckFixture.app("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: ci}
                data:
                  notes: "the bot uses %s"
                  %s: bot
                """.formatted(GITHUB, GITHUB)).run(CHECK).exactly(
                error("ConfigMap/team/ci", "data.notes", "looks like a GitHub token in plain text"),
                error("ConfigMap/team/ci", "data.***", "the key looks like a GitHub token in plain text"));
    }

    @Test
    void aWaiverSuppressesTheFinding() {
        CheckFixture.app(deploymentWithEnv("[{name: DB_PASSWORD, value: '" + PASSWORD + "'}]")).waiver("web", CHECK).run(CHECK).none();
    }

    /** kubeseal's shape: the session key's length (512 bytes), that key, the sealed value and its tag, in base64. */
    private static String sealed(int seed) {
        byte[] b = new byte[2 + 512 + 40];
        new java.util.Random(seed).nextBytes(b);
        b[0] = 2;
        b[1] = 0;
        return java.util.Base64.getEncoder().encodeToString(b);
    }

    /** A SealedSecret's encryptedData is ciphertext when it has kubeseal's shape; a value of another shape is scanned as plaintext. */
    @Test
    void sealedValuesAreCiphertextButPastedOnesAreNot() {
        String sealedSecret = """
                apiVersion: bitnami.com/v1alpha1
                kind: SealedSecret
                metadata: {name: db}
                spec:
                  encryptedData: {password: "%s", AWS_SECRET_ACCESS_KEY: "%s"}
                """;
        CheckFixture.app(sealedSecret.formatted(sealed(1), sealed(2))).run(CHECK).none();
        CheckFixture.app(sealedSecret.formatted(PASSWORD, sealed(2))).run(CHECK)
                .only(error("SealedSecret/team/db", "spec.encryptedData.password", "looks like a password in plain text"));
    }
}
