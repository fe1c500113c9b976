package dev.plinth.check;

import org.junit.jupiter.api.Test;

import static dev.plinth.check.CheckFixture.error;

/**
 * references: selectors select, targets exist, named ports exist, and the ConfigMaps, Secrets and
 * claims pods use are rendered in their namespace or declared in the app's spec.external.
 */
class ReferencesCheckTest {
    private static final String CHECK = "references";
    private static final String WEB = CheckFixture.deployment("web", "containers: [{name: web, image: \"web:1\", ports: [{name: http, containerPort: 8080}]}]")
            .replace("labels: {app: web}", "labels: {app: web, tier: front}");

    private static String service(String selector, String targetPort) {
        return "apiVersion: v1\nkind: Service\nmetadata: {name: web, labels: {app: web}}\nspec: {selector: " + selector
                + ", ports: [{name: http, port: 80, targetPort: " + targetPort + "}]}\n";
    }

    private static CheckFixture.Result web(String... more) {
        return CheckFixture.app(WEB + "---\n" + String.join("---\n", more)).run(CHECK);
    }

    @Test
    void servicesSelectPodsWithTheNamedPort() {
        web(service("{app: web}", "http")).none();
        web(service("{app: web, tier: front}", "8080")).none();
    }

    @Test
    void aServiceSelectingNoPodsIsAnError() {
        web(service("{app: wbe}", "http")).only(error("Service/team/web", "spec.selector", "selects no pods of any workload in team"));
    }

    @Test
    void aTargetPortNoSelectedPodNamesIsAnError() {
        web(service("{app: web}", "https")).only(error("Service/team/web", "spec.ports[0].targetPort",
                "no selected pod has a container port named 'https'"));
    }

    @Test
    void aServiceWithoutSelectorHasExternalEndpoints() {
        web("apiVersion: v1\nkind: Service\nmetadata: {name: legacy}\nspec: {ports: [{port: 5432}]}\n").none();
    }

    @Test
    void podsOfAnotherNamespaceAreNotSelected() {
        CheckFixture.cluster().tenant("team", "team", "team-2").app("web", "team").app("api", "team", "team-2")
                .objects("web", WEB).objects("api", service("{app: web}", "http")).run(CHECK)
                .only(error("Service/team-2/web", "spec.selector", "selects no pods of any workload in team-2"));
    }

    @Test
    void disruptionBudgetsSelectPods() {
        String pdb = "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web}\nspec: {minAvailable: 1, selector: {matchLabels: %s}}\n";
        web(pdb.formatted("{app: web}")).none();
        web(pdb.formatted("{app: api}")).only(error("PodDisruptionBudget/team/web", "spec.selector", "selects no pods of any workload in team"));
    }

    /** An HPA {@code name} scaling {@code kind}/{@code target}, and a ScaledObject {@code name} scaling (by default a Deployment) {@code target}. */
    private static String scalers(String name, String kind, String target) {
        return """
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: %s}
                spec: {scaleTargetRef: {apiVersion: apps/v1, kind: %s, name: %s}, maxReplicas: 3}
                ---
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: %s}
                spec: {scaleTargetRef: {name: %s}}
                """.formatted(name, kind, target, name, name.equals("web") ? target : name);
    }

    @Test
    void scalersTargetRenderedWorkloads() {
        web(scalers("web", "Deployment", "web")).none();
        web(scalers("api", "StatefulSet", "web")).exactly(
                error("HorizontalPodAutoscaler/team/api", "spec.scaleTargetRef", "scales StatefulSet/web, which is not rendered in team"),
                error("ScaledObject/team/api", "spec.scaleTargetRef", "scales Deployment/api, which is not rendered in team"));
    }

    private static String serviceMonitor(String port, String namespaceSelector) {
        return """
                apiVersion: monitoring.coreos.com/v1
                kind: ServiceMonitor
                metadata: {name: web}
                spec:
                  selector: {matchLabels: {app: web}}
                  endpoints: [{port: %s}]
                """.formatted(port) + (namespaceSelector == null ? "" : "  namespaceSelector: " + namespaceSelector + "\n");
    }

