package dev.plinth.check;

import dev.plinth.TestSupport;
import dev.plinth.check.k8s.ApiVersions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cross-checks Plinth's removal table against FairwindsOps/pluto's independent versions.yaml. */
class ApiVersionsTest {
    /**
     * Rows where pluto's data is known to be off and the Kubernetes deprecation guide wins: pluto
     * files flowcontrol v1beta1 under a kind "FlowControl" (removed 1.26) and again under
     * FlowSchema/PriorityLevelConfiguration with removed 1.29, and its deprecation versions for
     * the flowcontrol betas differ between the two kinds of one apiVersion.
     */
    private static final java.util.Set<String> PLUTO_ERRATA = java.util.Set.of(
            "flowcontrol.apiserver.k8s.io/v1beta1 FlowSchema",
            "flowcontrol.apiserver.k8s.io/v1beta1 PriorityLevelConfiguration",
            "flowcontrol.apiserver.k8s.io/v1beta2 FlowSchema",
            "flowcontrol.apiserver.k8s.io/v1beta2 PriorityLevelConfiguration",
            "flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema",
            "flowcontrol.apiserver.k8s.io/v1beta3 PriorityLevelConfiguration");

    @Test
    @SuppressWarnings("unchecked")
    void everyRowAgreesWithPluto() throws Exception {
        Path pluto = TestSupport.projectRoot().resolve("../shared/reference/k8s-api-versions-pluto.yaml").normalize();
        Assumptions.assumeTrue(Files.exists(pluto), "pluto's table is not at " + pluto + ": skipping the cross-check");
        Map<String, Object> doc = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(pluto));
        Map<String, Map<String, Object>> byKey = new HashMap<>();
        for (Object o : (List<Object>) doc.get("deprecated-versions")) {
            Map<String, Object> row = (Map<String, Object>) o;
            if ("k8s".equals(row.get("component"))) byKey.put(row.get("version") + " " + row.get("kind"), row);
        }
        List<String> disagreements = new ArrayList<>();
        int compared = 0;
        for (ApiVersions.Entry e : ApiVersions.get().entries()) {
            Map<String, Object> row = byKey.get(e.apiVersion() + " " + e.kind());
            if (row == null || PLUTO_ERRATA.contains(e.apiVersion() + " " + e.kind())) continue; // pluto does not track every kind
            compared++;
            String removed = String.valueOf(row.get("removed-in"));
            if (!removed.isEmpty() && !removed.equals("null") && minor(removed) != e.removed()) {
                disagreements.add(e.apiVersion() + " " + e.kind() + ": removed 1." + e.removed() + ", pluto says " + removed);
            }
            String deprecated = String.valueOf(row.get("deprecated-in"));
            if (!deprecated.isEmpty() && !deprecated.equals("null") && minor(deprecated) != e.deprecated()) {
                disagreements.add(e.apiVersion() + " " + e.kind() + ": deprecated 1." + e.deprecated() + ", pluto says " + deprecated);
            }
        }
        assertTrue(compared >= 30, "compared only " + compared + " rows with pluto");
        assertEquals(List.of(), disagreements);
    }

    @Test
    void knowsTheRemovalsTheLibraryCouldHitAndTheirReplacements() {
        ApiVersions v = ApiVersions.get();
        assertEquals(25, v.lifecycle("policy/v1beta1", "PodDisruptionBudget").orElseThrow().removed());
        assertEquals("policy/v1", v.lifecycle("policy/v1beta1", "PodDisruptionBudget").orElseThrow().replacement());
        assertEquals(26, v.lifecycle("autoscaling/v2beta2", "HorizontalPodAutoscaler").orElseThrow().removed());
        assertEquals(23, v.introduced("autoscaling/v2", "HorizontalPodAutoscaler").orElseThrow());
        assertTrue(v.lifecycle("apps/v1", "Deployment").isEmpty());
    }

    private static int minor(String version) {
        String v = version.startsWith("v") ? version.substring(1) : version;
        return Integer.parseInt(v.split("\\.")[1]);
    }
}
