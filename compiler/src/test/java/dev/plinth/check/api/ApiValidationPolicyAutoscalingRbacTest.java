package dev.plinth.check.api;

import org.junit.jupiter.api.Test;

import static dev.plinth.check.api.ApiValidationTestSupport.accepted;
import static dev.plinth.check.api.ApiValidationTestSupport.rejected;

/**
 * PodDisruptionBudget, HorizontalPodAutoscaler and RBAC, with cases from kubernetes
 * pkg/apis/policy, autoscaling and rbac validation tests.
 */
class ApiValidationPolicyAutoscalingRbacTest {
    private static String pdb(String spec) {
        return "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: pdb, namespace: ns}\nspec:\n  selector: {matchLabels: {a: b}}\n" + spec.indent(2);
    }

    @Test
    void podDisruptionBudgets() { // TestValidateMinAvailablePodDisruptionBudgetSpec, TestValidateMinAvailablePodAndMaxUnavailableDisruptionBudgetSpec, TestValidatePodDisruptionBudgetSpec
        accepted(pdb("minAvailable: 1"));
        accepted(pdb("minAvailable: 50%"));
        accepted(pdb("maxUnavailable: 0"));
        accepted(pdb("maxUnavailable: 100%"));
        rejected(pdb("minAvailable: 1\nmaxUnavailable: 1"), "spec", "minAvailable and maxUnavailable cannot be both set");
        rejected(pdb("minAvailable: -1"), "spec.minAvailable", "greater than or equal to 0");
        rejected(pdb("minAvailable: 110%"), "spec.minAvailable", "must not be greater than 100%");
        rejected(pdb("maxUnavailable: '1.1%'"), "spec.maxUnavailable", "a valid percent string");
        rejected(pdb("minAvailable: 1\nunhealthyPodEvictionPolicy: Never"), "spec.unhealthyPodEvictionPolicy", "Unsupported value");
    }

    private static String hpa(String spec) {
        return "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h, namespace: ns}\nspec:\n"
                + "  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n" + spec.indent(2);
    }

    private static final String CPU = "metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}}]";

    @Test
    void horizontalPodAutoscalers() { // TestValidateHorizontalPodAutoscaler: "minReplicas 0", "maxReplicas < minReplicas", "must populate ...", "averageUtilization 0"
        accepted(hpa("minReplicas: 1\nmaxReplicas: 5\n" + CPU));
        accepted(hpa("maxReplicas: 5\nmetrics: [{type: Pods, pods: {metric: {name: qps}, target: {type: AverageValue, averageValue: 100}}}, "
                + "{type: External, external: {metric: {name: queue}, target: {type: Value, value: 10}}}]"));
        rejected(hpa("minReplicas: 0\nmaxReplicas: 5"), "spec.minReplicas", "must be greater than or equal to 1");
        rejected(hpa("minReplicas: 7\nmaxReplicas: 5"), "spec.maxReplicas", "must be greater than or equal to `minReplicas`");
        rejected(hpa("maxReplicas: 0"), "spec.maxReplicas", "must be greater than 0");
        rejected(hpa("maxReplicas: 5\nmetrics: [{type: Resource, pods: {metric: {name: qps}, target: {type: AverageValue, averageValue: 1}}}]"),
                "spec.metrics[0].resource", "must populate information for the given metric source");
        rejected(hpa("maxReplicas: 5\nmetrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 0}}}]"),
                "spec.metrics[0].resource.target.averageUtilization", "must be greater than 0");
        rejected(hpa("maxReplicas: 5\nmetrics: [{type: Resource, resource: {name: cpu, target: {type: Value, value: 10}}}]"),
                "spec.metrics[0].resource.target.averageUtilization", "must set either a target raw value or a target utilization");
        rejected(hpa("maxReplicas: 5\nmetrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization}}}]"),
                "spec.metrics[0].resource.target.averageUtilization", "Required value");
        rejected(hpa("maxReplicas: 5\nmetrics: [{type: Resource, resource: {name: cpu, target: {type: Ratio, averageUtilization: 50}}}]"),
                "spec.metrics[0].resource.target.type", "must be either Utilization, Value, or AverageValue");
        rejected(hpa("maxReplicas: 5\nmetrics: [{type: Pods, pods: {metric: {name: qps}, target: {type: Value, value: 1}}}]"),
                "spec.metrics[0].pods.target.averageValue", "must specify a positive target averageValue");
        rejected(hpa("maxReplicas: 5\nmetrics: [{type: External, external: {metric: {name: q}, target: {type: AverageValue, averageValue: '-1'}}}]"),
                "spec.metrics[0].external.target.averageValue", "must be positive");
        rejected(hpa("maxReplicas: 5\nmetrics: [{type: Object, object: {describedObject: {kind: Service}, metric: {name: qps}, target: {type: Value, value: 1}}}]"),
                "spec.metrics[0].object.describedObject.name", "Required value");
        rejected(hpa("maxReplicas: 5\nbehavior: {scaleUp: {policies: [{type: Pods, value: 4, periodSeconds: 1801}]}}"),
                "spec.behavior.scaleUp.policies[0].periodSeconds", "less than or equal to 1800");
    }

