package dev.plinth.check;

import org.junit.jupiter.api.Test;

import static dev.plinth.check.CheckFixture.error;

/**
 * schema: built-in kinds strictly against the Kubernetes model (unknown fields, wrong types,
 * required fields, unknown kinds); custom resources against their CRD's openAPIV3Schema and CEL
 * rules; custom resources without a CRD are not schema-checked.
 */
class SchemaCheckTest {
    private static final String CHECK = "schema";
    private static final String WIDGETS = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: widgets.example.com}
            spec:
              group: example.com
              names: {kind: Widget, plural: widgets}
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
                          required: [size]
                          x-kubernetes-validations: [{rule: "!has(self.max) || self.max >= self.size", message: max below size}]
                          properties:
                            size: {type: integer, minimum: 1}
                            max: {type: integer}
                            colour: {type: string, enum: [red, blue]}
                - name: v1alpha1
                  served: false
                  storage: false
            """;

    private static CheckFixture widgets(String yaml) {
        return CheckFixture.cluster().operator("example.com").crd(WIDGETS).tenant("team").app("web", "team").objects("web", yaml);
    }

    @Test
    void aValidBuiltInObjectPasses() {
        CheckFixture.app("""
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec: {selector: {app: web}, ports: [{name: http, port: 80, targetPort: 8080}]}
                """).run(CHECK).none();
    }

    @Test
    void unknownFieldsWrongTypesAndMissingRequiredFieldsAreErrors() {
        CheckFixture.app("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replica: 2
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                        - {name: web, image: "web:1", imagePullPolcy: Always}
                        - {image: "sidecar:1"}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec: {sessionAffinity: [None], ports: [{port: "80"}]}
                """).run(CHECK).exactly(
                error("Deployment/team/web", "spec.replica", "unknown field 'replica' in DeploymentSpec"),
                error("Deployment/team/web", "spec.selector", "missing required field 'selector' of DeploymentSpec"),
                error("Deployment/team/web", "spec.template.spec.containers[0].imagePullPolcy", "unknown field 'imagePullPolcy' in Container"),
                error("Deployment/team/web", "spec.template.spec.containers[1].name", "missing required field 'name' of Container"),
                error("Service/team/web", "spec.sessionAffinity", "expected a string, got a list"),
                error("Service/team/web", "spec.ports[0].port", "expected an integer, got string '80'"));
    }

    @Test
    void unknownKindsAndApiVersionsOfBuiltInGroups() {
        CheckFixture.app("""
                apiVersion: apps/v2
                kind: Deployment
                metadata: {name: future}
                ---
                apiVersion: v1
                kind: Deploymnet
                metadata: {name: typo}
                """).run(CHECK).exactly(
                error("Deployment/team/future", "kind", "Kubernetes has no Deployment in apps/v2 (no such apiVersion)"),
                error("Deploymnet/team/typo", "kind", "Kubernetes has no Deploymnet in v1"));
    }

    @Test
    void aRemovedApiVersionIsLeftToTheApiVersionCheck() {
        CheckFixture.app("""
                apiVersion: batch/v1beta1
                kind: CronJob
                metadata: {name: nightly}
                spec: {schedule: "0 3 * * *", jobTemplate: {}}
                """).kubeVersion("1.29").run(CHECK).none();
    }

    @Test
    void customResourcesAgainstTheirCrd() {
        widgets("""
                apiVersion: example.com/v1
                kind: Widget
                metadata: {name: good}
                spec: {size: 3, max: 5, colour: red}
                """).run(CHECK).none();
        widgets("""
                apiVersion: example.com/v1
                kind: Widget
                metadata: {name: bad}
                spec: {size: 0, colour: green, shape: round}
                ---
                apiVersion: example.com/v1
                kind: Widget
                metadata: {name: empty}
                spec: {}
                """).run(CHECK).exactly(
                error("Widget/team/bad", "spec.size", "must have a minimum value of 1"),
                error("Widget/team/bad", "spec.colour", "does not have a value in the enumeration"),
                error("Widget/team/bad", "spec.shape", "unknown field 'shape'"),
                error("Widget/team/empty", "spec", "required property 'size' not found"));
    }

    @Test
    void theCrdsCelRulesAreEvaluated() {
        widgets("""
                apiVersion: example.com/v1
                kind: Widget
                metadata: {name: inverted}
                spec: {size: 5, max: 2}
                """).run(CHECK).only(error("Widget/team/inverted", "spec", "max below size"));
    }

    @Test
    void aVersionTheCrdDoesNotServe() {
        widgets("""
                apiVersion: example.com/v1alpha1
                kind: Widget
                metadata: {name: old}
                spec: {size: 1}
                """).run(CHECK).only(error("Widget/team/old", "apiVersion", "the CRD of Widget serves example.com/v1, not example.com/v1alpha1"));
    }

    @Test
    void customResourcesWithoutACrdAreNotSchemaChecked() {
        CheckFixture.cluster().operator("example.com").tenant("team").app("web", "team").objects("web", """
                apiVersion: example.com/v1
                kind: Widget
                metadata: {name: unchecked}
                spec: {anything: [goes]}
                """).run(CHECK).none();
    }

    @Test
    void aWaiverSuppressesSchemaFindings() {
        CheckFixture.app("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings}
                data: {a: b}
                extra: field
                """).waiver("team", CHECK).run(CHECK).none();
    }
}
