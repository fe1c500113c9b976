package dev.plinth.check.api;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.plinth.check.api.ApiValidationTestSupport.accepted;
import static dev.plinth.check.api.ApiValidationTestSupport.deploymentWithPodSpec;
import static dev.plinth.check.api.ApiValidationTestSupport.problems;
import static dev.plinth.check.api.ApiValidationTestSupport.rejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pod specs, with cases from kubernetes pkg/apis/core/validation/validation_test.go. */
class ApiValidationPodSpecTest {
    private static final String C = "spec.template.spec.containers[0]";

    @Test
    void containerNames() { // TestValidateContainers: "zero-length name", "name > 63 characters", "name not a DNS label", "name not unique"
        accepted(deploymentWithPodSpec("containers: [{name: abc, image: image}, {name: '123', image: image}, {name: abc-123, image: image}]"));
        rejected(deploymentWithPodSpec("containers: [{name: '', image: image}]"), C + ".name", "Required value");
        rejected(deploymentWithPodSpec("containers: [{name: " + "a".repeat(64) + ", image: image}]"), C + ".name", "no more than 63");
        rejected(deploymentWithPodSpec("containers: [{name: a.b.c, image: image}]"), C + ".name", "RFC 1123 label");
        rejected(deploymentWithPodSpec("containers: [{name: abc, image: image}, {name: abc, image: image}]"),
                "spec.template.spec.containers[1].name", "Duplicate value");
        // TestValidateInitContainers: "duplicate names across init and regular containers"
        rejected(deploymentWithPodSpec("initContainers: [{name: app, image: image}]\ncontainers: [{name: app, image: image}]"),
                C + ".name", "Duplicate value");
    }

    @Test
    void volumes() { // TestValidateVolumes: "name not a DNS label", "name not unique", "no volume source", "more than one source"
        accepted(deploymentWithPodSpec("volumes: [{name: abc, emptyDir: {}}, {name: abc-123, configMap: {name: cm}}]\ncontainers: [{name: a, image: i}]"));
        rejected(deploymentWithPodSpec("volumes: [{name: a.b.c, emptyDir: {}}]\ncontainers: [{name: a, image: i}]"),
                "spec.template.spec.volumes[0].name", "RFC 1123 label");
        rejected(deploymentWithPodSpec("volumes: [{name: abc, emptyDir: {}}, {name: abc, emptyDir: {}}]\ncontainers: [{name: a, image: i}]"),
                "spec.template.spec.volumes[1].name", "Duplicate value");
        rejected(deploymentWithPodSpec("volumes: [{name: abc}]\ncontainers: [{name: a, image: i}]"),
                "spec.template.spec.volumes[0]", "must specify a volume type");
        rejected(deploymentWithPodSpec("volumes: [{name: abc, emptyDir: {}, hostPath: {path: /x}}]\ncontainers: [{name: a, image: i}]"),
                "spec.template.spec.volumes[0]", "may not specify more than 1 volume type");
    }

    @Test
    void containerPorts() { // TestValidatePorts: "name > 15 characters", "name contains invalid characters", "zero container port", "invalid protocol", "name not unique"
        accepted(deploymentWithPodSpec("containers: [{name: a, image: i, ports: [{name: easy, containerPort: 82, protocol: TCP}, {name: as, containerPort: 83, protocol: UDP}, {name: do-re-me, containerPort: 84, protocol: SCTP}, {containerPort: 85}]}]"));
        rejected(deploymentWithPodSpec("containers: [{name: a, image: i, ports: [{name: " + "a".repeat(16) + ", containerPort: 80}]}]"),
                C + ".ports[0].name", "no more than 15");
        rejected(deploymentWithPodSpec("containers: [{name: a, image: i, ports: [{name: a.b.c, containerPort: 80}]}]"),
                C + ".ports[0].name", "alpha-numeric");
        rejected(deploymentWithPodSpec("containers: [{name: a, image: i, ports: [{name: abc, containerPort: 0}]}]"),
                C + ".ports[0].containerPort", "Required value");
        rejected(deploymentWithPodSpec("containers: [{name: a, image: i, ports: [{name: abc, containerPort: 65536}]}]"),
                C + ".ports[0].containerPort", "between 1 and 65535");
        rejected(deploymentWithPodSpec("containers: [{name: a, image: i, ports: [{name: abc, containerPort: 80, protocol: foobar}]}]"),
                C + ".ports[0].protocol", "Unsupported value");
        rejected(deploymentWithPodSpec("containers: [{name: a, image: i, ports: [{name: abc, containerPort: 80}, {name: abc, containerPort: 81}]}]"),
                C + ".ports[1].name", "Duplicate value");
    }

