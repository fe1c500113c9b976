package dev.plinth.check;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How much of one ResourceQuota limit a namespace's workloads need at their maximum scale. */
public record QuotaUsage(String cluster, String namespace, String resource, BigDecimal used, BigDecimal hard) {
    public BigDecimal headroom() {
        return hard.subtract(used);
    }

    /** One line per cluster and namespace: "prod-hz analytics: requests.cpu 12/64, pods 27/400, ...". */
    public static List<String> summarise(List<QuotaUsage> usage) {
        Map<String, List<String>> lines = new LinkedHashMap<>();
        for (QuotaUsage u : usage) {
            lines.computeIfAbsent(u.cluster() + " " + u.namespace(), k -> new ArrayList<>())
                    .add(u.resource() + " " + QuotaFitCheck.format(u.resource(), u.used()) + "/" + QuotaFitCheck.format(u.resource(), u.hard()));
        }
        List<String> out = new ArrayList<>();
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
