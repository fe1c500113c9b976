package dev.plinth.check;

import org.junit.jupiter.api.Test;

import static dev.plinth.check.CheckFixture.error;

/**
 * pod-security: workloads of a restricted tenant meet the restricted profile, of a baseline
 * tenant the baseline subset (no privileged containers, host namespaces or hostPath); a
 * privileged tenant is not checked.
 */
class PodSecurityCheckTest {
    private static final String CHECK = "pod-security";
    private static final String SC = "spec.template.spec.containers[0].securityContext";
    private static final String RESTRICTED = "{allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}, runAsNonRoot: true,"
            + " seccompProfile: {type: RuntimeDefault}}";

    private static String deployment(String podSpec, String containerSecurity) {
        return CheckFixture.deployment("web", podSpec + "\ncontainers:\n  - {name: web, image: \"web:1\", securityContext: " + containerSecurity + "}\n");
    }

    private static CheckFixture.Result at(String level, String yaml) {
        return CheckFixture.app(yaml).podSecurity("team", level).run(CHECK);
    }

    @Test
    void aRestrictedContainerPasses() {
        at("restricted", deployment("hostname: web", RESTRICTED)).none();
        // runAsNonRoot and seccomp set for the pod, a Localhost profile, NET_BIND_SERVICE added
        at("restricted", deployment("securityContext: {runAsNonRoot: true, runAsUser: 1000, seccompProfile: {type: RuntimeDefault}}",
                "{allowPrivilegeEscalation: false, capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}}")).none();
        at("restricted", deployment("hostname: web", "{allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}, runAsNonRoot: true,"
                + " seccompProfile: {type: Localhost, localhostProfile: p.json}}")).none();
    }

    @Test
    void aContainerWithoutSecurityContextMissesEachRestrictedRule() {
        at("restricted", deployment("hostname: web", "{}")).exactly(
                error("Deployment/team/web", SC + ".allowPrivilegeEscalation", "container web must set allowPrivilegeEscalation: false (restricted)"),
                error("Deployment/team/web", SC + ".capabilities.drop", "container web must drop ALL capabilities (restricted)"),
                error("Deployment/team/web", SC + ".runAsNonRoot", "container web must run as non-root: set runAsNonRoot: true (restricted)"),
                error("Deployment/team/web", SC + ".seccompProfile", "container web needs seccompProfile RuntimeDefault or Localhost (restricted)"));
    }

    @Test
    void rootCapabilitiesAndUnconfinedSeccompAreErrors() {
        at("restricted", deployment("securityContext: {runAsUser: 0, seccompProfile: {type: RuntimeDefault}}",
                "{allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: {drop: [ALL], add: [NET_ADMIN, SYS_TIME]},"
                        + " seccompProfile: {type: Unconfined}}")).exactly(
                error("Deployment/team/web", SC + ".runAsUser", "container web runs as user 0 (restricted)"),
                error("Deployment/team/web", SC + ".capabilities.add", "adds capability NET_ADMIN; restricted allows only NET_BIND_SERVICE"),
                error("Deployment/team/web", SC + ".capabilities.add", "adds capability SYS_TIME"),
                error("Deployment/team/web", SC + ".seccompProfile", "needs seccompProfile RuntimeDefault or Localhost"));
        // the container's user wins over the pod's
        at("restricted", deployment("securityContext: {runAsUser: 0}", "{allowPrivilegeEscalation: false, capabilities: {drop: [ALL]},"
                + " runAsNonRoot: true, runAsUser: 1000, seccompProfile: {type: RuntimeDefault}}")).none();
    }

    @Test
    void hostNamespacesHostPathAndPrivilegedAreErrorsFromBaselineOn() {
        String yaml = deployment("hostNetwork: true\nhostPID: true\nhostIPC: true\nvolumes: [{name: logs, hostPath: {path: /var/log}}]",
                "{privileged: true}");
        for (String level : new String[]{"baseline", "restricted"}) {
            CheckFixture.Result r = at(level, yaml);
            if (level.equals("baseline")) {
                r.exactly(
                        error("Deployment/team/web", "spec.template.spec.hostNetwork", "hostNetwork is not allowed at Pod Security level baseline"),
                        error("Deployment/team/web", "spec.template.spec.hostPID", "hostPID is not allowed at Pod Security level baseline"),
                        error("Deployment/team/web", "spec.template.spec.hostIPC", "hostIPC is not allowed at Pod Security level baseline"),
                        error("Deployment/team/web", "spec.template.spec.volumes[0].hostPath", "hostPath volumes are not allowed at Pod Security level baseline"),
                        error("Deployment/team/web", SC + ".privileged", "container web is privileged"));
            } else {
                // and the restricted rules besides
                org.junit.jupiter.api.Assertions.assertEquals(9, r.findings().size(), r.findings().toString());
            }
        }
    }

    @Test
    void baselineDoesNotAskForTheRestrictedRules() {
        at("baseline", deployment("hostname: web", "{}")).none();
    }

    @Test
    void aPrivilegedTenantIsNotChecked() {
        at("privileged", deployment("hostNetwork: true", "{privileged: true}")).none();
    }

    @Test
    void initContainersCronJobsAndTenantObjectsAreChecked() {
        CheckFixture.cluster().tenant("team").podSecurity("team", "baseline").tenantObjects("team", """
                apiVersion: v1
                kind: Pod
                metadata: {name: agent}
                spec: {hostNetwork: true, containers: [{name: agent, image: "a:1"}]}
                """).app("web", "team").objects("web", CheckFixture.cronJob("nightly", """
                initContainers: [{name: setup, image: "s:1", securityContext: {privileged: true}}]
                containers: [{name: job, image: "j:1"}]
                """)).run(CHECK).exactly(
                error("Pod/team/agent", "spec.hostNetwork", "hostNetwork is not allowed at Pod Security level baseline"),
                error("CronJob/team/nightly", "spec.jobTemplate.spec.template.spec.initContainers[0].securityContext.privileged",
                        "container setup is privileged"));
    }

    @Test
    void platformObjectsBelongToNoTenantAndAreNotChecked() {
        CheckFixture.cluster().platformObjects("""
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: node-agent, namespace: kube-system}
                spec:
                  selector: {matchLabels: {app: agent}}
                  template:
                    metadata: {labels: {app: agent}}
                    spec: {hostNetwork: true, containers: [{name: agent, image: "a:1", securityContext: {privileged: true}}]}
                """).run(CHECK).none();
    }

    @Test
    void aWaiverSuppressesTheFindings() {
        CheckFixture.app(deployment("hostNetwork: true", "{}")).waiver("web", CHECK).run(CHECK).none();
    }

    /**
     * The restricted profile forbids a container's {@code runAsNonRoot: false} whatever the pod
     * says; the check accepts it when the pod sets {@code runAsNonRoot: true}, and the namespace's
     * Pod Security admission then rejects the pod at sync time.
     */
    @Test
    void aContainersRunAsNonRootFalseIsAnErrorWhateverThePodSays() {
        at("restricted", deployment("securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}",
                "{allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}, runAsNonRoot: false}"))
                .only(error("Deployment/team/web", SC + ".runAsNonRoot", "must run as non-root"));
    }
}
