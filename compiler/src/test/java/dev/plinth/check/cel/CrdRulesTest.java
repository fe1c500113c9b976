package dev.plinth.check.cel;

import dev.plinth.TestSupport;
import dev.plinth.check.k8s.CrdSchemas;
import dev.plinth.diag.Diagnostics;
import dev.plinth.yaml.YamlReader;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The x-kubernetes-validations of CRDs, evaluated as the API server does on create. */
class CrdRulesTest {
    private static Path sharedCrds() {
        Path crds = TestSupport.projectRoot().resolve("../shared/crds").normalize();
        Assumptions.assumeTrue(Files.isDirectory(crds), "upstream CRDs not found at " + crds + ": skipping");
        return crds;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(String text) {
        return (Map<String, Object>) YamlReader.readAll("test.yaml", text, new Diagnostics()).get(0).toPlain();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> goldenKafka() throws Exception {
        Path f = TestSupport.projectRoot().resolve("tests/golden/01-example/expected/clusters/dev-hz/tenants/analytics/apps/clickstream/kafka-events.yaml");
        return yaml(Files.readString(f));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aStrimziKafkaWhoseJmxMetricsHaveNoValueFromIsRefused() throws Exception {
        Path crds = sharedCrds();
        CrdSchemas schemas = CrdSchemas.load(crds, List.of(crds.resolve("strimzi/040-Crd-kafka.yaml")), new Diagnostics());
        Map<String, Object> kafka = goldenKafka();
        assertEquals(List.of(), schemas.validate("kafka.strimzi.io/v1", "Kafka", kafka), "the example's Kafka passes");

        Map<String, Object> metrics = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) kafka.get("spec")).get("kafka")).get("metricsConfig");
        metrics.remove("valueFrom");
        assertEquals(List.of(new CrdSchemas.Problem("spec.kafka.metricsConfig", "valueFrom property is required")),
                schemas.validate("kafka.strimzi.io/v1", "Kafka", kafka));

        metrics.put("type", "strimziMetricsReporter");
        assertEquals(List.of(), schemas.validate("kafka.strimzi.io/v1", "Kafka", kafka), "the rule holds for the other type");
    }

    @Test
    void validateRefusesTheKafkaAtItsSpecLine(@org.junit.jupiter.api.io.TempDir Path tmp) {
        Path crds = sharedCrds();
        Path root = tmp.resolve("p");
        TestSupport.copyTree(TestSupport.projectRoot().resolve("tests/golden/04-k8s-objects/input"), root);
        TestSupport.write(root.resolve("environments/live/environment.yaml"), """
                apiVersion: plinth.dev/v1alpha1
                kind: Environment
                metadata: {name: live}
                spec:
                  clusters: [{name: live-1, kubeVersion: "1.31", operators: {strimzi: "1.2"}}]
                """);
        TestSupport.write(root.resolve("environments/live/apps/kafka.yaml"), """
                apiVersion: plinth.dev/v1alpha1
                kind: Application
                metadata: {name: kafka, tenant: team}
                spec:
                  components:
                    - name: objs
                      type: k8s-objects
                      properties:
                        objects:
                          - apiVersion: kafka.strimzi.io/v1
                            kind: Kafka
                            metadata: {name: events}
                            spec:
                              kafka:
                                listeners: [{name: plain, port: 9092, type: internal, tls: false}]
                                metricsConfig: {type: jmxPrometheusExporter}
                """);
        TestSupport.Run r = TestSupport.plinth(TestSupport.withUpstreamCrds(false, "validate", "-r", root.toString()));
        assertEquals(1, r.exit(), r.err());
        assertEquals("""
                environments/live/apps/kafka.yaml:6:7: error[schema]: valueFrom property is required (live-1 team Kafka/events spec.kafka.metricsConfig)
                1 error
                """, r.err());
    }

