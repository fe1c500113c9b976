package dev.plinth.check.k8s;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The compiler reads the Kubernetes model from the table the build writes: that table must say
 * exactly what introspecting the model classes says, and checking an object with either model
 * must find the same problems.
 */
class ModelTableTest {
    private static String builtTable() throws IOException {
        try (InputStream in = CoreModel.class.getClassLoader().getResourceAsStream(CoreModel.TABLE)) {
            assertNotNull(in, "the build wrote " + CoreModel.TABLE);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theBuildsTableIsTheModelTheClassesDescribe() throws IOException {
        CoreModel introspected = ModelIntrospection.model();
        String table = ModelIntrospection.table(introspected);
        assertEquals(table, builtTable());
        // and reading it back gives the same model, type by type
        CoreModel read = CoreModel.fromTable(table);
        assertEquals(introspected.kinds(), read.kinds());
        assertEquals(introspected.groups(), read.groups());
        assertEquals(table, ModelIntrospection.table(read));
        assertTrue(read.kinds().size() > 200 && read.isBuiltInGroup("") && read.isBuiltInGroup("apps"), "kinds: " + read.kinds().size());
    }

    @Test
    void bothModelsFindTheSameProblems() {
        Map<String, Object> deployment = Map.of("apiVersion", "apps/v1", "kind", "Deployment",
                "metadata", Map.of("name", "web", "labelz", Map.of()),
                "spec", Map.of("replicas", "two", "selector", Map.of("matchLabels", Map.of("a", "b")),
                        "template", Map.of("spec", Map.of("containers", List.of(
                                Map.of("name", "c", "ports", List.of(Map.of("containerPort", 80L, "protocol", 6L))))))));
        List<String> found = new ArrayList<>();
        for (CoreModel model : List.of(ModelIntrospection.model(), CoreModel.get())) {
            List<CoreModel.Problem> problems = new ArrayList<>();
            model.validate(deployment, model.typeFor("apps/v1", "Deployment"), problems);
            found.add(problems.toString());
        }
        assertTrue(found.get(0).contains("unknown field 'labelz' in ObjectMeta") && found.get(0).contains("replicas")
                && found.get(0).contains("missing required field 'image' of Container")
                && found.get(0).contains("spec.template.spec.containers[0].ports[0].protocol"), found.get(0));
        assertEquals(found.get(0), found.get(1));
    }
}