    @Test
    void serviceMonitorsSelectServicesWithTheNamedPort() {
        web(service("{app: web}", "http"), serviceMonitor("http", null)).none();
        web(service("{app: web}", "http"), serviceMonitor("metrics", null)).only(error("ServiceMonitor/team/web",
                "spec.endpoints[0].port", "no selected Service has a port named 'metrics'"));
        web(serviceMonitor("http", null)).only(error("ServiceMonitor/team/web", "spec.selector", "selects no Service in team"));
        web(serviceMonitor("http", "{any: true}")).none();
        web(service("{app: web}", "http"), serviceMonitor("http", "{matchNames: []}")).none();
        web(serviceMonitor("http", "{matchNames: []}")).only(error("ServiceMonitor/team/web", "spec.selector", "selects no Service in team"));
    }

    /** Tenants team and shared; app svc renders WEB in shared (with its Service when asked); app web renders {@code monitor} in team. */
    private static CheckFixture.Result acrossNamespaces(boolean withService, String monitor) {
        return CheckFixture.cluster().tenant("team").tenant("shared").app("web", "team").app("svc", "shared")
                .objects("svc", WEB + (withService ? "---\n" + service("{app: web}", "http") : ""))
                .objects("web", monitor).run(CHECK);
    }

    @Test
    void aServiceMonitorSelectsServicesOfTheNamespacesItNames() {
        acrossNamespaces(true, serviceMonitor("http", "{matchNames: [shared]}")).none();
        acrossNamespaces(true, serviceMonitor("web", "{matchNames: [shared, team]}"))
                .only(error("ServiceMonitor/team/web", "spec.endpoints[0].port", "no selected Service has a port named 'web'"));
        acrossNamespaces(false, serviceMonitor("http", "{matchNames: [shared, elsewhere]}"))
                .only(error("ServiceMonitor/team/web", "spec.selector", "selects no Service in shared, elsewhere"));
    }

    /**
     * A PodDisruptionBudget's, PodMonitor's or ServiceMonitor's selector may be written with
     * matchExpressions alone; an empty policy/v1 PDB selector selects every pod of the namespace,
     * and a ServiceMonitor with an empty matchNames list looks in its own namespace.
     */
    @Test
    void selectorsWithMatchExpressionsSelect() {
        web("""
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata: {name: web}
                spec: {minAvailable: 1, selector: {matchExpressions: [{key: app, operator: In, values: [web]}]}}
                ---
                apiVersion: monitoring.coreos.com/v1
                kind: PodMonitor
                metadata: {name: web}
                spec: {selector: {matchExpressions: [{key: tier, operator: Exists}]}, podMetricsEndpoints: [{port: http}]}
                """).none();
        web("""
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata: {name: all}
                spec: {minAvailable: 1, selector: {}}
                """).none();
        web("""
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata: {name: none}
                spec: {minAvailable: 1}
                """).only(error("PodDisruptionBudget/team/none", "spec.selector", "selects no pods of any workload in team"));
    }

    @Test
    void podMonitorsSelectPodsWithTheNamedPortOrNameTheirResource() {
        String podMonitor = """
                apiVersion: monitoring.coreos.com/v1
                kind: PodMonitor
                metadata: {name: web%s}
                spec:
                  selector: {matchLabels: {app: web}}
                  podMetricsEndpoints: [{port: %s}]
                """;
        web(podMonitor.formatted("", "http")).none();
        web(podMonitor.formatted("", "metrics")).only(error("PodMonitor/team/web", "spec.podMetricsEndpoints[0].port",
                "no selected pod has a container port named 'metrics'"));
        web(podMonitor.formatted(", annotations: {plinth.dev/pods-of: FlinkDeployment/jobs}", "metrics")).only(error("PodMonitor/team/web",
                "metadata.annotations.plinth.dev/pods-of", "scrapes the pods of FlinkDeployment/jobs, which is not rendered in team"));
        web(podMonitor.formatted(", annotations: {plinth.dev/pods-of: Deployment/web}", "metrics")).none();
    }

