package dev.plinth.check.cel;

import dev.cel.common.types.SimpleType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Expressions of the Kubernetes CEL libraries, each of which must evaluate to true. */
class CelEnvironmentTest {
    @ParameterizedTest
    @ValueSource(strings = {
            // IP and CIDR, as Go's net/netip reads them
            "ip('10.0.0.1').family() == 4", "isIP('01.2.3.4') == false", "isIP('::ffff:1.2.3.4') == false",
            "isIP('fe80::1%eth0') == false", "isIP('example.com') == false", "ip('2001:db8::1').family() == 6",
            "string(ip('2001:0db8:0:0:0:0:0:1')) == '2001:db8::1'", "ip.isCanonical('2001:db8::1')", "!ip.isCanonical('2001:DB8::1')",
            "string(ip('1:0:0:1:0:0:0:1')) == '1:0:0:1::1'", "string(ip('::')) == '::'", "ip('::1.2.3.4').family() == 6",
            "ip('127.0.0.1').isLoopback() && ip('::1').isLoopback()", "ip('0.0.0.0').isUnspecified()",
            "ip('fe80::1').isLinkLocalUnicast() && ip('169.254.1.1').isLinkLocalUnicast()", "ip('10.0.0.1').isGlobalUnicast()",
            "!ip('224.0.0.1').isGlobalUnicast() && ip('224.0.0.1').isLinkLocalMulticast() && ip('ff02::1').isLinkLocalMulticast()",
            "cidr('10.0.0.0/8').containsIP('10.1.2.3') && !cidr('10.0.0.0/8').containsIP(ip('11.0.0.1'))",
            "cidr('10.0.0.0/8').containsCIDR('10.1.0.0/16') && !cidr('10.1.0.0/16').containsCIDR(cidr('10.0.0.0/8'))",
            "string(cidr('192.168.1.5/24').masked()) == '192.168.1.0/24'", "cidr('192.168.1.5/24').prefixLength() == 24",
            "cidr('192.168.1.5/24').ip() == ip('192.168.1.5')", "isCIDR('10.0.0.0/33') == false", "isCIDR('::/0')", "string(1) == '1'",
            // named formats
            "!format.dns1123Label().validate('my-name').hasValue()", "format.dns1123Label().validate('My_Name').hasValue()",
            "format.dns1123Label().validate('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa').value().size() == 1",
            "!format.dns1123Subdomain().validate('example.com').hasValue() && format.dns1123Subdomain().validate('-x.com').hasValue()",
            "!format.dns1035Label().validate('abc-123').hasValue() && format.dns1035Label().validate('1abc').hasValue()",
            "!format.dns1123LabelPrefix().validate('web-').hasValue()", "!format.qualifiedName().validate('example.com/My.Name').hasValue()",
            "format.qualifiedName().validate('a/b/c').hasValue()", "!format.labelValue().validate('').hasValue()",
            "!format.uri().validate('https://example.com/x').hasValue() && format.uri().validate('relative').hasValue()",
            "!format.byte().validate('aGVsbG8=').hasValue() && !format.date().validate('2024-01-31').hasValue()",
            "!format.datetime().validate('2024-01-31T10:00:00Z').hasValue() && format.datetime().validate('yesterday').hasValue()",
            "format.named('nope').hasValue() == false",
            // quantities
            "quantity('1Gi') == quantity('1024Mi')", "quantity('1.5').isInteger() == false && quantity('2k').asInteger() == 2000",
            "quantity('500m').add(quantity('500m')) == quantity('1') && quantity('1').sub(1).sign() == 0",
            "quantity('1').compareTo(quantity('2')) == -1 && isQuantity('1Ki') && !isQuantity('1KB')",
            "quantity('250m').asApproximateFloat() == 0.25",
            "isQuantity('1e3') && !isQuantity('1i') && !isQuantity(' 1') && quantity('8Ei') == quantity('9Ei') && quantity('0.1n') == quantity('1n')",
            // semantic versions
            "semver('1.2.3').isLessThan(semver('1.10.0')) && semver('1.0.0-alpha').isLessThan(semver('1.0.0'))",
            "semver('1.0.0-alpha.2').isLessThan(semver('1.0.0-alpha.10')) && semver('1.0.0+build') == semver('1.0.0')",
            "isSemver('1.2.3') && !isSemver('v1.2') && isSemver('v1.2', true) && semver('v1.02', true).minor() == 2",
            "semver('2.3.4').major() == 2 && semver('2.3.4').patch() == 4 && semver('1.0.0').compareTo(semver('1.0.1')) == -1",
            "!isSemver('1.02.3') && !isSemver('1.2.3-01')",
            // lists and regular expressions
            "[1, 2, 2].isSorted() && ![2, 1].isSorted() && [1.5, 2.5].sum() == 4.0 && ['b', 'a'].min() == 'a'",
            "[1, 2, 1].lastIndexOf(1) == 2 && [1].indexOf(5) == -1 && [quantity('1'), quantity('2')].sum() == quantity('3')",
            "'abc 123 def 456'.findAll('[0-9]+') == ['123', '456'] && 'abc 123 def 456'.findAll('[0-9]+', 1) == ['123']",
            "'abc'.find('[0-9]+') == ''",
            // URLs
            "url('https://user@example.com:8443/a%20b?x=1&x=2').getHost() == 'example.com:8443'",
            "url('https://example.com:8443/a%20b?x=1&x=2').getEscapedPath() == '/a%20b'",
            "url('https://example.com/?x=1&x=2').getQuery() == {'x': ['1', '2']} && url('https://[::1]:80/').getHostname() == '::1'",
            "url('/just/a/path').getScheme() == '' && !isURL('not a url')",
    })
    void evaluatesToTrue(String expression) throws Exception {
        CelEnvironment.Expression e = CelEnvironment.compile(expression, Map.of("self", SimpleType.DYN));
        assertNull(e.error(), expression);
        assertEquals(true, e.eval(Map.of("self", 1L)), expression);
    }

    /** {@code quantity()} fails with the API server's message for what it cannot parse. */
    @ParameterizedTest
    @ValueSource(strings = {"lots|quantities must match the regular expression", "1i|unable to parse quantity's suffix"})
    void badQuantitiesFailWithTheApiServersMessage(String caseText) {
        String[] c = caseText.split("\\|");
        CelEnvironment.Expression e = CelEnvironment.compile("quantity('" + c[0] + "').sign() == 1", Map.of("self", SimpleType.DYN));
        assertNull(e.error());
        Exception failure = assertThrows(Exception.class, () -> e.eval(Map.of("self", 1L)));
        assertTrue(String.valueOf(failure.getMessage()).contains(c[1]), failure.getMessage());
    }
}