    @Test
    void resources() { // TestValidateResourceRequirements, TestValidateContainers "Request limit ... must be less than or equal to"
        accepted(deploymentWithPodSpec("containers: [{name: a, image: i, resources: {requests: {cpu: 10m, memory: 10G}, limits: {cpu: 10m, memory: 10G}}}]"));
        accepted(deploymentWithPodSpec("containers: [{name: a, image: i, resources: {requests: {cpu: '1', memory: 2Gi}}}]"));
        rejected(deploymentWithPodSpec("containers: [{name: a, image: i, resources: {requests: {memory: 2Gi}, limits: {memory: 128Mi}}}]"),
                C + ".resources.requests.memory", "must be less than or equal to memory limit of 128Mi");
        rejected(deploymentWithPodSpec("containers: [{name: a, image: i, resources: {requests: {cpu: '2'}, limits: {cpu: 1500m}}}]"),
                C + ".resources.requests.cpu", "must be less than or equal to cpu limit");
        rejected(deploymentWithPodSpec("containers: [{name: a, image: i, resources: {limits: {disk: 10G}}}]"),
                C + ".resources.limits", "must be a standard resource for containers");
        rejected(deploymentWithPodSpec("containers: [{name: a, image: i, resources: {requests: {memory: '-1'}}}]"),
                C + ".resources.requests.memory", "must be greater than or equal to 0");
        // "Resource can only have GPU limit": extended resources are not overcommitable
        accepted(deploymentWithPodSpec("containers: [{name: a, image: i, resources: {requests: {example.com/gpu: 1}, limits: {example.com/gpu: 1}}}]"));
        rejected(deploymentWithPodSpec("containers: [{name: a, image: i, resources: {requests: {example.com/gpu: 2}, limits: {example.com/gpu: 1}}}]"),
                C + ".resources.requests.example.com/gpu", "must be equal to");
        rejected(deploymentWithPodSpec("containers: [{name: a, image: i, resources: {requests: {example.com/gpu: 1}}}]"),
                C + ".resources.limits", "Limit must be set for non overcommitable resources");
    }

    @Test
    void envNames() { // TestValidateEnv: "invalid env var name"; TestValidateEnv with RelaxedEnvironmentVariableValidation
        String space = deploymentWithPodSpec("containers: [{name: a, image: i, env: [{name: 'MY VAR', value: x}]}]");
        rejected(space, "1.30", C + ".env[0].name", "a valid environment variable name");
        accepted(space, "1.32");
        accepted(deploymentWithPodSpec("containers: [{name: a, image: i, env: [{name: ABC, value: value}, {name: AbC_123, value: value}, {name: abc, value: ''}, {name: a.b.c, value: value}, {name: a-b-c, value: value}]}]"), "1.30");
        rejected(deploymentWithPodSpec("containers: [{name: a, image: i, env: [{name: '1foo', value: x}]}]"), "1.31",
                C + ".env[0].name", "must not start with a digit");
        rejected(deploymentWithPodSpec("containers: [{name: a, image: i, env: [{name: 'a=b', value: x}]}]"), "1.33",
                C + ".env[0].name", "other than '='");
        rejected(deploymentWithPodSpec("containers: [{name: a, image: i, env: [{name: '', value: x}]}]"), C + ".env[0].name", "Required value");
        // "valueFrom and value": "may not be specified when `value` is not empty"
        rejected(deploymentWithPodSpec("containers: [{name: a, image: i, env: [{name: abc, value: foo, valueFrom: {fieldRef: {fieldPath: metadata.name}}}]}]"),
                C + ".env[0].valueFrom", "may not be specified when `value` is not empty");
        rejected(deploymentWithPodSpec("containers: [{name: a, image: i, env: [{name: abc, valueFrom: {fieldRef: {fieldPath: metadata.name}, secretKeyRef: {name: s, key: k}}}]}]"),
                C + ".env[0].valueFrom", "may not have more than one field specified at a time");
        rejected(deploymentWithPodSpec("containers: [{name: a, image: i, envFrom: [{prefix: '1-', configMapRef: {name: cm}}]}]"), "1.31",
                C + ".envFrom[0].prefix", "a valid environment variable name");
    }

