package dev.plinth.secrets;

import dev.plinth.TestSupport;
import dev.plinth.TestSupport.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A private key base64-encoded on its way out, by a definition's {@code std.base64} or a chart's
 * {@code b64enc}, fails the check (it used to reach the output with exit 0), and is not printed.
 */
class EncodedKeysTest {
    private static final String KEY_LINE = "MHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5vvKYYzsbTpBpoAoGCCqGSM49";

    @Test
    void stdBase64AndHelmB64encOfAPrivateKeyAreFound(@TempDir Path root) {
        TestSupport.write(root.resolve("platform.yaml"), """
                apiVersion: plinth.dev/v1alpha1
                kind: Platform
                metadata: {name: p}
                spec:
                  library: [defs]
                """);
        TestSupport.writeLiveEnvironment(root, "1.31", "team");
        TestSupport.write(root.resolve("defs/components/keyed.libsonnet"), """
                local plinth = import 'lib/plinth.libsonnet';
                {
                  description: 'A ConfigMap holding a key, encoded.',
                  parameters: { key: { type: 'string', required: true } },
                  render(ctx, props):: [
                    { apiVersion: 'v1', kind: 'ConfigMap', metadata: plinth.meta(ctx),
                      data: { 'key.b64': std.base64(props.key) } },
                  ],
                }
                """);
        TestSupport.write(root.resolve("environments/live/apps/charts/keyed/Chart.yaml"), "apiVersion: v2\nname: keyed\nversion: 0.1.0\n");
        TestSupport.write(root.resolve("environments/live/apps/charts/keyed/values.yaml"), "key: ''\n");
        TestSupport.write(root.resolve("environments/live/apps/charts/keyed/templates/cm.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: chart-key}
                binaryData:
                  key.der: {{ .Values.key | b64enc }}
                """);
        String pem = "-----BEGIN EC PRIVATE KEY-----\\n" + KEY_LINE + "\\n-----END EC PRIVATE KEY-----\\n";
        TestSupport.write(root.resolve("environments/live/apps/app.yaml"), """
                apiVersion: plinth.dev/v1alpha1
                kind: Application
                metadata: {name: app, tenant: team}
                spec:
                  components:
                    - name: jsonnet
                      type: keyed
                      properties: {key: "%s"}
                    - name: chart
                      type: helm
                      properties:
                        chart: charts/keyed
                        values: {key: "%s"}
                """.formatted(pem, pem));
        Run run = TestSupport.plinth("validate", "-r", root.toString());
        assertEquals(1, run.exit(), run.err());
        assertTrue(run.err().contains("error[no-plaintext-secrets]: looks like a base64-encoded private key in plain text (live-1 team ConfigMap/jsonnet data.key.b64)"),
                run.err());
        assertTrue(run.err().contains("error[no-plaintext-secrets]: looks like a base64-encoded private key in plain text (live-1 team ConfigMap/chart-key binaryData.key.der)"),
                run.err());
        assertFalse(run.err().contains("LS0tLS1CRUdJT"), run.err());
    }
}
