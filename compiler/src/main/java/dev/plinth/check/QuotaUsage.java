package dev.plinth.check;

import java.math.BigDecimal;

/** How much of one ResourceQuota limit a namespace's workloads need at their maximum scale. */
public record QuotaUsage(String cluster, String namespace, String resource, BigDecimal used, BigDecimal hard) {
    public BigDecimal headroom() {
        return hard.subtract(used);
    }

    /** One line per cluster and namespace: "prod-hz analytics: requests.cpu 12/64, pods 27/400, ...". */
    public static java.util.List<String> summarise(java.util.List<QuotaUsage> usage) {
        java.util.Map<String, java.util.List<String>> lines = new java.util.LinkedHashMap<>();
        for (QuotaUsage u : usage) {
            lines.computeIfAbsent(u.cluster() + " " + u.namespace(), k -> new java.util.ArrayList<>())
                    .add(u.resource() + " " + QuotaFitCheck.format(u.resource(), u.used()) + "/" + QuotaFitCheck.format(u.resource(), u.hard()));
        }
        java.util.List<String> out = new java.util.ArrayList<>();
        lines.forEach((k, v) -> out.add(k + ": " + String.join(", ", v)));
        return out;
    }

    /** "prod-hz analytics requests.cpu: 6.5 of 64 (57.5 free)" */
    public String describe() {
        return cluster + " " + namespace + " " + resource + ": " + QuotaFitCheck.format(resource, used) + " of "
                + QuotaFitCheck.format(resource, hard) + " (" + QuotaFitCheck.format(resource, headroom())
                + (headroom().signum() < 0 ? " over)" : " free)");
    }
}