    @Test
    void volumeMounts() { // TestValidateVolumeMounts: "name not found", "empty mountpath", "duplicate mountPath", "absolute subpath", "subpath contains '..'"
        String volumes = "volumes: [{name: abc, emptyDir: {}}, {name: '123', emptyDir: {}}]\n";
        accepted(deploymentWithPodSpec(volumes + "containers: [{name: a, image: i, volumeMounts: [{name: abc, mountPath: /foo}, {name: '123', mountPath: /bar, subPath: baz}]}]"));
        rejected(deploymentWithPodSpec(volumes + "containers: [{name: a, image: i, volumeMounts: [{name: config, mountPath: /foo}]}]"),
                C + ".volumeMounts[0].name", "Not found");
        rejected(deploymentWithPodSpec(volumes + "containers: [{name: a, image: i, volumeMounts: [{name: abc, mountPath: ''}]}]"),
                C + ".volumeMounts[0].mountPath", "Required value");
        rejected(deploymentWithPodSpec(volumes + "containers: [{name: a, image: i, volumeMounts: [{name: abc, mountPath: /foo}, {name: '123', mountPath: /foo}]}]"),
                C + ".volumeMounts[1].mountPath", "must be unique");
        rejected(deploymentWithPodSpec(volumes + "containers: [{name: a, image: i, volumeMounts: [{name: abc, mountPath: /foo, subPath: /baz}]}]"),
                C + ".volumeMounts[0].subPath", "must be a relative path");
        rejected(deploymentWithPodSpec(volumes + "containers: [{name: a, image: i, volumeMounts: [{name: abc, mountPath: /foo, subPath: baz/../bat}]}]"),
                C + ".volumeMounts[0].subPath", "must not contain '..'");
    }

    @Test
    void probes() { // TestValidateProbe, TestValidateHandler: "no handler", "more than one handler", "invalid port"; liveness successThreshold must be 1
        accepted(deploymentWithPodSpec("containers: [{name: a, image: i, ports: [{name: http, containerPort: 80}], livenessProbe: {httpGet: {path: /, port: http}}, readinessProbe: {tcpSocket: {port: 8080}, successThreshold: 3}, startupProbe: {exec: {command: [true]}}}]"));
        rejected(deploymentWithPodSpec("containers: [{name: a, image: i, livenessProbe: {periodSeconds: 3}}]"),
                C + ".livenessProbe", "must specify a handler type");
        rejected(deploymentWithPodSpec("containers: [{name: a, image: i, livenessProbe: {exec: {command: [true]}, tcpSocket: {port: 80}}}]"),
                C + ".livenessProbe.tcpSocket", "may not specify more than 1 handler type");
        rejected(deploymentWithPodSpec("containers: [{name: a, image: i, readinessProbe: {httpGet: {path: /, port: 65536}}}]"),
                C + ".readinessProbe.httpGet.port", "between 1 and 65535");
        rejected(deploymentWithPodSpec("containers: [{name: a, image: i, livenessProbe: {tcpSocket: {port: 80}, successThreshold: 2}}]"),
                C + ".livenessProbe.successThreshold", "must be 1");
        rejected(deploymentWithPodSpec("initContainers: [{name: init, image: i, readinessProbe: {tcpSocket: {port: 80}}}]\ncontainers: [{name: a, image: i}]"),
                "spec.template.spec.initContainers[0].readinessProbe", "may not be set for init containers");
        // a named port the container does not declare: accepted, but it cannot be probed, so an error
        List<Problems.Problem> named = problems(deploymentWithPodSpec("containers: [{name: a, image: i, ports: [{name: http, containerPort: 80}], livenessProbe: {httpGet: {path: /, port: metrics}}}]"), "1.31");
        assertEquals(1, named.size(), ApiValidationTestSupport.describe(named));
        assertTrue(!named.get(0).warning() && named.get(0).message().contains("no port named 'metrics'"));
        assertEquals(C + ".livenessProbe.httpGet.port", named.get(0).path());
    }