    @Test
    void kafkaTopicsNameAKafkaOfTheirNamespaceWithEnoughBrokers() {
        String kafka = """
                apiVersion: kafka.strimzi.io/v1beta2
                kind: Kafka
                metadata: {name: events}
                spec: {}
                ---
                apiVersion: kafka.strimzi.io/v1beta2
                kind: KafkaNodePool
                metadata: {name: brokers, labels: {strimzi.io/cluster: events}}
                spec: {replicas: 2, roles: [broker]}
                ---
                apiVersion: kafka.strimzi.io/v1beta2
                kind: KafkaNodePool
                metadata: {name: controllers, labels: {strimzi.io/cluster: events}}
                spec: {replicas: 3, roles: [controller]}
                """;
        String topic = "apiVersion: kafka.strimzi.io/v1beta2\nkind: KafkaTopic\nmetadata: {name: %s%s}\nspec: {replicas: %d}\n";
        CheckFixture.app(kafka + "---\n" + topic.formatted("clicks", ", labels: {strimzi.io/cluster: events}", 2)).run(CHECK).none();
        CheckFixture.app(kafka + "---\n" + topic.formatted("clicks", ", labels: {strimzi.io/cluster: events}", 3)
                + "---\n" + topic.formatted("orphan", "", 1)
                + "---\n" + topic.formatted("elsewhere", ", labels: {strimzi.io/cluster: logs}", 1)).run(CHECK).exactly(
                error("KafkaTopic/team/clicks", "spec.replicas", "topic wants 3 replicas but Kafka cluster 'events' has 2 brokers"),
                error("KafkaTopic/team/orphan", "metadata.labels", "a KafkaTopic needs the label strimzi.io/cluster naming its Kafka"),
                error("KafkaTopic/team/elsewhere", "metadata.labels.strimzi.io/cluster",
                        "topic of Kafka cluster 'logs', which is not rendered in team (Strimzi's topic operator watches its Kafka's namespace)"));
    }

    private static String ingress(String service, String port) {
        return """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: web}
                spec:
                  rules:
                    - host: web.example.com
                      http:
                        paths: [{path: /, pathType: Prefix, backend: {service: {name: %s, port: %s}}}]
                """.formatted(service, port);
    }

    @Test
    void ingressBackendsExistWithTheNamedPort() {
        String backend = "spec.rules[0].http.paths[0].backend.service";
        web(service("{app: web}", "http"), ingress("web", "{name: http}")).none();
        web(service("{app: web}", "http"), ingress("web", "{name: https}")).only(error("Ingress/team/web", backend + ".port.name",
                "Service 'web' has no port named 'https'"));
        web(ingress("legacy", "{number: 80}")).only(error("Ingress/team/web", backend + ".name",
                "routes to Service 'legacy', which is not rendered in team nor declared in spec.external.services"));
        CheckFixture.app(ingress("legacy", "{number: 80}")).external("web", "services", "legacy").run(CHECK).none();
    }

    private static String pod(String spec) {
        return "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n" + spec.indent(2);
    }

    @Test
    void whatPodsUseIsRenderedOrDeclaredExternal() {
        String uses = pod("""
                containers:
                  - name: c
                    image: "c:1"
                    env: [{name: A, valueFrom: {configMapKeyRef: {name: settings, key: a}}}, {name: B, valueFrom: {secretKeyRef: {name: db, key: b}}}]
                    envFrom: [{configMapRef: {name: more}}, {secretRef: {name: creds}}]
                volumes:
                  - {name: c, configMap: {name: files}}
                  - {name: s, secret: {secretName: tls}}
                  - {name: d, persistentVolumeClaim: {claimName: data}}
                """);
        String external = "spec.external.";
        CheckFixture.app(uses).run(CHECK).exactly(
                error("Pod/team/p", "spec.containers[0].env[0].valueFrom.configMapKeyRef.name", "ConfigMap 'settings' is not rendered in team nor declared in the app's " + external + "configMaps"),
                error("Pod/team/p", "spec.containers[0].env[1].valueFrom.secretKeyRef.name", "Secret 'db' is not rendered in team nor declared in the app's " + external + "secrets"),
                error("Pod/team/p", "spec.containers[0].envFrom[0].configMapRef.name", "ConfigMap 'more' is not rendered"),
                error("Pod/team/p", "spec.containers[0].envFrom[1].secretRef.name", "Secret 'creds' is not rendered"),
                error("Pod/team/p", "spec.volumes[0].configMap.name", "ConfigMap 'files' is not rendered"),
                error("Pod/team/p", "spec.volumes[1].secret.secretName", "Secret 'tls' is not rendered"),
                error("Pod/team/p", "spec.volumes[2].persistentVolumeClaim.claimName",
                        "PersistentVolumeClaim 'data' is not rendered in team nor declared in the app's spec.external.persistentVolumeClaims"));
        CheckFixture.app(uses + """
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: more}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: files}
                """).external("web", "secrets", "db", "creds", "tls").external("web", "persistentVolumeClaims", "data").run(CHECK).none();
    }

