package dev.plinth.check;

import dev.plinth.render.RenderedObject;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * No secret material in Git: no Secret with {@code data} or {@code stringData}, and no private
 * key, cloud access key or token in any string of any object. Messages never repeat the value.
 */
final class NoPlaintextSecretsCheck implements ObjectCheck {
    private record Detector(String what, Pattern pattern) {
    }

    private static final List<Detector> DETECTORS = List.of(
            new Detector("a private key", Pattern.compile("-----BEGIN (?:[A-Z]+ )*PRIVATE KEY(?: BLOCK)?-----")),
            new Detector("an AWS access key", Pattern.compile("\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b")),
            new Detector("a Google API key", Pattern.compile("\\bAIza[0-9A-Za-z_-]{35}\\b")),
            new Detector("a GitHub token", Pattern.compile("\\bgh[pousr]_[A-Za-z0-9]{36,}\\b")),
            new Detector("a GitLab token", Pattern.compile("\\bglpat-[A-Za-z0-9_-]{20,}\\b")),
            new Detector("a Slack token", Pattern.compile("\\bxox[abprs]-[A-Za-z0-9-]{10,}\\b")),
            new Detector("a Stripe secret key", Pattern.compile("\\bsk_live_[0-9A-Za-z]{24,}\\b")),
            new Detector("a JSON Web Token", Pattern.compile("\\beyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}")));

    /** Every detector starts with one of these; one search rules out most strings at once. */
    private static final Pattern PREFILTER = Pattern.compile("-----BEGIN|AKIA|ASIA|AIza|gh[pousr]_|glpat-|xox[abprs]-|sk_live_|eyJ");

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
        scan(o, o.body(), FieldPath.ROOT, findings);
    }

    private void scan(RenderedObject o, Object value, FieldPath where, Findings findings) {
        if (value instanceof String s) {
            if (s.length() < 16 || !PREFILTER.matcher(s).find()) return;
            for (Detector d : DETECTORS) {
                if (d.pattern().matcher(s).find()) {
                    findings.error(id(), o, where.toString(), "looks like " + d.what() + " in plain text", null);
                    return;
                }
            }
        } else if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) scan(o, e.getValue(), where.field(e.getKey()), findings);
        } else if (value instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) scan(o, l.get(i), where.index(i), findings);
        }
    }
}
