package dev.plinth.check.admission;

import dev.plinth.TestSupport;
import dev.plinth.TestSupport.Run;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The platform's admission policies (platform.yaml spec.admission) evaluated offline on a small
 * platform: one cluster (Kubernetes 1.31), tenant {@code team} (namespace {@code team}), an app
 * whose Deployment {@code web} has no {@code team} label.
 */
class AdmissionCheckTest {
    @TempDir
    Path tmp;
    private Path root;

    private static final String POLICY = """
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicy
            metadata: {name: require-team}
            spec:
              failurePolicy: Fail
              matchConstraints:
                resourceRules:
                  - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [deployments]}
              validations:
                - expression: "has(object.metadata.labels) && 'team' in object.metadata.labels"
                  message: every Deployment needs a team label
            """;

    @BeforeEach
    void platform() {
        root = tmp.resolve("p");
        TestSupport.copyTree(TestSupport.projectRoot().resolve("tests/golden/04-k8s-objects/input"), root);
        TestSupport.write(root.resolve("environments/live/apps/web.yaml"), """
                apiVersion: plinth.dev/v1alpha1
                kind: Application
                metadata: {name: web, tenant: team}
                spec:
                  components:
                    - name: objs
                      type: k8s-objects
                      properties:
                        objects:
                          - apiVersion: apps/v1
                            kind: Deployment
                            metadata: {name: web, labels: {tier: frontend}}
                            spec:
                              selector: {matchLabels: {app: web}}
                              template:
                                metadata: {labels: {app: web}}
                                spec:
                                  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
                                  containers:
                                    - name: web
                                      image: registry.example.com/web:1.0.0
                                      resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {memory: 64Mi}}
                                      securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
                """);
    }

    private Run validate() {
        return TestSupport.plinth("validate", "-r", root.toString());
    }

    private void admission(String file, String text) {
        TestSupport.write(root.resolve("admission").resolve(file), text);
    }

    private static String binding(String actions, String extra) {
        return """
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicyBinding
                metadata: {name: require-team-binding}
                spec:
                  policyName: require-team
                  validationActions: %s
                """.formatted(actions) + extra;
    }

