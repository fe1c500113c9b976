package dev.plinth.check;

import dev.plinth.render.RenderedObject;

import java.util.Map;
import java.util.regex.Pattern;

/** Names and labels that the API server would reject. */
final class ObjectShapeCheck implements ObjectCheck {
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");

    @Override
    public String id() {
        return "object-shape";
    }

    @Override
    public void check(RenderedObject o, String kubeVersion, CheckContext context, Findings findings) {
        String name = o.name();
        if (name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches()) {
            findings.error(id(), o, "metadata.name", "metadata.name '" + name
                    + "' is not a valid DNS subdomain (lowercase letters, digits, '-' and '.')", name);
        }
        if (o.metadata().get("labels") instanceof Map<?, ?> labels) {
            labels.forEach((k, v) -> {
                String value = String.valueOf(v);
                if (!(v instanceof String) || value.length() > 63 || !LABEL_VALUE.matcher(value).matches()) {
                    findings.error(id(), o, "metadata.labels." + k, "label " + k + "='" + value
                            + "' is not a valid label value (63 characters at most: letters, digits, '-', '_', '.')", value);
                }
            });
        }
    }
}