    private static String binding(String kind, String roleRef, String subjects) {
        return "apiVersion: rbac.authorization.k8s.io/v1\nkind: " + kind + "\nmetadata: {name: 'system:b', namespace: ns}\nroleRef: " + roleRef + "\nsubjects: " + subjects + "\n";
    }

    @Test
    void roleBindings() { // TestValidateRoleBinding, TestValidateClusterRoleBinding: bad roleRef kind and apiGroup, subject kinds, SA namespace
        String role = "{apiGroup: rbac.authorization.k8s.io, kind: Role, name: valid}";
        String clusterRole = "{apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: 'system:valid'}";
        accepted(binding("RoleBinding", role, "[{kind: ServiceAccount, name: validsaname}, {kind: User, apiGroup: rbac.authorization.k8s.io, name: 'valid@username'}]"));
        accepted(binding("RoleBinding", clusterRole, "[{kind: Group, apiGroup: rbac.authorization.k8s.io, name: valid@groupname}]"));
        accepted(binding("ClusterRoleBinding", clusterRole, "[{kind: ServiceAccount, name: sa, namespace: foo}]"));
        rejected(binding("RoleBinding", "{apiGroup: rbac.authorization.k8s.io, kind: Type, name: valid}", "[]"), "roleRef.kind", "Unsupported value");
        rejected(binding("RoleBinding", "{apiGroup: rbac.GROUP, kind: Role, name: valid}", "[]"), "roleRef.apiGroup", "Unsupported value");
        rejected(binding("RoleBinding", "{apiGroup: rbac.authorization.k8s.io, kind: Role, name: ''}", "[]"), "roleRef.name", "Required value");
        rejected(binding("ClusterRoleBinding", role, "[]"), "roleRef.kind", "Unsupported value");
        rejected(binding("RoleBinding", role, "[{kind: ServiceAccount, name: 'valid@username'}]"), "subjects[0].name", "subdomain");
        rejected(binding("RoleBinding", role, "[{kind: User, apiGroup: example.com, name: alice}]"), "subjects[0].apiGroup", "Unsupported value");
        // SetDefaults_Subject and SetDefaults_RoleBinding fill an empty apiGroup with the RBAC group
        accepted(binding("RoleBinding", "{kind: Role, name: valid}", "[{kind: User, name: alice}, {kind: Group, name: devs}]"));
        rejected(binding("RoleBinding", role, "[{kind: Robot, name: r2}]"), "subjects[0].kind", "Unsupported value");
        rejected(binding("ClusterRoleBinding", clusterRole, "[{kind: ServiceAccount, name: sa}]"), "subjects[0].namespace", "Required value");
        rejected(binding("RoleBinding", role, "[{kind: ServiceAccount, name: sa}]").replace("name: 'system:b'", "name: 'a/b'"), "metadata.name", "may not contain '/'");
    }

    @Test
    void roles() { // TestValidatePolicyRule: "no verbs", "namespaced non-resource URLs", "resources and non-resource URLs", "no api groups"
        accepted("apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r, namespace: ns}\nrules: [{apiGroups: [''], resources: [pods], verbs: [get]}]\n");
        accepted("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: r}\nrules: [{nonResourceURLs: [/metrics], verbs: [get]}]\n");
        rejected("apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r, namespace: ns}\nrules: [{apiGroups: [''], resources: [pods], verbs: []}]\n",
                "rules[0].verbs", "verbs must contain at least one value");
        rejected("apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r, namespace: ns}\nrules: [{nonResourceURLs: [/metrics], verbs: [get]}]\n",
                "rules[0].nonResourceURLs", "namespaced rules cannot apply to non-resource URLs");
        rejected("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: r}\nrules: [{apiGroups: [''], resources: [pods], nonResourceURLs: [/m], verbs: [get]}]\n",
                "rules[0].nonResourceURLs", "both regular resources and non-resource URLs");
        rejected("apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r, namespace: ns}\nrules: [{resources: [pods], verbs: [get]}]\n",
                "rules[0].apiGroups", "at least one api group");
    }
}