    @Test
    void tolerations() { // TestValidateTolerations: "invalid operator", "value with Exists", "empty key with Equal", "tolerationSeconds without NoExecute"
        accepted(deploymentWithPodSpec("tolerations: [{key: spot, operator: Exists, effect: NoSchedule}, {key: pool, operator: Equal, value: batch}, {operator: Exists}, {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 30}]\ncontainers: [{name: a, image: i}]"));
        rejected(deploymentWithPodSpec("tolerations: [{key: spot, operator: In}]\ncontainers: [{name: a, image: i}]"), "spec.template.spec.tolerations[0].operator", "Unsupported value");
        rejected(deploymentWithPodSpec("tolerations: [{key: spot, operator: Exists, value: yes}]\ncontainers: [{name: a, image: i}]"), "spec.template.spec.tolerations[0].operator", "value must be empty");
        rejected(deploymentWithPodSpec("tolerations: [{operator: Equal, value: x}]\ncontainers: [{name: a, image: i}]"), "spec.template.spec.tolerations[0].operator", "operator must be Exists when `key` is empty");
        rejected(deploymentWithPodSpec("tolerations: [{key: spot, operator: Exists, effect: NoSchedule, tolerationSeconds: 5}]\ncontainers: [{name: a, image: i}]"), "spec.template.spec.tolerations[0].effect", "effect must be 'NoExecute'");
        rejected(deploymentWithPodSpec("tolerations: [{key: spot, operator: Exists, effect: Never}]\ncontainers: [{name: a, image: i}]"), "spec.template.spec.tolerations[0].effect", "Unsupported value");
    }

    @Test
    void topologySpread() { // TestValidateTopologySpreadConstraints: "negative maxSkew", "empty topologyKey", "unsupported whenUnsatisfiable", "duplicate constraints", "minDomains with ScheduleAnyway"
        String ok = "{maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: web}}}";
        accepted(deploymentWithPodSpec("topologySpreadConstraints: [" + ok + "]\ncontainers: [{name: a, image: i}]"));
        rejected(deploymentWithPodSpec("topologySpreadConstraints: [{maxSkew: 0, topologyKey: k, whenUnsatisfiable: DoNotSchedule}]\ncontainers: [{name: a, image: i}]"), "spec.template.spec.topologySpreadConstraints[0].maxSkew", "greater than zero");
        rejected(deploymentWithPodSpec("topologySpreadConstraints: [{maxSkew: 1, topologyKey: k, whenUnsatisfiable: Sometimes}]\ncontainers: [{name: a, image: i}]"), "spec.template.spec.topologySpreadConstraints[0].whenUnsatisfiable", "Unsupported value");
        rejected(deploymentWithPodSpec("topologySpreadConstraints: [" + ok + ", " + ok + "]\ncontainers: [{name: a, image: i}]"), "spec.template.spec.topologySpreadConstraints[1]", "Duplicate value");
        rejected(deploymentWithPodSpec("topologySpreadConstraints: [{maxSkew: 1, topologyKey: k, whenUnsatisfiable: ScheduleAnyway, minDomains: 2}]\ncontainers: [{name: a, image: i}]"), "spec.template.spec.topologySpreadConstraints[0].minDomains", "can only use minDomains");
    }

    @Test
    void lifecycleAndMessagePolicy() { // TestValidateLifecycle "no handler", "more than one handler"; TestValidateContainers "invalid terminationMessagePolicy"
        accepted(deploymentWithPodSpec("containers: [{name: a, image: i, lifecycle: {preStop: {sleep: {seconds: 5}}, postStart: {exec: {command: [ls]}}}, terminationMessagePolicy: FallbackToLogsOnError}]"));
        rejected(deploymentWithPodSpec("containers: [{name: a, image: i, lifecycle: {preStop: {}}}]"), C + ".lifecycle.preStop", "must specify a handler type");
        rejected(deploymentWithPodSpec("containers: [{name: a, image: i, lifecycle: {preStop: {exec: {command: [ls]}, tcpSocket: {port: 80}}}}]"), C + ".lifecycle.preStop.tcpSocket", "may not specify more than 1 handler type");
        rejected(deploymentWithPodSpec("containers: [{name: a, image: i, terminationMessagePolicy: Sometimes}]"), C + ".terminationMessagePolicy", "Unsupported value");
    }

