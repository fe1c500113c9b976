package dev.plinth.resolve;

import dev.plinth.TestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A component's declared uses: the NetworkPolicy rules both ends get, what tenants must permit
 * across them, and the errors at the use's line when it names nothing or is not permitted.
 */
class DeclaredUsesTest {
    @TempDir
    Path tmp;

    private static final String IMAGE = "registry.example.com/x@sha256:" + "0".repeat(64);
    private static final String RESOURCES = "resources: {requests: {cpu: 100m, memory: 128Mi}}";
    private static final String ENV = "environments/live/";

    private static String tenants(String shopNetwork, String dataNetwork) {
        return """
                apiVersion: plinth.dev/v1alpha1
                kind: Tenant
                metadata: {name: shop}
                spec: {network: %s}
                ---
                apiVersion: plinth.dev/v1alpha1
                kind: Tenant
                metadata: {name: data}
                spec: {network: %s}
                """.formatted(shopNetwork, dataNetwork);
    }

    /** shop/web: api (webservice) uses `uses`; data/events: a Kafka cluster, a topic and a worker. */
    private Path platform(String shopNetwork, String dataNetwork, String uses) {
        Path root = tmp.resolve("p" + Math.abs((shopNetwork + dataNetwork + uses).hashCode()));
        TestSupport.write(root.resolve(ENV + "environment.yaml"), """
                apiVersion: plinth.dev/v1alpha1
                kind: Environment
                metadata: {name: live}
                spec:
                  clusters: [{name: live-1, kubeVersion: "1.32", apiServerCIDRs: [10.0.0.1/32], operators: {strimzi: "0.49"}}]
                """);
        TestSupport.write(root.resolve(ENV + "tenants/tenants.yaml"), tenants(shopNetwork, dataNetwork));
        TestSupport.write(root.resolve(ENV + "apps/web.yaml"), """
                apiVersion: plinth.dev/v1alpha1
                kind: Application
                metadata: {name: web, tenant: shop}
                spec:
                  components:
                    - name: api
                      type: webservice
                      properties: {image: "%s", %s}
                      uses:
                %s
                    - name: cache
                      type: statefulservice
                      properties: {image: "%s", port: 6379, %s}
                """.formatted(IMAGE, RESOURCES, uses.indent(8).stripTrailing(), IMAGE, RESOURCES));
        TestSupport.write(root.resolve(ENV + "apps/events.yaml"), """
                apiVersion: plinth.dev/v1alpha1
                kind: Application
                metadata: {name: events, tenant: data}
                spec:
                  components:
                    - name: kafka
                      type: kafka-cluster
                    - name: clicks
                      type: kafka-topic
                      properties: {cluster: kafka}
                    - name: loader
                      type: worker
                      properties: {image: "%s", %s}
                """.formatted(IMAGE, RESOURCES));
        return root;
    }

    private static final String OPEN_SHOP = "{allowTo: [{namespace: data}]}";
    private static final String OPEN_DATA = "{allowFrom: [{namespace: shop}]}";

    @Test
    void bothEndsGetTheRulesOfAUseWithinAndAcrossTenants() {
        Path root = platform(OPEN_SHOP, OPEN_DATA, """
                - component: cache
                - {app: events, component: clicks, access: produce}
                """);
        Path out = tmp.resolve("out");
        TestSupport.Run run = TestSupport.render(root, out, true);
        assertEquals(0, run.exit(), run.err());
        Map<String, String> tree = TestSupport.readTree(out);
        String shop = "clusters/live-1/tenants/shop/apps/web/";
        String egress = tree.get(shop + "networkpolicy-api-uses.yaml");
        // the webservice's pods, out to the cache's named port and to the topic's Kafka pods on both listeners
        assertTrue(egress.contains("""
                  - ports:
                    - port: http
                      protocol: TCP
                    to:
                    - namespaceSelector:
                        matchLabels:
                          kubernetes.io/metadata.name: shop
                      podSelector:
                        matchLabels:
                          app.kubernetes.io/instance: web-cache
                          app.kubernetes.io/name: cache
                """), egress);
        assertTrue(egress.contains("""
                    - port: 9092
                      protocol: TCP
                    - port: 9093
                      protocol: TCP
                    to:
                    - namespaceSelector:
                        matchLabels:
                          kubernetes.io/metadata.name: data
                      podSelector:
                        matchLabels:
                          strimzi.io/cluster: kafka
                """), egress);
        assertTrue(tree.get(shop + "networkpolicy-cache-used-by.yaml").contains("app.kubernetes.io/instance: web-api"));
        String ingress = tree.get("clusters/live-1/tenants/data/apps/events/networkpolicy-clicks-used-by.yaml");
        assertTrue(ingress.contains("kubernetes.io/metadata.name: shop") && ingress.contains("strimzi.io/cluster: kafka"), ingress);
    }

    @Test
    void aTenantThatDoesNotIsolateGetsNoRulesAtItsEnd() {
        Path root = platform("{isolation: none}", OPEN_DATA, "- {app: events, component: clicks}");
        Path out = tmp.resolve("out");
        TestSupport.Run run = TestSupport.render(root, out, true);
        assertEquals(0, run.exit(), run.err());
        Map<String, String> tree = TestSupport.readTree(out);
        // a policy there would isolate the pods instead of opening them
        assertFalse(tree.containsKey("clusters/live-1/tenants/shop/apps/web/networkpolicy-api-uses.yaml"), tree.keySet().toString());
        assertTrue(tree.containsKey("clusters/live-1/tenants/data/apps/events/networkpolicy-clicks-used-by.yaml"));
    }

