package dev.plinth.check;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.plinth.check.CheckFixture.error;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * quota-fit: per namespace, what the workloads need at maximum scale (HPA or KEDA maximum, else
 * replicas; LimitRange defaults for containers without requests) fits each ResourceQuota; the
 * usage of every quota is recorded for the headroom report.
 */
class QuotaFitCheckTest {
    private static final String CHECK = "quota-fit";
    private static final String RESOURCES = "spec.template.spec.containers[0].resources";

    private static String quota(String hard) {
        return "apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: tenant-quota}\nspec:\n  hard: " + hard + "\n";
    }

    private static String deployment(String name, long replicas, String resources) {
        return CheckFixture.deployment(name, replicas, "containers:\n  - {name: main, image: \"main:1\", resources: " + resources + "}\n");
    }

    private static final String ONE_CPU = "{requests: {cpu: '1', memory: 1Gi}, limits: {memory: 2Gi}}";

    private static CheckFixture team(String hard, String... objects) {
        return CheckFixture.cluster().tenant("team").tenantObjects("team", quota(hard)).app("web", "team")
                .objects("web", String.join("---\n", objects));
    }

    @Test
    void workloadsThatFitAreFineAndTheirUsageIsRecorded() {
        CheckFixture.Result r = team("{requests.cpu: '4', requests.memory: 8Gi, limits.memory: 8Gi, pods: '10'}",
                deployment("api", 2, ONE_CPU)).run(CHECK).none();
        assertEquals(List.of(
                "live-1 team limits.memory: 4Gi of 8Gi (4Gi free)",
                "live-1 team pods: 2 of 10 (8 free)",
                "live-1 team requests.cpu: 2 of 4 (2 free)",
                "live-1 team requests.memory: 2Gi of 8Gi (6Gi free)"), r.quotaUsage());
    }

    @Test
    void needingMoreThanTheQuotaIsAnErrorOnTheLargestWorkload() {
        team("{requests.cpu: '2'}", deployment("api", 3, ONE_CPU), deployment("worker", 1, "{requests: {cpu: 500m, memory: 1Gi}}"))
                .run(CHECK).only(error("Deployment/team/api", RESOURCES, "namespace team needs requests.cpu 3.5 at maximum scale"
                        + " but ResourceQuota tenant-quota allows 2 (Deployment/api 1 x 3, Deployment/worker 0.5 x 1)"));
    }

    @Test
    void theMessageNamesTheThreeLargestShares() {
        team("{requests.memory: 1Gi}",
                deployment("a", 1, "{requests: {memory: 1Gi}}"), deployment("b", 2, "{requests: {memory: 1Gi}}"),
                deployment("c", 3, "{requests: {memory: 1Gi}}"), deployment("d", 1, "{requests: {memory: 512Mi}}"))
                .run(CHECK).only(error("Deployment/team/c", RESOURCES, "needs requests.memory 6.5Gi at maximum scale but ResourceQuota"
                        + " tenant-quota allows 1Gi (Deployment/c 1Gi x 3, Deployment/b 1Gi x 2, Deployment/a 1Gi x 1, ...)"));
    }

    @Test
    void anAutoscalerMaximumCountsInsteadOfReplicas() {
        team("{requests.cpu: '4'}", deployment("api", 1, ONE_CPU), """
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: api}
                spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}, minReplicas: 1, maxReplicas: 5}
                """).run(CHECK).only(error("Deployment/team/api", RESOURCES, "needs requests.cpu 5 at maximum scale but"
                + " ResourceQuota tenant-quota allows 4 (Deployment/api 1 x 5)"));
    }

    @Test
    void aKedaScaledObjectsMaximumDefaultsToOneHundred() {
        String scaled = """
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: api}
                spec: {scaleTargetRef: {name: api}%s}
                """;
        team("{pods: '10'}", deployment("api", 1, ONE_CPU), scaled.formatted(", maxReplicaCount: 8")).run(CHECK).none();
        team("{pods: '10'}", deployment("api", 1, ONE_CPU), scaled.formatted("")).run(CHECK)
                .only(error("Deployment/team/api", "spec.replicas", "needs pods 100 at maximum scale but ResourceQuota tenant-quota allows 10"));
    }