    @Test
    void affinity() { // TestValidateAffinity: "invalid node selector operator", "Gt with two values", "empty nodeSelectorTerms", "weight out of range", "empty topologyKey"
        accepted(deploymentWithPodSpec("""
                affinity:
                  nodeAffinity:
                    requiredDuringSchedulingIgnoredDuringExecution:
                      nodeSelectorTerms: [{matchExpressions: [{key: pool, operator: In, values: [batch]}, {key: cores, operator: Gt, values: ['8']}]}]
                    preferredDuringSchedulingIgnoredDuringExecution: [{weight: 10, preference: {matchExpressions: [{key: zone, operator: Exists}]}}]
                  podAntiAffinity:
                    preferredDuringSchedulingIgnoredDuringExecution: [{weight: 100, podAffinityTerm: {topologyKey: kubernetes.io/hostname, labelSelector: {matchLabels: {app: web}}}}]
                containers: [{name: a, image: i}]"""));
        String na = "spec.template.spec.affinity.nodeAffinity.";
        rejected(deploymentWithPodSpec("affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: pool, operator: Is, values: [x]}]}]}}}\ncontainers: [{name: a, image: i}]"),
                na + "requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator", "Unsupported value");
        rejected(deploymentWithPodSpec("affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: cores, operator: Gt, values: ['1', '2']}]}]}}}\ncontainers: [{name: a, image: i}]"),
                na + "requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values", "single value");
        rejected(deploymentWithPodSpec("affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: []}}}\ncontainers: [{name: a, image: i}]"),
                na + "requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms", "at least one node selector term");
        rejected(deploymentWithPodSpec("affinity: {nodeAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [{weight: 101, preference: {}}]}}\ncontainers: [{name: a, image: i}]"),
                na + "preferredDuringSchedulingIgnoredDuringExecution[0].weight", "1-100");
        rejected(deploymentWithPodSpec("affinity: {podAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{labelSelector: {matchLabels: {app: db}}}]}}\ncontainers: [{name: a, image: i}]"),
                "spec.template.spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey", "Required value");
    }

    @Test
    void securityContexts() { // TestValidatePodSecurityContext / TestValidateSeccompProfile: "negative runAsUser", "Localhost without profile", "profile with RuntimeDefault"
        accepted(deploymentWithPodSpec("securityContext: {runAsUser: 1000, fsGroup: 2000, seccompProfile: {type: Localhost, localhostProfile: profiles/audit.json}}\ncontainers: [{name: a, image: i, securityContext: {runAsGroup: 0, seccompProfile: {type: RuntimeDefault}}}]"));
        rejected(deploymentWithPodSpec("securityContext: {runAsUser: -1}\ncontainers: [{name: a, image: i}]"), "spec.template.spec.securityContext.runAsUser", "between 0 and 2147483647");
        rejected(deploymentWithPodSpec("securityContext: {seccompProfile: {type: Localhost}}\ncontainers: [{name: a, image: i}]"), "spec.template.spec.securityContext.seccompProfile.localhostProfile", "Required value");
        rejected(deploymentWithPodSpec("containers: [{name: a, image: i, securityContext: {seccompProfile: {type: RuntimeDefault, localhostProfile: x.json}}}]"), C + ".securityContext.seccompProfile.localhostProfile", "only be set when seccomp type is Localhost");
        rejected(deploymentWithPodSpec("containers: [{name: a, image: i, securityContext: {seccompProfile: {type: Default}}}]"), C + ".securityContext.seccompProfile.type", "Unsupported value");
    }

    @Test
    void sidecarsFollowTheVersion() { // TestValidateInitContainers "restartPolicy: Always" with SidecarContainers
        String sidecar = deploymentWithPodSpec("initContainers: [{name: proxy, image: i, restartPolicy: Always, readinessProbe: {tcpSocket: {port: 80}}}]\ncontainers: [{name: a, image: i}]");
        accepted(sidecar, "1.29");
        rejected(sidecar, "1.28", "spec.template.spec.initContainers[0].restartPolicy", "SidecarContainers");
        rejected(deploymentWithPodSpec("containers: [{name: a, image: i, restartPolicy: Always}]"), C + ".restartPolicy", "non-init containers");
    }

    @Test
    void podImageIsRequiredOnlyInPods() { // validateContainersOnlyForPod: image required in a Pod, optional in templates
        accepted(deploymentWithPodSpec("containers: [{name: a}]"));
        rejected("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec: {containers: [{name: a}]}
                """, "spec.containers[0].image", "Required value");
    }
}
