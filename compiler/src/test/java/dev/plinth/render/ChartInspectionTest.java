package dev.plinth.render;

import dev.plinth.TestSupport;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The template scan of {@link ChartInspection}: which calls it refuses, and where it says they are. */
class ChartInspectionTest {
    private static List<ChartInspection.Problem> scan(String template) {
        List<ChartInspection.Problem> problems = new ArrayList<>();
        ChartInspection.scan("t.yaml", template, problems);
        return problems;
    }

    @Test
    void everyClockRandomAndClusterFunctionIsRefusedAtItsLine() {
        for (String f : ChartInspection.NON_DETERMINISTIC) {
            List<ChartInspection.Problem> p = scan("a: 1\nb: {{ " + f + " 8 | quote }}\n");
            assertEquals(1, p.size(), f);
            assertEquals(f, p.get(0).function());
            assertEquals(true, p.get(0).text().startsWith("t.yaml:2: calls " + f + ", whose result "), p.get(0).text());
        }
    }

    @Test
    void theIssuesFunctionsAreAllRefused() {
        // issue 18's list, and the date formatters and parsers that read the clock or the local zone
        for (String f : List.of("randAlphaNum", "randAlpha", "randNumeric", "randAscii", "uuidv4", "now", "date",
                "dateInZone", "date_in_zone", "htmlDate", "htmlDateInZone", "ago", "toDate", "mustToDate", "genCA",
                "genPrivateKey", "genSelfSignedCert", "genSignedCert", "lookup", "shuffle", "bcrypt", "htpasswd",
                "encryptAES", "randInt", "randBytes", "getHostByName")) {
            assertEquals(true, ChartInspection.NON_DETERMINISTIC.contains(f), f);
        }
    }

    @Test
    void pipelinesNestedCallsAndTrimMarkersAreFound() {
        List<ChartInspection.Problem> p = scan("""
                x: {{- now | date "2006" -}}
                y: {{ include "x" (dict "a" (uuidv4)) }}
                z: {{
                  lookup "v1" "Secret" .Release.Namespace "s"
                }}
                """);
        assertEquals(List.of("now", "date", "uuidv4", "lookup"), p.stream().map(ChartInspection.Problem::function).toList());
        assertEquals(true, p.get(3).text().startsWith("t.yaml:4: calls lookup, whose result depends on a cluster"), p.get(3).text());
        assertEquals(true, p.get(0).text().contains("depends on the clock or the time zone"), p.get(0).text());
        assertEquals(true, p.get(2).text().contains("is random"), p.get(2).text());
    }

    @Test
    void deterministicNamesFieldsVariablesStringsAndCommentsAreNotCalls() {
        assertEquals(List.of(), scan("""
                a: {{ .Values.now }} {{ $date := 1 }}{{ $date }} {{ .Values.lookup.date }}
                b: {{ "now and randAlphaNum" }} {{ `uuidv4 ` }}
                c: {{- /* lookup and genCA in a comment */ -}}
                d: {{ dateModify "-1h" .Values.t }} {{ unixEpoch .Values.t }} {{ durationRound "2h5m" }}
                e: {{ updatedAt | quote }} {{ nowhere }} {{ sha256sum "x" }} {{ derivePassword 1 "long" "p" "u" "s" }}
                now: randAlphaNum outside any action
                """));
    }

    /** The helm type's allowNonDeterministic enum is the list the inspection refuses, but lookup. */
    @Test
    void theHelmTypeAcceptsExactlyTheRefusedNames() throws IOException {
        String helm = Files.readString(TestSupport.projectRoot().resolve("library/components/helm.libsonnet"));
        Matcher m = Pattern.compile("allowNonDeterministic:.*?enum: \\[(.*?)\\]", Pattern.DOTALL).matcher(helm);
        assertEquals(true, m.find());
        List<String> names = new ArrayList<>();
        Matcher name = Pattern.compile("'([^']+)'").matcher(m.group(1));
        while (name.find()) names.add(name.group(1));
        assertEquals(ChartInspection.NON_DETERMINISTIC.stream().filter(f -> !ChartInspection.NEVER_ALLOWED.contains(f)).toList(), names);
    }
}
