package dev.plinth.check;

import dev.plinth.check.k8s.CrdSchemas;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The resources check's comparison of a request with the LimitRange's default limit. */
class ResourcesQuantitiesTest {
    private static final String LIMIT_RANGE = """
            apiVersion: v1
            kind: LimitRange
            metadata: {name: lr, namespace: t}
            spec: {limits: [{type: Container, default: {memory: '%s'}}]}
            """;
    private static final String POD = """
            apiVersion: v1
            kind: Pod
            metadata: {name: p, namespace: t}
            spec: {containers: [{name: c, image: i, resources: {requests: {cpu: 100m, memory: '%s'}, limits: {cpu: 1}}}]}
            """;

    /** The findings about the request (the container also has no memory limit, which is a finding of its own). */
    private static List<String> messages(String limit, String request) {
        return QuotaFitQuantitiesTest.run(new ResourcesCheck(), CrdSchemas.empty(), LIMIT_RANGE.formatted(limit), POD.formatted(request))
                .findings().stream().filter(f -> f.path().endsWith("requests.memory")).map(f -> f.path() + ": " + f.message()).toList();
    }

    @Test
    void aRequestAboveTheDefaultLimitIsRefusedByAdmission() {
        assertEquals(List.of("spec.containers[0].resources.requests.memory: container c requests memory 2Gi without a limit, and the"
                + " LimitRange of t would give it the lower default limit 1Gi; admission rejects such pods"), messages("1Gi", "2Gi"));
        assertEquals(List.of(), messages("1Gi", "1024Mi"));
    }

    /** Not a lower limit of zero (the schema check reports the value). */
    @Test
    void aDefaultLimitThatIsNotAQuantityIsNotCompared() {
        assertEquals(List.of(), messages("lots", "2Gi"));
        assertEquals(List.of(), messages("1Gi", "lots"));
    }
}
