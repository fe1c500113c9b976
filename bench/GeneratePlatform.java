// Generates a large platform repository for the benchmark:
//   java bench/GeneratePlatform.java <apps> <environments> <output-dir>
// N apps spread over N/25 tenants in an abstract `base` environment, E concrete environments
// with one cluster each that extend it and override a tenth of the apps. The mix of types and
// traits follows a data platform: half web services (metrics, alerts, autoscale, pdb, logs,
// ingress on some), a quarter workers (metrics, logs), an eighth cron jobs (scheduling, logs),
// an eighth stateful services (pdb, metrics). Deterministic: the same arguments give the same tree.
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

public class GeneratePlatform {
    public static void main(String[] args) throws IOException {
        int apps = Integer.parseInt(args[0]);
        int envs = Integer.parseInt(args[1]);
        Path out = Path.of(args[2]);
        if (Files.exists(out)) {
            try (var s = Files.walk(out)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
        int tenants = Math.max(1, apps / 25);
        write(out.resolve("platform.yaml"), """
                apiVersion: plinth.dev/v1alpha1
                kind: Platform
                metadata: {name: bench}
                spec:
                  monitoring: {selectorLabels: {release: kube-prometheus-stack}}
                """);
        write(out.resolve("environments/base/environment.yaml"), """
                apiVersion: plinth.dev/v1alpha1
                kind: Environment
                metadata: {name: base}
                spec: {abstract: true}
                """);
        for (int t = 0; t < tenants; t++) {
            write(out.resolve("environments/base/tenants/tenant-" + t + ".yaml"), """
                    apiVersion: plinth.dev/v1alpha1
                    kind: Tenant
                    metadata: {name: tenant-%d}
                    spec:
                      quota: {cpu: "1000", memory: 4Ti, pods: 2000, storage: 100Ti}
                      limits:
                        defaultRequest: {cpu: 100m, memory: 128Mi}
                        default: {cpu: "1", memory: 1Gi}
                      members:
                        admin: [group:tenant-%d-admins]
                        view: [group:auditors]
                      network:
                        allowFrom: [{namespace: monitoring}, {namespace: ingress-nginx}]
                      queue: {weight: 1, capability: {cpu: "200"}}
                    """.formatted(t, t));
        }
        for (int a = 0; a < apps; a++) {
            write(out.resolve("environments/base/apps/app-" + a + ".yaml"), app(a, a % tenants));
        }
        for (int e = 0; e < envs; e++) {
            StringBuilder env = new StringBuilder("""
                    apiVersion: plinth.dev/v1alpha1
                    kind: Environment
                    metadata: {name: env-%d}
                    spec:
                      extends: [base]
                      clusters:
                        - name: cluster-%d
                          kubeVersion: "1.3%d"
                          labels: {region: r%d}
                          operators: {prometheus: "0.93", logging-operator: "6.7", volcano: "1.15", keda: "2.21"}
                      overrides:
                    """.formatted(e, e, e % 3, e));
            for (int a = e; a < apps; a += 10) {
                env.append("    - target: {app: app-").append(a).append("}\n")
                        .append("      properties: {env: {ENVIRONMENT: env-").append(e).append("}}\n");
            }
            write(out.resolve("environments/env-" + e + "/environment.yaml"), env.toString());
        }
    }

    private static String app(int a, int tenant) {
        String head = """
                apiVersion: plinth.dev/v1alpha1
                kind: Application
                metadata: {name: app-%d, tenant: tenant-%d}
                spec:
                  components:
                """.formatted(a, tenant);
        String image = "registry.example.com/team-" + tenant + "/app-" + a;
        return switch (a % 8) {
            case 0, 1, 2, 3 -> head + """
                        - name: api-%d
                          type: webservice
                          properties:
                            image: %s:1.%d.0
                            port: 8080
                            replicas: 2
                            resources: {requests: {cpu: 100m, memory: 256Mi}, limits: {memory: 256Mi}}
                            env: {LOG_LEVEL: info, APP_ID: "%d"}
                          traits:
                            - {type: metrics, properties: {port: 9090}}
                            - type: alerts
                              properties:
                                rules:
                                  - name: App%dErrors
                                    expr: 'sum(rate(http_requests_total{namespace="tenant-%d", code=~"5.."}[5m])) > 1'
                                    severity: warning
                                    summary: App %d returns errors.
                            - {type: autoscale, properties: {min: 2, max: 6}}
                            - {type: pdb, properties: {maxUnavailable: 1}}
                            - {type: logs}
                    """.formatted(a, image, a % 20, a, a, tenant, a)
                    + (a % 16 == 0 ? "        - {type: ingress, properties: {host: app-" + a + ".example.com}}\n" : "");
            case 4, 5 -> head + """
                        - name: worker-%d
                          type: worker
                          properties:
                            image: %s:2.%d.1
                            replicas: 1
                            resources: {requests: {cpu: 200m, memory: 512Mi}, limits: {memory: 512Mi}}
                          traits:
                            - {type: metrics, properties: {port: 9100}}
                            - {type: logs, properties: {parser: json}}
                    """.formatted(a, image, a % 20);
            case 6 -> head + """
                        - name: job-%d
                          type: cronjob
                          properties:
                            image: %s:3.0.%d
                            schedule: "%d 3 * * *"
                            resources: {requests: {cpu: 500m, memory: 1Gi}, limits: {memory: 1Gi}}
                          traits:
                            - {type: scheduling, properties: {queue: tenant}}
                            - {type: logs}
                    """.formatted(a, image, a % 20, a % 60);
            default -> head + """
                        - name: store-%d
                          type: statefulservice
                          properties:
                            image: %s:4.%d.0
                            replicas: 3
                            port: 6379
                            storage: {size: 10Gi}
                            resources: {requests: {cpu: 250m, memory: 1Gi}, limits: {memory: 1Gi}}
                          traits:
                            - {type: pdb, properties: {maxUnavailable: 1}}
                            - {type: metrics, properties: {port: 9121}}
                    """.formatted(a, image, a % 20);
        };
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