    @Test
    void optionalReferencesNeedNothing() {
        CheckFixture.app(pod("""
                containers:
                  - name: c
                    image: "c:1"
                    env: [{name: A, valueFrom: {configMapKeyRef: {name: settings, key: a, optional: true}}}]
                    envFrom: [{secretRef: {name: creds, optional: true}}]
                volumes: [{name: c, configMap: {name: files, optional: true}}]
                """)).run(CHECK).none();
    }

    @Test
    void anotherAppsExternalDeclarationDoesNotCount() {
        CheckFixture.cluster().tenant("team").app("web", "team").app("other", "team").external("other", "secrets", "db")
                .objects("web", pod("containers: [{name: c, image: 'c:1', envFrom: [{secretRef: {name: db}}]}]")).run(CHECK)
                .only(error("Pod/team/p", "spec.containers[0].envFrom[0].secretRef.name", "Secret 'db' is not rendered"));
    }

    @Test
    void aKafkaUserWithCredentialsCreatesTheSecretNamedAfterIt() {
        String uses = pod("""
                containers:
                  - name: c
                    image: "c:1"
                    env: [{name: P, valueFrom: {secretKeyRef: {name: reader, key: password}}}, {name: C, valueFrom: {secretKeyRef: {name: cert, key: user.crt}}}]
                volumes:
                  - {name: s, secret: {secretName: external}}
                """);
        String users = """
                ---
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaUser
                metadata: {name: reader, labels: {strimzi.io/cluster: events}}
                spec: {authentication: {type: scram-sha-512}}
                ---
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaUser
                metadata: {name: cert, labels: {strimzi.io/cluster: events}}
                spec: {authentication: {type: tls}}
                ---
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaUser
                metadata: {name: external, labels: {strimzi.io/cluster: events}}
                spec: {authentication: {type: tls-external}}
                """;
        // tls-external: the certificate comes from elsewhere, Strimzi writes no Secret
        CheckFixture.app(uses + users).run(CHECK).only(error("Pod/team/p", "spec.volumes[0].secret.secretName", "Secret 'external' is not rendered"));
    }

    @Test
    void aWaiverSuppressesTheFindings() {
        CheckFixture.app(service("{app: nobody}", "http")).waiver("web", CHECK).run(CHECK).none();
    }

    private static final String USES_DB = pod("""
            containers:
              - name: c
                image: "c:1"
                env: [{name: P, valueFrom: {secretKeyRef: {name: db, key: password}}}]
                envFrom: [{secretRef: {name: db}}]
            volumes: [{name: s, secret: {secretName: db, items: [{key: ca.crt, path: ca.pem}]}}]
            """);

    /** A Secret created in the namespace by an ExternalSecret, a SealedSecret or a KafkaUser counts as rendered, with its keys. */
    @Test
    void secretsCreatedByOperatorsCountWithTheirKeys() {
        String externalSecret = """
                apiVersion: external-secrets.io/v1
                kind: ExternalSecret
                metadata: {name: db-es}
                spec:
                  secretStoreRef: {name: vault, kind: ClusterSecretStore}
                  target: {name: db%s}
                  data: [{secretKey: password, remoteRef: {key: db}}, {secretKey: ca.crt, remoteRef: {key: ca}}]
                """;
        CheckFixture.app(USES_DB + "---\n" + externalSecret.formatted("")).run(CHECK).none();
        // creationPolicy None creates nothing; Merge only merges into a Secret that exists
        CheckFixture.app(USES_DB + "---\n" + externalSecret.formatted(", creationPolicy: Merge")).run(CHECK).exactly(
                error("Pod/team/p", "spec.containers[0].env[0].valueFrom.secretKeyRef.name", "Secret 'db' is not rendered"),
                error("Pod/team/p", "spec.containers[0].envFrom[0].secretRef.name", "Secret 'db' is not rendered"),
                error("Pod/team/p", "spec.volumes[0].secret.secretName", "Secret 'db' is not rendered"));
        CheckFixture.app(USES_DB + """
                ---
                apiVersion: bitnami.com/v1alpha1
                kind: SealedSecret
                metadata: {name: db}
                spec:
                  encryptedData: {password: AgB}
                  template: {data: {ca.crt: "{{ .ca }}"}}
                """).run(CHECK).none();
        CheckFixture.app(USES_DB.replace("ca.crt", "user.key") + """
                ---
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaUser
                metadata: {name: db, labels: {strimzi.io/cluster: events}}
                spec: {authentication: {type: tls}}
                """).run(CHECK).only(error("Pod/team/p", "spec.containers[0].env[0].valueFrom.secretKeyRef.key",
                "Secret 'db' has no key 'password' (its keys: ca.crt, user.crt, user.key, user.p12, user.password)"));
    }

