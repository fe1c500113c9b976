package dev.plinth.check;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.plinth.diag.Diagnostic;
import dev.plinth.diag.Diagnostics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/** Findings and quota usage as one JSON document, for bots ({@code --format json}). */
public final class FindingsJson {
    private FindingsJson() {
    }

    /** The machine-readable report of {@code --format json}. */
    public static String write(Diagnostics diags, List<QuotaUsage> quota, boolean ok) {
        List<Map<String, Object>> findings = new ArrayList<>();
        for (Diagnostic d : diags.sorted()) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("file", d.loc().file());
            f.put("line", d.loc().line());
            f.put("column", d.loc().column());
            f.put("severity", d.severity().name().toLowerCase(Locale.ROOT));
            f.put("check", d.checkId());
            f.put("message", d.message());
            if (d.subject() != null) {
                f.put("cluster", d.subject().cluster());
                f.put("namespace", d.subject().namespace());
                f.put("kind", d.subject().kind());
                f.put("name", d.subject().name());
                f.put("path", d.subject().path());
            }
            findings.add(f);
        }
        List<Map<String, Object>> quotas = new ArrayList<>();
        for (QuotaUsage u : quota) {
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("cluster", u.cluster());
            q.put("namespace", u.namespace());
            q.put("resource", u.resource());
            q.put("used", u.used().stripTrailingZeros().toPlainString());
            q.put("hard", u.hard().stripTrailingZeros().toPlainString());
            quotas.add(q);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("ok", ok);
        doc.put("errors", diags.errorCount());
        doc.put("warnings", diags.warningCount());
        doc.put("findings", findings);
        doc.put("quota", quotas);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

}
