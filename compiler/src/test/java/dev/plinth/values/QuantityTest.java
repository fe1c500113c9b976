package dev.plinth.values;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Quantities as {@code k8s.io/apimachinery/pkg/api/resource.ParseQuantity} reads them: the
 * cases of its own tests (expected amounts worked out here), its odd corners, and fabric8's
 * parser agreeing on a corpus of ordinary values.
 */
class QuantityTest {
    private static BigDecimal amount(String text) {
        return Quantity.parse(text).orElseThrow(() -> new AssertionError(text + " did not parse")).amount();
    }

    private static void same(String expected, String text) {
        assertEquals(0, new BigDecimal(expected).compareTo(amount(text)), text + " is " + amount(text) + ", not " + expected);
    }

    @Test
    void zeroes() {
        for (String z : List.of("0", "00", "0n", "0u", "0m", "0k", "0Ki", "0M", "0Mi", "0G", "0Gi", "0T", "0Ti", "-0", "+0", "0.0", "0e5")) {
            same("0", z);
        }
        assertEquals(Quantity.ZERO, Quantity.parse("-0.000").orElseThrow());
    }

    @Test
    void decimalSuffixes() {
        same("1", "1");
        same("0.000000005", "5n");
        same("0.000004", "4u");
        same("0.003", "3m");
        same("9", "9");
        same("8000", "8k");
        same("50000", "50k");
        same("7000000", "7M");
        same("6000000000", "6G");
        same("5000000000000", "5T");
        same("2000000000000000", "2P");
        same("1000000000000000000", "1E");
        same("12000000000000000000", "12E"); // past 2^63: decimal amounts are not capped
        same("1000000000000000000000", "1000E");
        same("18446744073709551616", "18446744073709551616");
    }

    @Test
    void binarySuffixes() {
        same("1024", "1Ki");
        same("8192", "8Ki");
        same("7340032", "7Mi");
        same("6442450944", "6Gi");
        same("5497558138880", "5Ti");
        same("4503599627370496", "4Pi");
        same("3458764513820540928", "3Ei");
        same("8070450532247928832", "7Ei");
        same("102435.84", "100.035Ki");
        same("524288", "0.5Mi");
        same("53687091.2", "0.05Gi");
        same("27487790694.4", "0.025Ti");
    }

    @Test
    void binaryAmountsAreCappedAt2To63Minus1() {
        same("9223372036854775807", "8Ei"); // 2^63
        same("9223372036854775807", "9Ei");
        same("9223372036854775807", "9223372036854775807Ki");
        same("-9223372036854775807", "-9Ei");
    }

    @Test
    void decimalExponents() {
        same("0.001", "1E-3");
        same("1000", "1e3");
        same("1000000", "1E6");
        same("1000000000", "1e9");
        same("1000000000000000000", "1E18");
        same("1200", "1.2e3");
        same("1300000", "1.3E+6");
        same("0.5", "0.5e0");
        same("0.05", "0.5e-1");
        same("0.005", "0.5e-2");
        same("1000000000000000000000", "1e21");
    }

    @Test
    void numbersThatLookLikeFloats() {
        same("100035", "100.035k");
        same("0.001", "0.001");
        same("0.5", "0.0005k");
        same("0.005", "0.00500");
        same("9.01", "9.01");
        same("8100", "8.1k");
        same("7123456", "7.123456M");
        same("6987654321", "6.987654321G");
        same("1010000000000000000", "1.01E");
        same("0.001", ".001");
        same("100", ".0001M");
        same("1", "1.");
        same("5", "5.");
        same("1000000000", "1.G");
    }

    @Test
    void finerThanNanosRoundsAwayFromZero() {
        same("0.000000004", "3.001n");
        same("0.000000002", "1.1E-9");
        same("0.000000001", "0.0000000001");
        same("0.000000001", "0.0000000005");
        same("0.000000001", "0.5e-9");
        same("0.000000001", "0.9n");
        same("0.000000124", "0.00000012345");
        same("0.000000124", "0.00000012354");
        same("0.000000002", "0.000000000001Ki"); // 1.024e-12 Ki = 1.024n
        same("-0.000000001", "-0.1n");
        same("0.000000001", "1e-2000000000"); // one nano, at once
    }