    @Test
    void keysTheSecretOrConfigMapDoesNotHaveAreErrors() {
        String uses = pod("""
                containers:
                  - name: c
                    image: "c:1"
                    env:
                      - {name: A, valueFrom: {configMapKeyRef: {name: settings, key: zone}}}
                      - {name: B, valueFrom: {configMapKeyRef: {name: settings, key: other, optional: true}}}
                volumes:
                  - {name: s, secret: {secretName: tls, items: [{key: tls.crt, path: c}, {key: ca.crt, path: ca}]}}
                """);
        CheckFixture.app(uses + """
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings}
                data: {region: eu}
                ---
                apiVersion: external-secrets.io/v1
                kind: ExternalSecret
                metadata: {name: tls}
                spec:
                  secretStoreRef: {name: vault}
                  target: {template: {type: kubernetes.io/tls, data: {tls.crt: "{{ .cert }}", tls.key: "{{ .key }}"}}}
                  data: [{secretKey: cert, remoteRef: {key: tls}}, {secretKey: key, remoteRef: {key: tls}}]
                """).run(CHECK).exactly(
                error("Pod/team/p", "spec.containers[0].env[0].valueFrom.configMapKeyRef.key", "ConfigMap 'settings' has no key 'zone' (its keys: region)"),
                error("Pod/team/p", "spec.volumes[0].secret.items[1].key", "Secret 'tls' has no key 'ca.crt' (its keys: tls.crt, tls.key)"));
        // keys from the store (dataFrom) or an external Secret are not known here
        CheckFixture.app(uses.replace("key: zone", "key: region") + """
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings}
                data: {region: eu}
                ---
                apiVersion: external-secrets.io/v1
                kind: ExternalSecret
                metadata: {name: tls}
                spec: {secretStoreRef: {name: vault}, dataFrom: [{extract: {key: tls}}]}
                """).run(CHECK).none();
        CheckFixture.app(uses.replace("key: zone", "key: region")).external("web", "secrets", "tls").external("web", "configMaps", "settings")
                .run(CHECK).none();
    }

    /** FlinkDeployment pod templates and SparkApplication drivers and executors are pods too. */
    @Test
    void operatorPodsReferencesAreFollowed() {
        CheckFixture.app("""
                apiVersion: flink.apache.org/v1beta1
                kind: FlinkDeployment
                metadata: {name: job}
                spec:
                  podTemplate:
                    spec:
                      containers: [{name: flink-main-container, envFrom: [{secretRef: {name: kafka}}]}]
                  taskManager:
                    podTemplate:
                      spec:
                        volumes: [{name: s, secret: {secretName: s3}}]
                ---
                apiVersion: sparkoperator.k8s.io/v1beta2
                kind: ScheduledSparkApplication
                metadata: {name: batch}
                spec:
                  template:
                    volumes: [{name: c, configMap: {name: conf}}]
                    driver:
                      env: [{name: P, valueFrom: {secretKeyRef: {name: db, key: password}}}]
                      secrets: [{name: gcp, path: /etc/gcp, secretType: GCPServiceAccount}]
                    executor:
                      envFrom: [{configMapRef: {name: settings}}]
                """).run(CHECK).exactly(
                error("FlinkDeployment/team/job", "spec.podTemplate.spec.containers[0].envFrom[0].secretRef.name", "Secret 'kafka' is not rendered"),
                error("FlinkDeployment/team/job", "spec.taskManager.podTemplate.spec.volumes[0].secret.secretName", "Secret 's3' is not rendered"),
                error("ScheduledSparkApplication/team/batch", "spec.template.volumes[0].configMap.name", "ConfigMap 'conf' is not rendered"),
                error("ScheduledSparkApplication/team/batch", "spec.template.driver.env[0].valueFrom.secretKeyRef.name", "Secret 'db' is not rendered"),
                error("ScheduledSparkApplication/team/batch", "spec.template.driver.secrets[0].name", "Secret 'gcp' is not rendered"),
                error("ScheduledSparkApplication/team/batch", "spec.template.executor.envFrom[0].configMapRef.name", "ConfigMap 'settings' is not rendered"));
    }
}
