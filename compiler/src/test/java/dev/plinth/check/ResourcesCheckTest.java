package dev.plinth.check;

import org.junit.jupiter.api.Test;

import static dev.plinth.check.CheckFixture.error;

/**
 * resources: every container requests CPU and memory and has a memory limit; no container
 * requests more than the default limit its namespace's LimitRange would give it.
 */
class ResourcesCheckTest {
    private static final String CHECK = "resources";
    private static final String CONTAINER = "spec.template.spec.containers[0]";

    private static String deployment(String resources) {
        return CheckFixture.deployment("web", "containers:\n  - {name: web, image: \"web:1\", resources: " + resources + "}\n");
    }

    private static final String LIMIT_RANGE = """
            apiVersion: v1
            kind: LimitRange
            metadata: {name: defaults}
            spec:
              limits:
                - {type: Container, default: {cpu: '1', memory: 1Gi}, defaultRequest: {cpu: 100m, memory: 128Mi}}
            """;

    @Test
    void requestsAndAMemoryLimitAreEnough() {
        CheckFixture.app(deployment("{requests: {cpu: 100m, memory: 64Mi}, limits: {memory: 64Mi}}")).run(CHECK).none();
    }

    @Test
    void eachMissingFieldIsNamedInOneFinding() {
        CheckFixture.app(deployment("{}")).run(CHECK).only(error("Deployment/team/web", CONTAINER + ".resources",
                "container web has no requests.cpu, requests.memory, limits.memory"));
        CheckFixture.app(deployment("{requests: {cpu: 100m, memory: 64Mi}, limits: {cpu: '1'}}")).run(CHECK)
                .only(error("Deployment/team/web", CONTAINER + ".resources", "container web has no limits.memory"));
    }

    @Test
    void initContainersStatefulSetsAndPodsAreChecked() {
        CheckFixture.app("""
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: db}
                spec:
                  serviceName: db
                  selector: {matchLabels: {app: db}}
                  template:
                    metadata: {labels: {app: db}}
                    spec:
                      initContainers: [{name: init, image: "i:1", resources: {requests: {memory: 64Mi}, limits: {memory: 64Mi}}}]
                      containers: [{name: db, image: "db:1", resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {memory: 64Mi}}}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: debug}
                spec: {containers: [{name: shell, image: "s:1"}]}
                """).run(CHECK).exactly(
                error("StatefulSet/team/db", "spec.template.spec.initContainers[0].resources", "container init has no requests.cpu"),
                error("Pod/team/debug", "spec.containers[0].resources", "container shell has no requests.cpu, requests.memory, limits.memory"));
    }

    @Test
    void aRequestAboveTheLimitRangesDefaultLimitWithoutALimitIsAnError() {
        CheckFixture.cluster().tenant("team").tenantObjects("team", LIMIT_RANGE).app("web", "team")
                .objects("web", deployment("{requests: {cpu: '2', memory: 2Gi}, limits: {memory: 2Gi}}")).run(CHECK)
                .only(error("Deployment/team/web", CONTAINER + ".resources.requests.cpu", "container web requests cpu 2 without a limit,"
                        + " and the LimitRange of team would give it the lower default limit 1; admission rejects such pods"));
    }

    @Test
    void aLimitOrARequestWithinTheDefaultIsFine() {
        CheckFixture.cluster().tenant("team").tenantObjects("team", LIMIT_RANGE).app("web", "team")
                .objects("web", deployment("{requests: {cpu: '2', memory: 1Gi}, limits: {cpu: '2', memory: 1Gi}}")).run(CHECK).none();
        CheckFixture.cluster().tenant("team").tenantObjects("team", LIMIT_RANGE).app("web", "team")
                .objects("web", deployment("{requests: {cpu: 1000m, memory: 64Mi}, limits: {memory: 64Mi}}")).run(CHECK).none();
    }

    @Test
    void anotherNamespacesLimitRangeDoesNotApply() {
        CheckFixture.cluster().tenant("team", "team", "team-batch").tenantObjects("team", LIMIT_RANGE)
                .app("web", "team", "team-batch")
                .objects("web", deployment("{requests: {cpu: '2', memory: 64Mi}, limits: {memory: 64Mi}}")).run(CHECK).none();
    }

    @Test
    void objectsWithoutPodTemplatesAreNotRead() {
        CheckFixture.cluster().operator("flink").tenant("team").app("web", "team").objects("web", """
                apiVersion: flink.apache.org/v1beta1
                kind: FlinkDeployment
                metadata: {name: jobs}
                spec: {podTemplate: {spec: {containers: [{name: flink-main-container}]}}}
                """).run(CHECK).none();
    }

    @Test
    void aWaiverSuppressesTheFindings() {
        CheckFixture.app(deployment("{}")).waiver("web", CHECK).run(CHECK).none();
    }
}