    @Test
    void aNewUseRendersTheTargetAgainFromTheCache() {
        Path out = tmp.resolve("out");
        assertEquals(0, TestSupport.render(platform(OPEN_SHOP, OPEN_DATA, "- component: cache"), out, false).exit());
        String ingress = "clusters/live-1/tenants/data/apps/events/networkpolicy-clicks-used-by.yaml";
        assertFalse(TestSupport.readTree(out).containsKey(ingress));
        Path root = platform(OPEN_SHOP, OPEN_DATA, "- component: cache");
        TestSupport.write(root.resolve(ENV + "apps/web.yaml"), TestSupport.readTree(root).get(ENV + "apps/web.yaml")
                .replace("- component: cache", "- component: cache\n        - {app: events, component: clicks}"));
        TestSupport.Run run = TestSupport.render(root, out, false);
        assertEquals(0, run.exit(), run.err());
        assertTrue(TestSupport.readTree(out).containsKey(ingress), "the topic's unit, unchanged itself, renders the new use's ingress");
    }

    private static String errors(Path root) {
        TestSupport.Run run = TestSupport.plinth("validate", "-r", root.toString());
        assertEquals(1, run.exit(), run.err());
        return run.err();
    }

    @Test
    void aUseOfNothingIsAnErrorAtItsLine() {
        String err = errors(platform(OPEN_SHOP, OPEN_DATA, """
                - component: nothere
                - {app: ghost, component: x}
                - {app: events, component: nope}
                """));
        assertTrue(err.contains("environments/live/apps/web.yaml:10:22: error: uses component 'nothere' of app 'web', which has none of that name (its components: api, cache)"), err);
        assertTrue(err.contains("environments/live/apps/web.yaml:11:17: error: uses app 'ghost', which does not exist in environment 'live'"), err);
        assertTrue(err.contains("environments/live/apps/web.yaml:12:36: error: uses component 'nope' of app 'events'"), err);
    }

    @Test
    void acrossTenantsBothMustPermitTheUse() {
        String notAdmitted = errors(platform(OPEN_SHOP, "{}", "- {app: events, component: clicks}"));
        assertTrue(notAdmitted.contains("environments/live/apps/web.yaml:10:11: error: component 'api' of app 'web' (tenant 'shop') uses component 'clicks' of app 'events' (tenant 'data'), but tenant 'data' does not admit namespace 'shop' (add {namespace: shop} to its network.allowFrom)"), notAdmitted);
        String notLetOut = errors(platform("{}", OPEN_DATA, "- {app: events, component: clicks}"));
        assertTrue(notLetOut.contains("but tenant 'shop' does not let its pods out to namespace 'data' (add {namespace: data} to its network.allowTo)"), notLetOut);
        // by labels the namespace carries, and with the use's port when the entry lists ports
        assertEquals(0, TestSupport.plinth("validate", "-r", platform("{allowTo: [{namespaceSelector: {plinth.dev/tenant: data}, ports: [9092]}]}",
                "{allowFrom: [{namespaceSelector: {kubernetes.io/metadata.name: shop}}]}", "- {app: events, component: clicks, port: 9092}").toString()).exit());
        String otherPort = errors(platform("{allowTo: [{namespace: data, ports: [9093]}]}", OPEN_DATA, "- {app: events, component: clicks, port: 9092}"));
        assertTrue(otherPort.contains("environments/live/apps/web.yaml:10:11: error: uses component 'clicks' of app 'events' on port 9092, but tenant 'shop' lets its pods out to namespace 'data' only on ports 9093 (network.allowTo)"), otherPort);
        // the ports the target's type listens on, when the use names none
        String defaults = errors(platform("{allowTo: [{namespace: data, ports: [9092]}]}", OPEN_DATA, "- {app: events, component: clicks}"));
        assertTrue(defaults.contains("on port 9093, but tenant 'shop' lets its pods out to namespace 'data' only on ports 9092"), defaults);
        assertEquals(0, TestSupport.plinth("validate", "-r", platform("{allowTo: [{namespace: data, ports: [9093]}, {namespaceSelector: {plinth.dev/tenant: data}, ports: [9092]}]}",
                OPEN_DATA, "- {app: events, component: clicks}").toString()).exit());
    }

    @Test
    void accessIsForTopics() {
        String err = errors(platform(OPEN_SHOP, OPEN_DATA, "- {component: cache, access: consume}"));
        assertTrue(err.contains("environments/live/apps/web.yaml:10:11: error: uses component 'cache' of app 'web' with access consume, which only a use of a kafka-topic has (type statefulservice)"), err);
    }

    @Test
    void aUseOfATypeThatListensOnNothingNeedsAPort() {
        String err = errors(platform(OPEN_SHOP, OPEN_DATA, "- {app: events, component: loader}"));
        assertTrue(err.contains("environments/live/apps/web.yaml:10:11: error: uses component 'loader' of app 'events' without a port, and type 'worker' listens on none by default: give the use a port"), err);
    }
}
