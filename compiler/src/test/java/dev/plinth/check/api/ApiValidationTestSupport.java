package dev.plinth.check.api;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Objects written as YAML, validated, and what the API server would say about them. */
final class ApiValidationTestSupport {
    private ApiValidationTestSupport() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(String text) {
        return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(text);
    }

    static List<Problems.Problem> problems(String yaml, String kubeVersion) {
        Map<String, Object> body = yaml(yaml);
        return ApiValidation.validate(body, String.valueOf(body.get("apiVersion")), String.valueOf(body.get("kind")), kubeVersion);
    }

    static String describe(List<Problems.Problem> problems) {
        return problems.stream().map(p -> (p.warning() ? "warning " : "") + p.path() + ": " + p.message()).collect(Collectors.joining("\n"));
    }

    static void accepted(String yaml) {
        accepted(yaml, "1.31");
    }

    static void accepted(String yaml, String kubeVersion) {
        List<Problems.Problem> problems = problems(yaml, kubeVersion);
        List<Problems.Problem> errors = problems.stream().filter(p -> !p.warning()).toList();
        assertTrue(errors.isEmpty(), "expected no errors, got:\n" + describe(problems));
    }

    static void rejected(String yaml, String path, String messagePart) {
        rejected(yaml, "1.31", path, messagePart);
    }

    /** Exactly one error, at this path, with this text in its message. */
    static void rejected(String yaml, String kubeVersion, String path, String messagePart) {
        List<Problems.Problem> errors = problems(yaml, kubeVersion).stream().filter(p -> !p.warning()).toList();
        if (errors.size() != 1) fail("expected one error at " + path + ", got:\n" + describe(errors));
        assertEquals(path, errors.get(0).path(), describe(errors));
        assertTrue(errors.get(0).message().contains(messagePart), "message: " + errors.get(0).message());
    }

    /** A Deployment whose pod spec is the given YAML (indented as under spec.template.spec). */
    static String deploymentWithPodSpec(String podSpec) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: shop}
                spec:
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                """ + podSpec.indent(6);
    }
}
