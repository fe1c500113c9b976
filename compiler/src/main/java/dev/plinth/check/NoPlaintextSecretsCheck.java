package dev.plinth.check;

import dev.plinth.render.RenderedObject;
import dev.plinth.secrets.SecretScanner;

import java.util.List;

/**
 * No secret material in Git: no Secret with {@code data} or {@code stringData}, and no secret in
 * any string or map key of any object, as {@link dev.plinth.secrets.Detectors} recognises them
 * (token formats, private keys, also base64-encoded, URLs with a password, passwords and
 * high-entropy values under sensitive names, AWS secret keys next to their key id, a Secret
 * inside an annotation). Messages name the field and the detector, never the value; the value
 * is passed on only to place the finding at its line in the spec.
 */
final class NoPlaintextSecretsCheck implements ObjectCheck {
    @Override
    public String id() {
        return "no-plaintext-secrets";
    }

    @Override
    public void check(RenderedObject o, String kubeVersion, CheckContext context, Findings findings) {
        if (o.kind().equals("Secret") && o.group().isEmpty()) {
            for (String field : List.of("data", "stringData")) {
                if (!Workloads.map(o.body().get(field)).isEmpty()) {
                    findings.error(id(), o, field, "Secret '" + o.name() + "' carries its values in " + field
                            + "; keep secrets out of Git (External Secrets, Sealed Secrets, or a Secret created in the cluster)", null);
                }
            }
        }
        SecretScanner.scan(o.group(), o.kind(), o.body(), false, (path, value, what, key) -> findings.error(id(), o, path.toString(),
                key ? "the key looks like " + what + " in plain text" : "looks like " + what + " in plain text", value));
    }
}
