package dev.plinth.check;

import dev.plinth.check.k8s.ApiVersions;
import dev.plinth.check.k8s.CoreModel;
import dev.plinth.check.k8s.CrdSchemas;
import dev.plinth.check.k8s.Operators;
import dev.plinth.diag.Diagnostics;
import dev.plinth.render.RenderedObject;
import dev.plinth.spec.Specs.Cluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * quota-fit with quantities that are not quantities: never counted as zero, the object that
 * holds one is left out, and the value is reported once (by the schema check for built-in
 * objects and custom resources whose CRD's schema rejects it, else here).
 */
class QuotaFitQuantitiesTest {
    @TempDir
    Path dir;

    private static final String QUOTA = """
            apiVersion: v1
            kind: ResourceQuota
            metadata: {name: q, namespace: t}
            spec: {hard: {requests.cpu: '%s', pods: '10'}}
            """;

    private static String deployment(String name, long replicas, String cpu) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %s, namespace: t}
                spec:
                  replicas: %d
                  selector: {matchLabels: {app: %s}}
                  template:
                    metadata: {labels: {app: %s}}
                    spec: {containers: [{name: c, image: i, resources: {requests: {cpu: '%s'}}}]}
                """.formatted(name, replicas, name, name, cpu);
    }

    private static final String NODE_POOL = """
            apiVersion: kafka.strimzi.io/v1
            kind: KafkaNodePool
            metadata: {name: pool, namespace: t}
            spec: {replicas: 3, roles: [broker], resources: {requests: {cpu: '%s'}}}
            """;

    record Result(List<Findings.Recorded> findings, List<QuotaUsage> usage) {
        List<String> messages() {
            return findings.stream().map(f -> f.check() + " " + f.path() + ": " + f.message()).toList();
        }

        String usage(String resource) {
            return usage.stream().filter(u -> u.resource().equals(resource)).map(u -> u.used().stripTrailingZeros().toPlainString()
                    + "/" + u.hard().stripTrailingZeros().toPlainString()).findFirst().orElse("none");
        }
    }

    private static Result check(CrdSchemas crds, String... yaml) {
        return run(new QuotaFitCheck(), crds, yaml);
    }

    /** Runs a namespace check on objects of namespace t in cluster c. */
    @SuppressWarnings("unchecked")
    static Result run(NamespaceCheck check, CrdSchemas crds, String... yaml) {
        List<RenderedObject> objects = new ArrayList<>();
        Map<RenderedObject, Integer> index = new HashMap<>();
        for (String y : yaml) {
            Map<String, Object> body = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(y);
            RenderedObject o = new RenderedObject("c", RenderedObject.Area.APP, "t", "app", "objs", body, null, null, "u");
            index.put(o, objects.size());
            objects.add(o);
        }
        Cluster cluster = new Cluster(null, "c", "live", "1.31", null, List.of(), Map.of(), Map.of(), List.of(), null);
        List<Findings.Recorded> recorded = new ArrayList<>();
        List<QuotaUsage> usage = new ArrayList<>();
        CheckContext context = new CheckContext(CoreModel.get(), crds, ApiVersions.get(), Operators.get(), usage);
        check.check(new NamespaceView("t", objects, new ClusterSpec(cluster, List.of("t"), Map.of(), Map.of(), null)),
                context, Findings.recorder(recorded, index));
        return new Result(recorded, usage);
    }

    private static Result check(String... yaml) {
        return check(CrdSchemas.empty(), yaml);
    }

    @Test
    void quantitiesAreSummedAtMaximumScale() {
        Result r = check(QUOTA.formatted("1"), deployment("a", 2, "500m"), deployment("b", 1, "1e-1"));
        assertEquals("1.1/1", r.usage("requests.cpu"));
        assertEquals(1, r.findings().size(), r.messages().toString());
        assertTrue(r.messages().get(0).contains("needs requests.cpu 1.1 at maximum scale but ResourceQuota q allows 1"), r.messages().toString());
    }

    /** The schema check reports the value; the workload, which the API server refuses, is not counted as needing nothing. */
    @Test
    void aWorkloadWithABadQuantityIsLeftOutAndReportedByTheSchemaCheck() {
        Result r = check(QUOTA.formatted("1"), deployment("a", 2, "lots"), deployment("b", 1, "500m"));
        assertEquals("0.5/1", r.usage("requests.cpu"));
        assertEquals("1/10", r.usage("pods"));
        assertEquals(List.of(), r.messages());
        assertEquals(1, schemaFindings(deployment("a", 2, "lots")), "the schema check's finding");
    }

    @Test
    void aResourceQuotaWithABadQuantityLimitsNothing() {
        Result r = check(QUOTA.formatted("lots"), deployment("a", 2, "500m"));
        assertEquals(List.of(), r.usage());
        assertEquals(List.of(), r.messages());
        assertEquals(1, schemaFindings(QUOTA.formatted("lots")), "the schema check's finding");
    }

    @Test
    void aLimitRangeWithABadQuantityGivesNoDefaults() {
        String limitRange = """
                apiVersion: v1
                kind: LimitRange
                metadata: {name: lr, namespace: t}
                spec: {limits: [{type: Container, defaultRequest: {cpu: '%s'}}]}
                """;
        String bare = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: bare, namespace: t}
                spec: {replicas: 2, selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: i}]}}}
                """;
        assertEquals("0.6/1", check(QUOTA.formatted("1"), limitRange.formatted("300m"), bare).usage("requests.cpu"));
        Result r = check(QUOTA.formatted("1"), limitRange.formatted("lots"), bare);
        assertEquals("0/1", r.usage("requests.cpu"));
        assertEquals(List.of(), r.messages());
    }

    /** No CRD checks the node pool: quota-fit reports the value, once, and leaves the pool out. */
    @Test
    void aCustomResourceWithABadQuantityIsReportedHere() {
        Result r = check(QUOTA.formatted("1"), NODE_POOL.formatted("lots"), deployment("b", 1, "500m"));
        assertEquals("0.5/1", r.usage("requests.cpu"));
        assertEquals(List.of("quota-fit spec.resources.requests.cpu: 'lots' is not a quantity such as 500m or 1Gi, so KafkaNodePool/pool"
                + " is not counted against the ResourceQuota of namespace t"), r.messages());
        assertEquals("lots", r.findings().get(0).value());
        assertEquals("3.5/1", check(QUOTA.formatted("1"), NODE_POOL.formatted("1"), deployment("b", 1, "500m")).usage("requests.cpu"));
    }

    /** The node pool's CRD gives its quantities a pattern: the schema check reports the value, quota-fit does not. */
    @Test
    void aCustomResourceWhoseSchemaRejectsTheValueIsTheSchemaChecks() throws Exception {
        Files.writeString(dir.resolve("crd.yaml"), """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: kafkanodepools.kafka.strimzi.io}
                spec:
                  group: kafka.strimzi.io
                  names: {kind: KafkaNodePool, plural: kafkanodepools}
                  scope: Namespaced
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    schema:
                      openAPIV3Schema:
                        type: object
                        properties:
                          spec:
                            type: object
                            x-kubernetes-preserve-unknown-fields: true
                            properties:
                              resources:
                                type: object
                                properties:
                                  requests:
                                    type: object
                                    additionalProperties:
                                      anyOf: [{type: integer}, {type: string}]
                                      pattern: '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$'
                                      x-kubernetes-int-or-string: true
                """);
        Diagnostics diags = new Diagnostics();
        CrdSchemas crds = CrdSchemas.load(dir, List.of(dir.resolve("crd.yaml")), diags);
        assertTrue(crds.hasSchema("kafka.strimzi.io/v1", "KafkaNodePool"), diags.toString());
        Result r = check(crds, QUOTA.formatted("1"), NODE_POOL.formatted("lots"));
        assertEquals(List.of(), r.messages());
        assertEquals("0/1", r.usage("requests.cpu"));
    }

    @Test
    void jvmSizesThatAreNeitherAreReported() {
        String spark = """
                apiVersion: sparkoperator.k8s.io/v1beta2
                kind: SparkApplication
                metadata: {name: job, namespace: t}
                spec: {driver: {cores: 1, memory: '%s'}, executor: {cores: 1, instances: 2, memory: 1g}}
                """;
        String quota = """
                apiVersion: v1
                kind: ResourceQuota
                metadata: {name: q, namespace: t}
                spec: {hard: {requests.memory: 100Gi}}
                """;
        // (1.5 + 0.375) + 2 x (1 + 0.375) Gi: heaps and Spark's overhead of at least 384 MiB
        assertEquals("4.625", gi(check(quota, spark.formatted("1.5g")).usage("requests.memory")));
        assertEquals("4.625", gi(check(quota, spark.formatted("1536Mi")).usage("requests.memory")));
        for (String bad : List.of("1.2.3g", "4x", ".g")) {
            Result r = check(quota, spark.formatted(bad));
            assertEquals(List.of("quota-fit spec.driver.memory: '" + bad + "' is not a JVM size such as 4g or 512m, nor a quantity such as 1Gi,"
                    + " so SparkApplication/job is not counted against the ResourceQuota of namespace t"), r.messages());
            assertEquals("0", gi(r.usage("requests.memory")));
        }
    }

    private static String gi(String usage) {
        java.math.BigDecimal used = new java.math.BigDecimal(usage.substring(0, usage.indexOf('/')));
        return used.divide(java.math.BigDecimal.valueOf(1L << 30)).stripTrailingZeros().toPlainString();
    }

    /** The schema check's findings about the object. */
    @SuppressWarnings("unchecked")
    private static int schemaFindings(String yaml) {
        Map<String, Object> body = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(yaml);
        RenderedObject o = new RenderedObject("c", RenderedObject.Area.APP, "t", "app", "objs", body, null, null, "u");
        List<Findings.Recorded> recorded = new ArrayList<>();
        Findings findings = Findings.recorder(recorded);
        findings.at(0);
        new SchemaCheck().check(o, "1.31", new CheckContext(CoreModel.get(), CrdSchemas.empty(), ApiVersions.get(), Operators.get(),
                new ArrayList<>()), findings);
        return recorded.size();
    }

    /** Flink's slots and Spark's overhead factor are numbers written as strings: one that is not is reported, not a crash. */
    @Test
    void numbersThatAreNotNumbersAreReported() {
        String flink = """
                apiVersion: flink.apache.org/v1beta1
                kind: FlinkDeployment
                metadata: {name: f, namespace: t}
                spec:
                  flinkConfiguration: {taskmanager.numberOfTaskSlots: 'two'}
                  jobManager: {resource: {memory: 1g, cpu: 1}}
                  taskManager: {resource: {memory: 1g, cpu: 1}}
                  job: {parallelism: 2}
                """;
        Result r = check(QUOTA.formatted("10"), flink);
        assertTrue(r.messages().stream().anyMatch(m -> m.contains("'two' is not a whole number, so FlinkDeployment/f is not counted")),
                r.messages().toString());
        String spark = """
                apiVersion: sparkoperator.k8s.io/v1beta2
                kind: SparkApplication
                metadata: {name: s, namespace: t}
                spec: {type: Scala, memoryOverheadFactor: 'high', driver: {cores: 1, memory: 1g}, executor: {cores: 1, memory: 1g, instances: 2}}
                """;
        r = check(QUOTA.formatted("10"), spark);
        assertTrue(r.messages().stream().anyMatch(m -> m.contains("'high' is not a number, so SparkApplication/s is not counted")),
                r.messages().toString());
        assertEquals("3/10", check(QUOTA.formatted("10"), spark.replace("'high'", "'0.2'")).usage("requests.cpu"));
    }
}
