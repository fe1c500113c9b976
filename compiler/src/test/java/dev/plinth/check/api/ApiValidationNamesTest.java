package dev.plinth.check.api;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The name syntaxes, with values from apimachinery's util/validation/validation_test.go. */
class ApiValidationNamesTest {
    private static void good(java.util.function.Function<String, String> rule, String... values) {
        for (String v : values) assertNull(rule.apply(v), "should accept '" + v + "'");
    }

    private static void bad(java.util.function.Function<String, String> rule, String... values) {
        for (String v : values) assertNotNull(rule.apply(v), "should reject '" + v + "'");
    }

    @Test
    void dns1123Label() { // TestIsDNS1123Label
        good(Names::dns1123Label, "a", "ab", "abc", "a1", "a-1", "a--1--2--b", "0", "01", "a0", "0a", "a".repeat(63));
        bad(Names::dns1123Label, "", "A", "ABC", "aBc", "A1", "A-1", "1-A", "-", "a-", "-a", "1-", "-1", "_", "a_", "_a",
                "a_b", ".", "a.", ".a", "a.b", "a".repeat(64));
    }

    @Test
    void dns1123Subdomain() { // TestIsDNS1123Subdomain
        good(Names::dns1123Subdomain, "a", "ab", "abc", "a1", "a-1", "a--1--2--b", "0", "01", "a.a", "ab.a", "a-1.a",
                "a.b.c.d.e", "aa.bb.cc.dd.ee", "1.2.3.4.5", "11.22.33.44.55", "a".repeat(253));
        bad(Names::dns1123Subdomain, "", "A", "ABC", "aBc", "A1", "-", "a-", "-a", "_", "a_", "a_b", ".", "a.", ".a", "a..b",
                "a.-1", "a.1-", "a".repeat(254));
    }

    @Test
    void dns1035Label() { // TestIsDNS1035Label
        good(Names::dns1035Label, "a", "ab", "abc", "a1", "a-1", "a--1--2--b", "a".repeat(63));
        bad(Names::dns1035Label, "0", "01", "0a", "1-a", "A", "a-", "-a", "a_b", "a.b", "a".repeat(64));
    }

    @Test
    void qualifiedNames() { // TestIsQualifiedName
        good(Names::qualifiedName, "simple", "now-with-dashes", "1-starts-with-num", "1234", "simple/simple",
                "now-with-dashes/simple", "now-with-dashes/now-with-dashes", "now.with.dots/simple",
                "now-with.dashes-and.dots/simple", "1-num.2-num/3-num", "1234/5678", "1.2.3.4/5678", "Uppercase_Is_OK_123",
                "example.com/Uppercase_Is_OK_123", "requests.storage-foo", "a".repeat(63), "a".repeat(253) + "/" + "b".repeat(63));
        bad(Names::qualifiedName, "nospecialchars%^=@", "cantendwithadash-", "-cantstartwithadash-", "only/one/slash",
                "Example.com/abc", "example_com/abc", "example.com/", "/simple", "a".repeat(64), "a".repeat(254) + "/abc");
    }

    @Test
    void labelValues() { // TestIsValidLabelValue
        good(Names::labelValue, "simple", "now-with-dashes", "1-starts-with-num", "end-with-num-1", "1234", "a".repeat(63), "");
        bad(Names::labelValue, "nospecialchars%^=@", "Tama-nui-te-rā.is.Māori.sun", "\\backslashes\\are\\bad",
                "-starts-with-dash", "ends-with-dash-", ".starts.with.dot", "ends.with.dot.", "a".repeat(64));
    }

    @Test
    void portNames() { // TestIsValidPortName
        good(Names::portName, "telnet", "re-mail-ck", "pop3", "a", "a-1", "1-a", "a-1-b-2-c", "1-a-2-b-3");
        bad(Names::portName, "longerthan15characters", "", "a".repeat(16), "12345", "1-2-3-4", "-begin", "end-",
                "two--hyphens", "whois++");
    }

    @Test
    void configMapKeys() { // TestIsConfigMapKey
        good(Names::configMapKey, "a", "ab", "abc", "a1", "-a", "a-", "a-1", "a--1--2--b", "0", "01", "a0", "0a", "a.b", "A",
                "_a", "a_", "a_b", ".a", "a.", "key.name", "KEY_NAME", "key-name", "a".repeat(253));
        bad(Names::configMapKey, "", ".", "..", "..a", "a b", "a/b", "a:b", "a=b", "a".repeat(254));
    }

    @Test
    void envVarNames() { // TestIsEnvVarName, TestIsRelaxedEnvVarName
        good(Names::envVarName, "A", "ABC", "AbC_123", "_123", "A-B", "A.B", "-", "my.env-name", "MY_ENV.NAME", "MyEnvName1");
        bad(Names::envVarName, "1", "123", "A B", "A=B", ".", "..", "..A", "A:B", "");
        good(Names::relaxedEnvVarName, "A B", "1", "-", ":-)", "my.env-name", "A.B", "~!@#$%^&*()");
        bad(Names::relaxedEnvVarName, "", "A=B", "=", "tab\there", "Ä");
    }

    @Test
    void pathSegmentNames() { // TestValidatePathSegmentName (apimachinery/pkg/api/validation/path)
        good(Names::pathSegmentName, "system:controller:job-controller", "edit", "Some.Name");
        bad(Names::pathSegmentName, ".", "..", "a/b", "a%b");
    }

    @Test
    void wildcardHosts() { // TestIsWildcardDNS1123Subdomain
        good(Names::wildcardDns1123Subdomain, "*.example.com", "*.bar.com", "*.foo.bar.com");
        bad(Names::wildcardDns1123Subdomain, "*.*.bar.com", "*.foo.*.com", "*bar.com", "f*.bar.com", "*", "*.");
    }
}
