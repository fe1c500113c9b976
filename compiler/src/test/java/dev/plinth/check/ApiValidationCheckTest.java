package dev.plinth.check;

import dev.plinth.check.k8s.ApiVersions;
import dev.plinth.check.k8s.CoreModel;
import dev.plinth.check.k8s.Operators;
import dev.plinth.diag.Diagnostic.Severity;
import dev.plinth.render.RenderedObject;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The check around ApiValidation: severities, values to place findings by, and no finding the schema check already makes. */
class ApiValidationCheckTest {
    @SuppressWarnings("unchecked")
    private static List<Findings.Recorded> check(String yaml, String kubeVersion) {
        Map<String, Object> body = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(yaml);
        RenderedObject o = new RenderedObject("c", RenderedObject.Area.APP, "t", "app", "objs", body, null, null, "u", null);
        List<Findings.Recorded> recorded = new ArrayList<>();
        Findings findings = Findings.recorder(recorded);
        findings.at(0);
        CheckContext context = new CheckContext(CoreModel.get(), null, ApiVersions.get(), Operators.get(), new ArrayList<>());
        new ApiValidationCheck().check(o, kubeVersion, context, findings);
        return recorded;
    }

    @Test
    void errorsCarryTheOffendingValue() {
        List<Findings.Recorded> r = check("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm, namespace: ns}\ndata: {'a key': x}\n", "1.31");
        assertEquals(1, r.size());
        assertEquals(Severity.ERROR, r.get(0).severity());
        assertEquals("api-validation", r.get(0).check());
        assertEquals("data.a key", r.get(0).path());
        assertEquals("a key", r.get(0).value());
    }

    @Test
    void fieldsTheSchemaCheckReportsAreNotReportedAgain() {
        // port as a string and no selector: the schema check's findings; the port name stays ours
        List<Findings.Recorded> r = check("apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: ns}\n"
                + "spec: {ports: [{name: Web, port: '80'}]}\n", "1.31");
        assertEquals(List.of("spec.ports[0].name"), r.stream().map(Findings.Recorded::path).toList());
    }

    @Test
    void probesOfUndeclaredPortsAreErrors() {
        List<Findings.Recorded> r = check("apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: ns}\n"
                + "spec: {containers: [{name: a, image: i, readinessProbe: {httpGet: {path: /, port: http}}}]}\n", "1.31");
        assertEquals(1, r.size());
        assertEquals(Severity.ERROR, r.get(0).severity());
        assertEquals("spec.containers[0].readinessProbe.httpGet.port", r.get(0).path());
    }

    /**
     * The schema check reads a quantity as the API server decodes one (dev.plinth.values.Quantity):
     * a negative one is a quantity, which api-validation then refuses; spaces at the ends are
     * trimmed; what is not a quantity is the schema check's finding alone.
     */
    @Test
    void quantitiesAreReadAsTheApiServerDecodesThem() {
        String pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: ns}\n"
                + "spec: {containers: [{name: a, image: i, resources: {requests: {cpu: '%s'}}}]}\n";
        List<Findings.Recorded> negative = check(pod.formatted("-1"), "1.31");
        assertEquals(List.of("spec.containers[0].resources.requests.cpu: Invalid value '-1': must be greater than or equal to 0"),
                negative.stream().map(f -> f.path() + ": " + f.message()).toList());
        assertEquals(List.of(), check(pod.formatted(" 1 "), "1.31"));
        assertEquals(List.of(), check(pod.formatted("lots"), "1.31"));
        assertEquals(List.of("spec.containers[0].resources.requests.cpu: expected a quantity such as 500m or 1Gi, got string 'lots'"),
                schema(pod.formatted("lots")));
        assertEquals(List.of(), schema(pod.formatted(" 1 ")));
        assertEquals(List.of(), schema(pod.formatted("-1")));
    }

    @SuppressWarnings("unchecked")
    private static List<String> schema(String yaml) {
        Map<String, Object> body = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(yaml);
        List<dev.plinth.check.k8s.CoreModel.Problem> problems = new ArrayList<>();
        CoreModel core = CoreModel.get();
        core.validate(body, core.typeFor("v1", "Pod"), problems);
        return problems.stream().map(p -> p.path() + ": " + p.message()).toList();
    }
}