    @Test
    void signs() {
        same("-1.5", "-1.5");
        same("1.5", "+1.5");
        same("-1024", "-1Ki");
        same("-0.25", "-250m");
        assertEquals(-1, Quantity.parse("-1m").orElseThrow().signum());
    }

    /** What Kubernetes accepts that its documented grammar does not: every part of a number may be empty. */
    @Test
    void emptyNumbersAreZero() {
        for (String z : List.of("+", "-", ".", "-.", "+.", "m", "Ki", "Gi", "E", "k", "e3", "-Mi", ".G")) same("0", z);
    }

    @Test
    void whatIsNotAQuantity() {
        Map<String, String> invalid = Map.ofEntries(
                Map.entry("", Quantity.FORMAT_WRONG),
                Map.entry("1.1.M", Quantity.FORMAT_WRONG),
                Map.entry("1+1.0M", Quantity.FORMAT_WRONG),
                Map.entry("0.1am", Quantity.FORMAT_WRONG),
                Map.entry("aoeu", Quantity.FORMAT_WRONG),
                Map.entry(" 1", Quantity.FORMAT_WRONG),
                Map.entry("1 ", Quantity.FORMAT_WRONG),
                Map.entry("--1", Quantity.SUFFIX), // the second sign starts a suffix
                Map.entry("1_000", Quantity.FORMAT_WRONG),
                Map.entry("1 Gi", Quantity.FORMAT_WRONG),
                Map.entry("1GB", Quantity.FORMAT_WRONG),
                Map.entry("1e3.5", Quantity.FORMAT_WRONG),
                Map.entry("\u0661", Quantity.FORMAT_WRONG), // an Arabic-Indic one
                Map.entry("lots", Quantity.FORMAT_WRONG),
                Map.entry("0.1mi", Quantity.SUFFIX),
                Map.entry(".5i", Quantity.SUFFIX),
                Map.entry("1i", Quantity.SUFFIX),
                Map.entry("-3.01i", Quantity.SUFFIX),
                Map.entry("-3.01e-", Quantity.SUFFIX),
                Map.entry("1e", Quantity.SUFFIX),
                Map.entry("1K", Quantity.SUFFIX),
                Map.entry("1ee3", Quantity.SUFFIX),
                Map.entry("1Mi5", Quantity.SUFFIX),
                Map.entry("1e99999999999999999999", Quantity.SUFFIX), // past 64 bits
                Map.entry("1e-2147483648", Quantity.NUMERIC)); // a scale past 32 bits
        invalid.forEach((text, message) -> {
            assertEquals(Optional.empty(), Quantity.parse(text), text);
            Quantity.InvalidQuantityException e = assertThrows(Quantity.InvalidQuantityException.class, () -> Quantity.parseOrThrow(text));
            assertEquals(message, e.getMessage(), text);
        });
    }

    /** An exponent past 32 bits keeps its lower 32, as Go's int32 conversion does. */
    @Test
    void exponentsWrapAt32Bits() {
        same("1", "1e4294967296");
        same("10", "1e4294967297");
    }