    @Test
    void withoutAdmissionFolderNothingChanges() {
        Run r = validate();
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err());
    }

    @Test
    void aDenyBindingIsAnErrorAtTheObjectsSpecLine() {
        admission("policy.yaml", POLICY + "---\n" + binding("[Deny]", ""));
        Run r = validate();
        assertEquals(1, r.exit(), r.err());
        assertEquals("""
                environments/live/apps/web.yaml:6:7: error[admission]: ValidatingAdmissionPolicy 'require-team' with binding 'require-team-binding' denied request: every Deployment needs a team label (live-1 team Deployment/web)
                1 error
                """, r.err());
    }

    @Test
    void warnAndAuditBindingsAreWarnings() {
        admission("policy.yaml", POLICY + "---\n" + binding("[Warn, Audit]", ""));
        Run r = validate();
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("warning[admission]: Validation failed for ValidatingAdmissionPolicy 'require-team' with binding "
                + "'require-team-binding': every Deployment needs a team label (live-1 team Deployment/web)"), r.err());
    }

    @Test
    void messageExpressionVariablesAndRequest() {
        admission("policy.yaml", """
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicy
                metadata: {name: require-team}
                spec:
                  matchConstraints:
                    resourceRules:
                      - {apiGroups: ["*"], apiVersions: ["*"], operations: ["*"], resources: ["*"]}
                  matchConditions:
                    - {name: workloads-only, expression: "request.kind.kind == 'Deployment' && request.operation == 'CREATE'"}
                  variables:
                    - {name: labels, expression: "has(object.metadata.labels) ? object.metadata.labels : {}"}
                  validations:
                    - expression: "'team' in variables.labels"
                      messageExpression: "request.resource.resource + '/' + object.metadata.name + ' in ' + namespaceObject.metadata.name + ' has labels ' + variables.labels.map(k, k).join(',')"
                """ + "---\n" + binding("[Deny]", ""));
        Run r = validate();
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("denied request: deployments/web in team has labels tier,app.kubernetes.io/managed-by,"), r.err());
        assertEquals(1, r.err().lines().filter(l -> l.contains("error[admission]")).count(), r.err());
    }

    @Test
    void aMessageExpressionIsNotUsedForSecrets() {
        admission("policy.yaml", """
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicy
                metadata: {name: no-secret-data}
                spec:
                  matchConstraints:
                    resourceRules:
                      - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [secrets]}
                  validations:
                    - expression: "!has(object.type) || object.type != 'Opaque'"
                      messageExpression: "'secret ' + object.metadata.name + ' holds ' + string(object)"
                      message: opaque secrets are not allowed
                ---
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicyBinding
                metadata: {name: no-secret-data}
                spec: {policyName: no-secret-data, validationActions: [Deny]}
                """);
        Run r = validate();
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("denied request: opaque secrets are not allowed (live-1 team Secret/external-ref)"), r.err());
        assertTrue(r.err().endsWith("\n1 error\n"), r.err());
    }

    @Test
    void anEvaluationErrorAboutASecretDoesNotQuoteIt() {
        // the error of int() quotes the string it could not read: about a Secret, that may be its data
        admission("policy.yaml", """
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicy
                metadata: {name: numeric-secrets}
                spec:
                  matchConstraints:
                    resourceRules:
                      - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [secrets]}
                  validations:
                    - expression: "int(object.metadata.name) > 0"
                ---
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicyBinding
                metadata: {name: numeric-secrets}
                spec: {policyName: numeric-secrets, validationActions: [Deny]}
                """);
        Run r = validate();
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("expression 'int(object.metadata.name) > 0' resulted in error (details withheld: the object is a Secret)"),
                r.err());
        assertTrue(!r.err().contains("input string"), r.err());
    }

    @Test
    void namespaceAndObjectSelectorsExcludeRulesAndMatchConditionsNarrow() {
        // the tenant namespace carries plinth.dev/tenant: team and kubernetes.io/metadata.name: team
        String[] selecting = {
                "  matchResources:\n    namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: team}}\n",
                "  matchResources:\n    objectSelector: {matchExpressions: [{key: tier, operator: In, values: [frontend]}]}\n",
        };
        String[] notSelecting = {
                "  matchResources:\n    namespaceSelector: {matchLabels: {plinth.dev/tenant: other}}\n",
                "  matchResources:\n    objectSelector: {matchExpressions: [{key: tier, operator: DoesNotExist}]}\n",
                "  matchResources:\n    excludeResourceRules: [{apiGroups: [apps], apiVersions: [\"*\"], operations: [\"*\"], resources: [deployments]}]\n",
                "  matchResources:\n    resourceRules: [{apiGroups: [\"\"], apiVersions: [v1], operations: [CREATE], resources: [services]}]\n",
        };
        for (String s : selecting) {
            admission("policy.yaml", POLICY + "---\n" + binding("[Deny]", s));
            Run r = validate();
            assertEquals(1, r.exit(), s + r.err());
        }
        for (String s : notSelecting) {
            admission("policy.yaml", POLICY + "---\n" + binding("[Deny]", s));
            Run r = validate();
            assertEquals(0, r.exit(), s + r.err());
        }
        admission("policy.yaml", POLICY.replace("  validations:", "  matchConditions:\n"
                + "    - {name: not-frontends, expression: \"object.metadata.labels.tier != 'frontend'\"}\n"
                + "  validations:") + "---\n" + binding("[Deny]", ""));
        Run narrowed = validate();
        assertEquals(0, narrowed.exit(), narrowed.err());
        admission("policy.yaml", POLICY.replace("operations: [CREATE, UPDATE]", "operations: [UPDATE]") + "---\n" + binding("[Deny]", ""));
        assertEquals(0, validate().exit(), "only CREATE is evaluated");
    }

    private static final String PARAM_POLICY = """
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicy
            metadata: {name: require-team}
            spec:
              paramKind: {apiVersion: v1, kind: ConfigMap}
              matchConstraints:
                resourceRules:
                  - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}
              validations:
                - expression: "object.metadata.labels.exists(k, k == params.data.required)"
                  messageExpression: "'label ' + params.data.required + ' is required'"
            """;

    @Test
    void paramsByNameBySelectorAndWhenMissing() {
        String params = """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: team-rules, namespace: team, labels: {rules: teams}}
                data: {required: team}
                """;
        admission("policy.yaml", PARAM_POLICY + "---\n" + binding("[Deny]",
                "  paramRef: {name: team-rules, namespace: team, parameterNotFoundAction: Deny}\n") + "---\n" + params);
        Run r = validate();
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("denied request: label team is required (live-1 team Deployment/web)"), r.err());

        admission("policy.yaml", PARAM_POLICY + "---\n" + binding("[Deny]",
                "  paramRef: {selector: {matchLabels: {rules: teams}}, parameterNotFoundAction: Deny}\n") + "---\n" + params);
        r = validate();
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("denied request: label team is required"), r.err());

        admission("policy.yaml", PARAM_POLICY + "---\n" + binding("[Deny]",
                "  paramRef: {name: team-rules, namespace: team, parameterNotFoundAction: Deny}\n")
                + "---\n" + params.replace("required: team", "required: tier"));
        assertEquals(0, validate().exit(), "the object has the label the params require");

        admission("policy.yaml", PARAM_POLICY + "---\n" + binding("[Deny]",
                "  paramRef: {name: missing, namespace: team, parameterNotFoundAction: Deny}\n"));
        r = validate();
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("no params found for policy binding with `Deny` parameterNotFoundAction"), r.err());

        admission("policy.yaml", PARAM_POLICY + "---\n" + binding("[Deny]",
                "  paramRef: {name: missing, namespace: team, parameterNotFoundAction: Allow}\n"));
        assertEquals(0, validate().exit());

        admission("policy.yaml", PARAM_POLICY + "---\n" + binding("[Deny]",
                "  paramRef: {name: team-rules, parameterNotFoundAction: Deny}\n") + "---\n" + params.replace(", namespace: team", ""));
        r = validate();
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("error: params object ConfigMap team-rules needs metadata.namespace"), r.err());
    }

    @Test
    void policiesAreRenderedIntoPlatformAndOlderClustersGetAWarning() throws Exception {
        admission("policy.yaml", POLICY + "---\n" + binding("[Warn]", ""));
        Path out = tmp.resolve("out");
        Run r = TestSupport.render(root, out, false);
        assertEquals(0, r.exit(), r.err());
        Path platform = out.resolve("clusters/live-1/platform");
        assertTrue(Files.exists(platform.resolve("validatingadmissionpolicy-require-team.yaml")), r.err());
        assertTrue(Files.readString(platform.resolve("validatingadmissionpolicybinding-require-team-binding.yaml"))
                .contains("app.kubernetes.io/managed-by: plinth"));
        assertTrue(Files.readString(platform.resolve("kustomization.yaml")).contains("validatingadmissionpolicy-require-team.yaml"));

        Path env = root.resolve("environments/live/environment.yaml");
        Files.writeString(env, Files.readString(env).replace("\"1.31\"", "\"1.29\""));
        Path old = tmp.resolve("old");
        r = TestSupport.render(root, old, false);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("admission/policy.yaml:1:1: warning[admission]: cluster live-1 runs Kubernetes 1.29, which does not "
                + "serve admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy (1.30 and later)"), r.err());
        assertFalse(Files.exists(old.resolve("clusters/live-1/platform/validatingadmissionpolicy-require-team.yaml")));
    }

    @Test
    void findingsFollowEditsOfObjectsAndPoliciesAcrossCachedRenders() {
        admission("policy.yaml", POLICY + "---\n" + binding("[Warn]", ""));
        Path out = tmp.resolve("out");
        String warning = "warning[admission]: Validation failed for ValidatingAdmissionPolicy 'require-team'";
        Run r = TestSupport.render(root, out, false);
        assertTrue(r.err().contains(warning), r.err());
        r = TestSupport.render(root, out, false);
        assertTrue(r.err().contains(warning), "replayed from the cache: " + r.err());
        Path app = root.resolve("environments/live/apps/web.yaml");
        TestSupport.write(app, read(app).replace("labels: {tier: frontend}", "labels: {tier: frontend, team: a}"));
        r = TestSupport.render(root, out, false);
        assertEquals(0, r.exit(), r.err());
        assertFalse(r.err().contains(warning), "the object changed: " + r.err());
        admission("policy.yaml", POLICY.replace("'team' in", "'owner' in") + "---\n" + binding("[Warn]", ""));
        r = TestSupport.render(root, out, false);
        assertTrue(r.err().contains(warning), "the policy changed: " + r.err());
    }

    @Test
    void eachObjectIsReportedOnceWhetherNamespacedOrNot() {
        admission("policy.yaml", POLICY.replace("apiGroups: [apps]", "apiGroups: [apps, \"\"]")
                .replace("resources: [deployments]", "resources: [deployments, namespaces]")
                .replace("every Deployment needs", "every object needs") + "---\n" + binding("[Warn]", ""));
        Path out = tmp.resolve("out");
        for (int i = 0; i < 3; i++) {
            Run r = TestSupport.render(root, out, i == 0);
            assertEquals(1, r.err().lines().filter(l -> l.contains("every object needs a team label (live-1 Namespace/team)")).count(), r.err());
            assertEquals(1, r.err().lines().filter(l -> l.contains("every object needs a team label (live-1 team Deployment/web)")).count(), r.err());
            assertEquals(2, r.err().lines().filter(l -> l.contains("warning[admission]")).count(), r.err());
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aPolicyThatDoesNotCompileIsAnErrorAtThePolicy() {
        admission("policy.yaml", POLICY.replace("'team' in object.metadata.labels", "object.metadata.labels.nosuch()")
                + "---\n" + binding("[Deny]", ""));
        Run r = validate();
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().startsWith("admission/policy.yaml:10:19: error[admission]: compilation failed: "), r.err());
        assertTrue(r.err().contains("(live-1 ValidatingAdmissionPolicy/require-team spec.validations[0].expression)"), r.err());
    }

    @Test
    void aPolicyUsingTheAuthorizerIsRenderedButNotChecked() {
        admission("policy.yaml", POLICY.replace("has(object.metadata.labels) &&",
                "authorizer.group('apps').resource('deployments').check('create').allowed() && has(object.metadata.labels) &&")
                + "---\n" + binding("[Deny]", ""));
        Run r = validate();
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("warning[admission]: ValidatingAdmissionPolicy require-team uses 'authorizer', which Plinth does "
                + "not evaluate: the cluster enforces the policy, but it is not checked offline"), r.err());
    }

    @Test
    void aBindingOfNoPolicyIsAWarningAtItsPolicyName() {
        admission("binding.yaml", binding("[Deny]", ""));
        Run r = validate();
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("admission/binding.yaml:5:15: warning[admission]: binding require-team-binding names "
                + "ValidatingAdmissionPolicy 'require-team', which the cluster does not have: it does nothing"), r.err());
    }

    @Test
    void theAdmissionCheckCannotBeWaived() {
        admission("policy.yaml", POLICY + "---\n" + binding("[Deny]", ""));
        Path app = root.resolve("environments/live/apps/web.yaml");
        TestSupport.write(app, read(app).replace("spec:\n  components:", "spec:\n  waivers: [{check: admission, reason: later}]\n  components:"));
        Run r = validate();
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("environments/live/apps/web.yaml:5:13: error: the admission check cannot be waived"), r.err());
    }

    @Test
    void aMissingListedPathIsAnErrorAndTheDefaultMayBeMissing() {
        TestSupport.write(root.resolve("platform.yaml"), """
                apiVersion: plinth.dev/v1alpha1
                kind: Platform
                metadata: {name: p}
                spec:
                  admission: [policies/, admission]
                """);
        Run r = validate();
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("admission path 'policies/' does not exist"), r.err());

        TestSupport.write(root.resolve("platform.yaml"), """
                apiVersion: plinth.dev/v1alpha1
                kind: Platform
                metadata: {name: p}
                spec:
                  admission: [../outside]
                """);
        r = validate();
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("admission path '../outside' is outside the platform root"), r.err());
    }

    @Test
    void anAdmissionFileThatLinksOutOfTheRootIsAnError() throws Exception {
        TestSupport.write(tmp.resolve("elsewhere.yaml"), POLICY);
        Files.createDirectories(root.resolve("admission"));
        Files.createSymbolicLink(root.resolve("admission/policy.yaml"), tmp.resolve("elsewhere.yaml"));
        Run r = validate();
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("admission/policy.yaml:1:1: error: admission file 'admission/policy.yaml' links outside the platform root"), r.err());
    }
}
