package dev.plinth.check;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.plinth.check.CheckFixture.error;
import static dev.plinth.check.CheckFixture.warning;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * admission: the cluster's ValidatingAdmissionPolicies evaluated on every object as the API
 * server would on create; a Deny binding makes a failure an error, Warn or Audit a warning.
 * (dev.plinth.check.admission.AdmissionCheckTest covers how spec.admission files reach the
 * clusters, through whole platforms.)
 */
class AdmissionPolicyCheckTest {
    private static final String CHECK = "admission";
    private static final String POLICY = """
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicy
            metadata: {name: require-team}
            spec:
              matchConstraints:
                resourceRules: [{apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments, statefulsets]}]
              validations:
                - {expression: "has(object.metadata.labels) && 'team' in object.metadata.labels", message: every Deployment needs a team label}
            """;
    private static final String DEPLOYMENT = CheckFixture.deployment("web", "containers: [{name: web, image: \"web:1\"}]")
            .replace("metadata: {name: web}", "metadata: {name: web, labels: {tier: frontend}}");

    /** The binding of require-team with these validationActions, then {@code extra} (more of its spec, indented). */
    private static String binding(String actions, String extra) {
        return "apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicyBinding\nmetadata: {name: require-team-binding}\n"
                + "spec:\n  policyName: require-team\n  validationActions: " + actions + "\n" + extra;
    }

    private static CheckFixture.Result check(String platform, String objects) {
        return CheckFixture.app(objects).platformObjects(platform).run(CHECK);
    }

    @Test
    void aDenyBindingMakesAFailureAnError() {
        check(POLICY + "---\n" + binding("[Deny]", ""), DEPLOYMENT).only(error("Deployment/team/web", "",
                "ValidatingAdmissionPolicy 'require-team' with binding 'require-team-binding' denied request: every Deployment needs a team label"));
    }

    @Test
    void warnAndAuditBindingsMakeItAWarning() {
        check(POLICY + "---\n" + binding("[Warn, Audit]", ""), DEPLOYMENT).only(warning("Deployment/team/web", "",
                "Validation failed for ValidatingAdmissionPolicy 'require-team' with binding 'require-team-binding': every Deployment needs a team label"));
    }

    @Test
    void objectsThatPassOrThatThePolicyDoesNotMatchAreFine() {
        check(POLICY + "---\n" + binding("[Deny]", ""), DEPLOYMENT.replace("tier: frontend", "team: shop")).none();
        check(POLICY + "---\n" + binding("[Deny]", ""), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n").none();
    }

    @Test
    void aPolicyWithoutBindingDoesNothingAndABindingWithoutPolicyIsAWarning() {
        check(POLICY, DEPLOYMENT).none();
        check(binding("[Deny]", ""), DEPLOYMENT).only(warning("ValidatingAdmissionPolicyBinding/require-team-binding", "spec.policyName",
                "binding require-team-binding names ValidatingAdmissionPolicy 'require-team', which the cluster does not have: it does nothing"));
    }

    @Test
    void aPolicyThatDoesNotCompileIsAnErrorAtThePolicy() {
        check(POLICY.replace("'team' in object.metadata.labels", "object.metadata.labels.nosuch()") + "---\n" + binding("[Deny]", ""),
                DEPLOYMENT).only(error("ValidatingAdmissionPolicy/require-team", "spec.validations[0].expression", "compilation failed"));
    }

    @Test
    void namespaceAndObjectSelectorsNarrowTheBinding() {
        String namespace = "apiVersion: v1\nkind: Namespace\nmetadata: {name: team, labels: {stage: prod}}\n";
        String prodOnly = binding("[Deny]", "  matchResources:\n    namespaceSelector: {matchLabels: {stage: prod}}\n");
        CheckFixture.app(DEPLOYMENT).tenantObjects("team", namespace).platformObjects(POLICY + "---\n" + prodOnly).run(CHECK)
                .only(error("Deployment/team/web", "", "denied request"));
        CheckFixture.app(DEPLOYMENT).tenantObjects("team", namespace.replace("prod", "test")).platformObjects(POLICY + "---\n" + prodOnly)
                .run(CHECK).none();
        check(POLICY + "---\n" + binding("[Deny]", "  matchResources:\n    objectSelector: {matchLabels: {tier: backend}}\n"), DEPLOYMENT)
                .none();
    }

    @Test
    void paramsAreLookedUpByTheBindingsParamRef() {
        String policy = """
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicy
                metadata: {name: require-team}
                spec:
                  paramKind: {apiVersion: v1, kind: ConfigMap}
                  matchConstraints:
                    resourceRules: [{apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}]
                  validations:
                    - expression: "object.metadata.labels.exists(k, k == params.data.required)"
                      messageExpression: "'label ' + params.data.required + ' is required'"
                """;
        String params = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: rules}\ndata: {required: team}\n";
        String byName = binding("[Deny]", "  paramRef: {name: rules, parameterNotFoundAction: %s}\n");
        check(policy + "---\n" + byName.formatted("Deny"), DEPLOYMENT + "---\n" + params)
                .only(error("Deployment/team/web", "", "denied request: label team is required"));
        check(policy + "---\n" + byName.formatted("Deny"), DEPLOYMENT + "---\n" + params.replace("required: team", "required: tier")).none();
        check(policy + "---\n" + byName.formatted("Deny"), DEPLOYMENT).only(error("Deployment/team/web", "",
                "no params found for policy binding with `Deny` parameterNotFoundAction"));
        check(policy + "---\n" + byName.formatted("Allow"), DEPLOYMENT).none();
    }

    @Test
    void paramsOfANamedNamespaceReachAcrossNamespaces() {
        String policy = POLICY.replace("spec:\n", "spec:\n  paramKind: {apiVersion: v1, kind: ConfigMap}\n")
                .replace("'team' in object.metadata.labels", "params.data.required in object.metadata.labels");
        CheckFixture.cluster().tenant("team").tenant("platform-config").app("web", "team").app("rules", "platform-config")
                .objects("web", DEPLOYMENT).objects("rules", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: rules}\ndata: {required: tier}\n")
                .platformObjects(policy + "---\n" + binding("[Deny]", "  paramRef: {name: rules, namespace: platform-config}\n"))
                .run(CHECK).none();
    }

    @Test
    void policiesAndBindingsAreNotSubjectToPolicies() {
        String everything = POLICY.replace("{apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments, statefulsets]}",
                "{apiGroups: ['*'], apiVersions: ['*'], operations: [CREATE], resources: ['*']}");
        check(everything + "---\n" + binding("[Deny]", ""), DEPLOYMENT.replace("tier: frontend", "team: shop")).none();
    }

    /** A waiver of admission is an error of the spec, and the denial it names is reported all the same. */
    @Test
    void theCheckCannotBeWaived() {
        CheckFixture.Result r = CheckFixture.app(DEPLOYMENT).platformObjects(POLICY + "---\n" + binding("[Deny]", ""))
                .waiver("web", CHECK).run(CHECK);
        assertEquals(List.of("environments/live/apps/web.yaml:1000:7: the admission check cannot be waived: the clusters enforce the"
                + " platform's admission policies whatever the spec says (change the policy or its binding instead)"), r.specFindings());
        assertEquals(CheckFixture.app(DEPLOYMENT).platformObjects(POLICY + "---\n" + binding("[Deny]", "")).run(CHECK).findings(),
                r.findings(), "the waiver hides nothing");
        assertFalse(r.findings().isEmpty());
    }
}