    /** Values of an object's fields, as the API server decodes JSON into a Quantity. */
    @Test
    void fieldValues() {
        assertEquals(Optional.of(Quantity.of(2)), Quantity.fromValue(2L));
        assertEquals(Optional.of(Quantity.of(-3)), Quantity.fromValue(-3));
        assertEquals(0, new BigDecimal("0.5").compareTo(Quantity.fromValue(0.5).orElseThrow().amount()));
        assertEquals(0, new BigDecimal("0.1").compareTo(Quantity.fromValue(0.1).orElseThrow().amount()));
        assertEquals(0, new BigDecimal("1e21").compareTo(Quantity.fromValue(1e21).orElseThrow().amount()));
        assertEquals(0, new BigDecimal("1e-9").compareTo(Quantity.fromValue(1e-12).orElseThrow().amount()));
        assertEquals(0, new BigDecimal("18446744073709551616").compareTo(
                Quantity.fromValue(new BigInteger("18446744073709551616")).orElseThrow().amount()));
        assertEquals(Quantity.parse("1Gi"), Quantity.fromValue("1Gi"));
        // JSON carries spaces as they are, and the API server trims them; tabs, line breaks and
        // U+2028 reach it escaped, and are not trimmed
        assertEquals(Optional.of(Quantity.of(1)), Quantity.fromValue(" 1 "));
        assertEquals(Optional.of(Quantity.of(1)), Quantity.fromValue("\u00a01\u3000"));
        for (Object bad : new Object[]{"\t1", "1\n", "\u20281", "", " ", "lots", Double.NaN, Double.POSITIVE_INFINITY, true,
                null, List.of(), Map.of()}) {
            assertEquals(Optional.empty(), Quantity.fromValue(bad), String.valueOf(bad));
        }
    }

    @Test
    void equalAmountsAreEqual() {
        assertEquals(Quantity.parse("1"), Quantity.parse("1000m"));
        assertEquals(Quantity.parse("1Gi"), Quantity.parse("1024Mi"));
        assertEquals(Quantity.parse("1Gi").orElseThrow().hashCode(), Quantity.parse("1024Mi").orElseThrow().hashCode());
        assertEquals(Quantity.parse("1k"), Quantity.parse("1e3"));
        assertNotEquals(Quantity.parse("1k"), Quantity.parse("1Ki"));
        assertTrue(Quantity.parse("1Ki").orElseThrow().compareTo(Quantity.parse("1k").orElseThrow()) > 0);
        assertEquals(Quantity.parse("1500m"), Quantity.parse("1").map(q -> q.add(Quantity.parse("0.5").orElseThrow())));
        assertEquals(Quantity.ZERO, Quantity.of(2).subtract(Quantity.parse("2000m").orElseThrow()));
        assertEquals("1.5", Quantity.parse("1500m").orElseThrow().toString());
    }

    /**
     * fabric8's Quantity, which the compiler used before, gives the same amounts for ordinary
     * values; it differs where Kubernetes rounds to nanos or caps binary amounts, and for Ei, whose
     * multiple it takes from a double (2^60 to 16 digits).
     */
    @Test
    void fabric8AgreesOnOrdinaryValues() {
        for (String q : List.of("0", "1", "2", "10", "100m", "250m", "1500m", "0.5", "1.5", "0.1", "123456789", "-1", "-250m", "+1",
                "1Ki", "64Mi", "1.5Gi", "2Ti", "1Pi", "3Pi", "100.035Ki", "0.5Mi", "0.025Ti",
                "1k", "1M", "1G", "1T", "1P", "1E", "12E", "1000E", "5n", "4u", "3m", "0.000001",
                "1e3", "1E6", "1E-3", "1.3E+6", "0.5e-2", "1.2e3", "100.035k", "7.123456M", "18446744073709551616", ".001", "1.", "1.G", ".")) {
            assertEquals(0, fabric8(q).compareTo(amount(q)), q + ": fabric8 " + fabric8(q) + ", here " + amount(q));
        }
        assertEquals(0, new BigDecimal("1e-10").compareTo(fabric8("0.1n"))); // Kubernetes: 1n
        assertEquals(0, new BigDecimal("9223372036854776000").compareTo(fabric8("8Ei"))); // Kubernetes: 2^63-1
        assertEquals(0, new BigDecimal("1152921504606847000").compareTo(fabric8("1Ei"))); // Kubernetes: 2^60 = 1152921504606846976
        for (String refused : List.of("m", "+", "e3")) { // Kubernetes: 0
            assertThrows(IllegalArgumentException.class, () -> fabric8(refused), refused);
        }
    }

    private static BigDecimal fabric8(String text) {
        return io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(new io.fabric8.kubernetes.api.model.Quantity(text));
    }
}
