package dev.plinth.check.api;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import dev.plinth.values.Quantities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Quantities as apimachinery's ParseQuantity reads them (cases of resource/quantity_test.go TestQuantityParse), and versions. */
class ApiValidationQuantitiesTest {
    private static void amount(String q, String expected) {
        assertEquals(0, new BigDecimal(expected).compareTo(Quantities.parse(q)), q);
    }

    @Test
    void parses() {
        amount("0", "0");
        amount("100m", "0.1");
        amount("1", "1");
        amount("1.5", "1.5");
        amount("+1", "1");
        amount("-1", "-1");
        amount("1Ki", "1024");
        amount("128Mi", "134217728");
        amount("2Gi", "2147483648");
        amount("1k", "1000");
        amount("1M", "1000000");
        amount("1e3", "1000");
        amount(".5", "0.5");
        amount("5.", "5");
        assertEquals(0, BigDecimal.valueOf(2).compareTo(Quantities.parse(2L)));
    }

    @Test
    void rejects() { // TestQuantityParse's invalid table
        for (String bad : new String[] {"", "1.1.M", "1+1.0M", "0.1mi", "0.1am", "aoeu", ".5i", "1i", "-3.01i", "-3.01e-", "1 Gi", "Gi", "1GB"}) {
            assertNull(Quantities.parse(bad), "'" + bad + "'");
        }
        assertNull(Quantities.parse(null));
    }

    @Test
    void versions() {
        assertEquals(30, ApiValidation.minor("1.30"));
        assertEquals(32, ApiValidation.minor("v1.32.4"));
        assertEquals(ApiValidation.LATEST, ApiValidation.minor("latest"));
    }
}