    @Test
    void containersWithoutRequestsCountTheLimitRangeDefaults() {
        CheckFixture.cluster().tenant("team").tenantObjects("team", quota("{cpu: '1', limits.memory: 1Gi}") + """
                ---
                apiVersion: v1
                kind: LimitRange
                metadata: {name: defaults}
                spec:
                  limits:
                    - {type: Container, defaultRequest: {cpu: 300m, memory: 256Mi}, default: {memory: 512Mi}}
                """).app("web", "team").objects("web", deployment("api", 4, "{}")).run(CHECK).exactly(
                error("Deployment/team/api", RESOURCES, "needs cpu 1.2 at maximum scale but ResourceQuota tenant-quota allows 1"),
                error("Deployment/team/api", RESOURCES, "needs limits.memory 2Gi at maximum scale but ResourceQuota tenant-quota allows 1Gi"));
    }

    @Test
    void initContainersJobsAndPodsCount() {
        team("{requests.cpu: '3'}", """
                apiVersion: batch/v1
                kind: Job
                metadata: {name: batch}
                spec:
                  parallelism: 2
                  template:
                    spec:
                      restartPolicy: Never
                      initContainers: [{name: init, image: "i:1", resources: {requests: {cpu: '8'}}}]
                      containers: [{name: main, image: "m:1", resources: {requests: {cpu: '1'}}}]
                """, """
                apiVersion: v1
                kind: Pod
                metadata: {name: debug}
                spec: {containers: [{name: shell, image: "s:1", resources: {requests: {cpu: 1500m}}}]}
                """).run(CHECK).only(error("Job/team/batch", "spec.template.spec.containers[0].resources",
                "needs requests.cpu 3.5 at maximum scale but ResourceQuota tenant-quota allows 3 (Job/batch 1 x 2, Pod/debug 1.5 x 1)"));
    }

    @Test
    void claimsAndStatefulSetTemplatesCountStorage() {
        team("{requests.storage: 10Gi, persistentvolumeclaims: '2'}", """
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: data}
                spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 4Gi}}}
                """, """
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: db}
                spec:
                  replicas: 2
                  serviceName: db
                  selector: {matchLabels: {app: db}}
                  template:
                    metadata: {labels: {app: db}}
                    spec: {containers: [{name: db, image: "db:1"}]}
                  volumeClaimTemplates:
                    - metadata: {name: pgdata}
                      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 5Gi}}}
                """).run(CHECK).exactly(
                error("StatefulSet/team/db", "spec.volumeClaimTemplates[0]",
                        "needs requests.storage 14Gi at maximum scale but ResourceQuota tenant-quota allows 10Gi (StatefulSet/db 5Gi x 2, PersistentVolumeClaim/data 4Gi x 1)"),
                error("StatefulSet/team/db", "spec.volumeClaimTemplates[0]", "needs persistentvolumeclaims 3 at maximum scale"));
    }

    @Test
    void onlyTheQuotasNamespaceCounts() {
        CheckFixture.cluster().tenant("team", "team", "team-batch").tenantObjects("team", quota("{requests.cpu: '1'}"))
                .app("web", "team").app("batch", "team", "team-batch")
                .objects("batch", deployment("big", 10, ONE_CPU))
                .run(CHECK).none();
    }

    /** What the check does not add up has no usage line (it used to read "0 of 4"), and never a finding. */
    @Test
    void resourcesTheCheckDoesNotCountAreNotReported() {
        CheckFixture.Result r = team("{requests.cpu: '4', limits.cpu: '1', count/configmaps: '1'}",
                deployment("api", 2, ONE_CPU)).run(CHECK).none();
        assertEquals(List.of("live-1 team requests.cpu: 2 of 4 (2 free)"), r.quotaUsage());
    }

    @Test
    void aNamespaceWithoutQuotaRecordsNoUsage() {
        CheckFixture.Result r = CheckFixture.app(deployment("api", 100, ONE_CPU)).run(CHECK).none();
        assertEquals(List.of(), r.quotaUsage());
    }

    @Test
    void operatorPodsCount() {
        CheckFixture.cluster().operator("spark").tenant("team").tenantObjects("team", quota("{pods: '4'}")).app("web", "team")
                .objects("web", """
                        apiVersion: sparkoperator.k8s.io/v1beta2
                        kind: SparkApplication
                        metadata: {name: etl}
                        spec:
                          driver: {cores: 1, memory: 1g}
                          executor: {cores: 1, instances: 2, memory: 2g}
                          dynamicAllocation: {enabled: true, maxExecutors: 6}
                        """).run(CHECK).only(error("SparkApplication/team/etl", "spec.executor",
                        "needs pods 7 at maximum scale but ResourceQuota tenant-quota allows 4 (SparkApplication/etl 1 x 6, SparkApplication/etl 1 x 1)"));
    }

    @Test
    void aWaiverOfTheLargestWorkloadsAppSuppressesTheFinding() {
        team("{requests.cpu: '2'}", deployment("api", 3, ONE_CPU)).waiver("web", CHECK).run(CHECK).none();
    }
}
