package dev.plinth.check.api;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Kubernetes versions as api-validation reads them (quantities: dev.plinth.values.QuantityTest). */
class ApiValidationVersionsTest {
    @Test
    void versions() {
        assertEquals(30, ApiValidation.minor("1.30"));
        assertEquals(32, ApiValidation.minor("v1.32.4"));
        assertEquals(ApiValidation.LATEST, ApiValidation.minor("latest"));
    }
}