    private static List<Path> withoutStrimzi046(Path crds) {
        try (var s = Files.list(crds)) {
            return s.filter(Files::isDirectory).filter(f -> !f.getFileName().toString().equals("strimzi-0.46")).sorted().toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void everyRuleOfTheSharedCrdsCompilesOrIsATransitionRule() {
        Path crds = sharedCrds();
        List<String> failed = new ArrayList<>();
        int compiled = 0;
        int transitions = 0;
        // Strimzi 1.2's CRDs with the others, then Strimzi 0.46's (two CRDs of one kind are an error)
        for (List<Path> set : List.of(withoutStrimzi046(crds), List.of(crds.resolve("strimzi-0.46")))) {
            Diagnostics diags = new Diagnostics();
            CrdSchemas schemas = CrdSchemas.load(crds, set, diags);
            assertEquals(0, diags.errorCount(), diags.sorted().toString());
            for (String key : schemas.servedKeys()) {
                for (CrdRules.Status s : schemas.rules(key).rules()) {
                    if (s.error() != null) failed.add(key + " " + s.path() + ": " + s.rule() + ": " + s.error());
                    else if (s.transition()) transitions++;
                    else compiled++;
                }
            }
        }
        assertEquals(List.of(), failed);
        assertTrue(compiled >= 60, "rules evaluated on create: " + compiled);
        assertTrue(transitions >= 10, "transition rules (skipped on create, compiled all the same): " + transitions);
    }

    private static List<CrdRules.Violation> check(String schema, String object) {
        return CrdRules.of(yaml(schema)).validate(yaml(object));
    }

    @Test
    void messageExpressionFieldPathAndReason() {
        String schema = """
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      min: {type: integer}
                      max: {type: integer}
                    x-kubernetes-validations:
                      - rule: self.min <= self.max
                        messageExpression: "'min ' + string(self.min) + ' is above max ' + string(self.max)"
                        fieldPath: .min
                      - rule: self.max < 100
                        message: max must be below 100
                        reason: FieldValueForbidden
                      - rule: "self.min >= 0"
                """;
        assertEquals(List.of(), check(schema, "spec: {min: 1, max: 2}"));
        assertEquals(List.of(new CrdRules.Violation("spec.min", "min 5 is above max 2")), check(schema, "spec: {min: 5, max: 2}"));
        assertEquals(List.of(new CrdRules.Violation("spec", "Forbidden: max must be below 100"),
                new CrdRules.Violation("spec", "failed rule: self.min >= 0")), check(schema, "spec: {min: -1, max: 200}"));
        assertEquals(List.of(new CrdRules.Violation("spec", "no such key: max evaluating rule: self.min <= self.max"),
                new CrdRules.Violation("spec", "no such key: max evaluating rule: max must be below 100")), check(schema, "spec: {min: 1}"));
    }

    @Test
    void selfIsBoundPerNodeWithDefaultsEscapedNamesAndTypes() {
        String schema = """
                type: object
                properties:
                  metadata: {type: object}
                  spec:
                    type: object
                    properties:
                      policy: {type: string, default: Default}
                      value: {type: integer}
                      x-size: {type: string}
                      port: {x-kubernetes-int-or-string: true}
                      ratio: {type: number}
                      timeout: {type: string, format: duration}
                      items:
                        type: array
                        items:
                          type: object
                          properties: {name: {type: string}}
                          x-kubernetes-validations: [{rule: "self.name.matches('^[a-z]+$')", message: lowercase names}]
                      labels:
                        type: object
                        additionalProperties: {type: string}
                        x-kubernetes-validations: [{rule: "!('forbidden' in self)"}]
                    x-kubernetes-validations:
                      - rule: "self.policy == 'Default' ? has(self.value) : !has(self.value)"
                      - rule: "!has(self.x__dash__size) || self.x__dash__size.lowerAscii() == self.x__dash__size"
                      - rule: "!has(self.port) || type(self.port) == int || self.port.endsWith('%')"
                      - rule: "!has(self.ratio) || self.ratio < 1.5"
                      - rule: "!has(self.timeout) || self.timeout < duration('1h')"
                x-kubernetes-validations:
                  - rule: "self.metadata.name.size() < 10"
                """;
        assertEquals(List.of(), check(schema, """
                metadata: {name: short, labels: {a: b}}
                spec: {value: 1, x-size: abc, port: 8080, ratio: 1, timeout: 30m, items: [{name: a}], labels: {ok: x}}
                """));
        assertEquals(List.of(
                new CrdRules.Violation("", "failed rule: self.metadata.name.size() < 10"),
                new CrdRules.Violation("spec", "failed rule: self.policy == 'Default' ? has(self.value) : !has(self.value)"),
                new CrdRules.Violation("spec", "failed rule: !has(self.x__dash__size) || self.x__dash__size.lowerAscii() == self.x__dash__size"),
                new CrdRules.Violation("spec", "failed rule: !has(self.port) || type(self.port) == int || self.port.endsWith('%')"),
                new CrdRules.Violation("spec", "failed rule: !has(self.ratio) || self.ratio < 1.5"),
                new CrdRules.Violation("spec", "failed rule: !has(self.timeout) || self.timeout < duration('1h')"),
                new CrdRules.Violation("spec.items[1]", "lowercase names"),
                new CrdRules.Violation("spec.labels", "failed rule: !('forbidden' in self)")), check(schema, """
                metadata: {name: much-too-long-a-name}
                spec: {x-size: ABC, port: "50", ratio: 2, timeout: 2h, items: [{name: a}, {name: B}], labels: {forbidden: x}}
                """));
    }

    @Test
    void kubernetesLibraryFunctions() {
        String schema = """
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      id: {type: string}
                      memory: {type: string}
                      weights: {type: array, items: {type: integer}}
                      host: {type: string}
                      url: {type: string}
                      csv: {type: string}
                    x-kubernetes-validations:
                      - rule: "!format.uuid().validate(self.id).hasValue()"
                        message: id is a UUID
                      - rule: "quantity(self.memory).isLessThan(quantity('1Gi')) && isQuantity(self.memory)"
                        message: memory under 1Gi
                      - rule: "self.weights.isSorted() && self.weights.sum() == 6 && self.weights.max() == 3 && self.weights.indexOf(2) == 1"
                        message: weights
                      - rule: "!format.dns1123Label().validate(self.host).hasValue() && format.named('dns1123Label').hasValue()"
                        message: host is a DNS label
                      - rule: "isURL(self.url) && url(self.url).getHostname() == 'example.com' && self.url.find('[0-9]+') == '8443'"
                        message: url
                      - rule: "self.csv.split(',').map(s, s.trim()).join('+') == 'a+b' && sets.contains(['a', 'b'], self.csv.split(',').map(s, s.trim()))"
                        message: csv
                      - rule: "self.weights.sort().reverse() == [3, 2, 1] && self.weights.all(i, w, w == i + 1) && lists.range(3).size() == 3"
                        message: lists
                """;
        assertEquals(List.of(), check(schema, """
                spec: {id: 3f2504e0-4f89-11d3-9a0c-0305e82c3301, memory: 512Mi, weights: [1, 2, 3], host: web, url: "https://example.com:8443/x", csv: "a, b"}
                """));
        List<String> failed = check(schema, """
                spec: {id: nope, memory: 2Gi, weights: [3, 2, 1], host: Web_1, url: "example.com", csv: "a,c"}
                """).stream().map(CrdRules.Violation::message).toList();
        assertEquals(List.of("id is a UUID", "memory under 1Gi", "weights", "host is a DNS label", "url", "csv", "lists"), failed);
    }

    @Test
    void transitionRulesAreSkippedAndCompileErrorsReported() {
        String schema = """
                type: object
                properties:
                  spec:
                    type: object
                    properties: {a: {type: string}}
                    x-kubernetes-validations:
                      - rule: self == oldSelf
                      - rule: "self.a.nosuchfunction()"
                      - rule: "authorizer.group('').resource('pods').check('get').allowed()"
                      - rule: "oldSelf.hasValue() || self.a != 'new'"
                        optionalOldSelf: true
                        message: created with a
                """;
        CrdRules rules = CrdRules.of(yaml(schema));
        assertEquals(4, rules.rules().size());
        assertEquals(false, rules.rules().get(3).transition(), "with optionalOldSelf it is evaluated on create");
        assertEquals(new CrdRules.Violation("spec", "created with a"), rules.validate(yaml("spec: {a: new}")).get(1));
        assertTrue(rules.rules().get(0).transition());
        assertEquals(null, rules.rules().get(0).error());
        assertEquals("authorizer", rules.rules().get(2).unsupported(), "what Plinth does not provide is skipped");
        assertEquals(null, rules.rules().get(2).error());
        List<CrdRules.Violation> v = rules.validate(yaml("spec: {a: x}"));
        assertEquals(1, v.size());
        assertTrue(v.get(0).message().startsWith("rule compile error: "), v.toString());
    }
}
