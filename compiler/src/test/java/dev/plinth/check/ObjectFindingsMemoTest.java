package dev.plinth.check;

import dev.plinth.TestSupport;
import dev.plinth.TestSupport.Run;
import dev.plinth.diag.Diagnostic.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The object checks' findings kept per unit in the render cache: a render that replays them
 * reports what a full render reports, placed at the spec lines as they are now and with the
 * waivers as they are now; stored findings that do not fit are found again.
 */
class ObjectFindingsMemoTest {
    private static final String APP = TestSupport.k8sObjectsApp("legacy", "team", """
            - apiVersion: storage.k8s.io/v1beta1
              kind: CSIStorageCapacity
              metadata: {name: capacity}
              storageClassName: standard
            """);

    @TempDir
    Path tmp;

    @Test
    void replayedFindingsFollowTheSpecLinesAndWaiversOfNow() throws IOException {
        Path root = tmp.resolve("platform");
        TestSupport.writeLiveEnvironment(root, "1.25", "team");
        Path app = root.resolve("environments/live/apps/legacy.yaml");
        TestSupport.write(app, APP);
        Path out = tmp.resolve("out");

        List<String> first = findings(render(root, out, false));
        assertEquals(List.of("environments/live/apps/legacy.yaml:10:25: warning[api-version]: storage.k8s.io/v1beta1"
                + " CSIStorageCapacity is deprecated since Kubernetes 1.24 and removed in 1.27; use storage.k8s.io/v1"
                + " (live-1 team CSIStorageCapacity/capacity apiVersion)"), first);
        assertTrue(cacheText(out).contains("is deprecated since Kubernetes 1.24"), "the finding is kept with its unit");

        // two lines more above the object: the unit's program is the same, so its findings come
        // from the cache, and are placed at the line the value has now
        TestSupport.write(app, "# moved down\n# by two lines\n" + APP);
        List<String> moved = findings(render(root, out, false));
        assertEquals(List.of(first.get(0).replace("legacy.yaml:10:25", "legacy.yaml:12:25")), moved);
        assertEquals(findings(render(root, tmp.resolve("full-1"), true)), moved);

        // a waiver added to the app applies to the kept finding too
        TestSupport.write(app, APP + "  waivers:\n    - {check: api-version, reason: migrating in Q3}\n");
        List<String> waived = findings(render(root, out, false));
        assertEquals(List.of(), waived);
        assertEquals(findings(render(root, tmp.resolve("full-2"), true)), waived);
    }

    @Test
    void storedFindingsThatDoNotFitAreFoundAgain() {
        List<Findings.Recorded> recorded = List.of(
                new Findings.Recorded(1, Severity.WARNING, "api-version", "apiVersion", "deprecated", "batch/v1beta1"),
                new Findings.Recorded(0, Severity.ERROR, "schema", "spec.x", "unknown field", null));
        String stored = Checker.encode(recorded);
        assertEquals(recorded, Checker.decode(stored, 2));
        assertEquals(List.of(), Checker.decode("[]", 0));
        assertNull(Checker.decode(stored, 1), "an object index past the unit's objects");
        assertNull(Checker.decode(stored.substring(0, stored.length() - 3), 2), "cut short");
        assertNull(Checker.decode("[[0,\"FATAL\",\"schema\",\"p\",\"m\",null]]", 1), "an unknown severity");
        assertNull(Checker.decode("[[0,\"ERROR\",\"schema\"]]", 1), "a row too short");
        assertNull(Checker.decode(null, 1), "nothing stored");
    }

    private static Run render(Path root, Path out, boolean full) {
        Run r = TestSupport.render(root, out, full);
        assertEquals(0, r.exit(), r.err());
        return r;
    }

    private static List<String> findings(Run r) {
        return r.err().lines().filter(l -> l.contains("warning[") || l.contains("error[")).toList();
    }

    private static String cacheText(Path out) throws IOException {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> files = Files.list(out.resolveSibling("out.plinth-cache/units"))) {
            for (Path f : files.sorted().toList()) sb.append(Files.readString(f, StandardCharsets.UTF_8));
        }
        return sb.toString();
    }
}
