package dev.plinth.check.cel;

import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The IP and CIDR functions of the API server's CEL environment ({@code ip('10.0.0.1').family()},
 * {@code cidr('10.0.0.0/8').containsIP('10.1.2.3')}), as Go's net/netip reads addresses: no
 * leading zeros in IPv4, no zones, no IPv4-mapped IPv6 addresses. Addresses are parsed as text,
 * never looked up.
 */
final class NetworkLibrary {
    static final OpaqueType IP = OpaqueType.create("net.IP");
    static final OpaqueType CIDR = OpaqueType.create("net.CIDR");

    private NetworkLibrary() {
    }

    /** An address: its family (4 or 6) and its bits. */
    record Ip(int family, BigInteger bits) {
        int width() {
            return family == 4 ? 32 : 128;
        }

        @Override
        public String toString() {
            return family == 4 ? v4(bits) : v6(bits);
        }
    }

    /** A prefix: the address as written and its length. */
    record Cidr(Ip ip, int prefix) {
        BigInteger mask() {
            int w = ip.width();
            return BigInteger.ONE.shiftLeft(w).subtract(BigInteger.ONE).xor(BigInteger.ONE.shiftLeft(w - prefix).subtract(BigInteger.ONE));
        }

        boolean contains(Ip other) {
            return other.family() == ip.family() && other.bits().and(mask()).equals(ip.bits().and(mask()));
        }

        @Override
        public String toString() {
            return ip + "/" + prefix;
        }
    }

    static List<CelFunctionDecl> declarations() {
        List<CelFunctionDecl> d = new ArrayList<>();
        d.add(fn("ip", CelOverloadDecl.newGlobalOverload("string_to_ip", IP, SimpleType.STRING)));
        d.add(fn("isIP", CelOverloadDecl.newGlobalOverload("is_ip", SimpleType.BOOL, SimpleType.STRING)));
        d.add(fn("ip.isCanonical", CelOverloadDecl.newGlobalOverload("ip_is_canonical", SimpleType.BOOL, SimpleType.STRING)));
        d.add(fn("family", CelOverloadDecl.newMemberOverload("ip_family", SimpleType.INT, IP)));
        for (String f : List.of("isUnspecified", "isLoopback", "isLinkLocalMulticast", "isLinkLocalUnicast", "isGlobalUnicast")) {
            d.add(fn(f, CelOverloadDecl.newMemberOverload("ip_" + f, SimpleType.BOOL, IP)));
        }
        d.add(fn("cidr", CelOverloadDecl.newGlobalOverload("string_to_cidr", CIDR, SimpleType.STRING)));
        d.add(fn("isCIDR", CelOverloadDecl.newGlobalOverload("is_cidr", SimpleType.BOOL, SimpleType.STRING)));
        d.add(fn("containsIP", CelOverloadDecl.newMemberOverload("cidr_contains_ip_ip", SimpleType.BOOL, CIDR, IP),
                CelOverloadDecl.newMemberOverload("cidr_contains_ip_string", SimpleType.BOOL, CIDR, SimpleType.STRING)));
        d.add(fn("containsCIDR", CelOverloadDecl.newMemberOverload("cidr_contains_cidr", SimpleType.BOOL, CIDR, CIDR),
                CelOverloadDecl.newMemberOverload("cidr_contains_cidr_string", SimpleType.BOOL, CIDR, SimpleType.STRING)));
        d.add(fn("ip", CelOverloadDecl.newMemberOverload("cidr_ip", IP, CIDR)));
        d.add(fn("masked", CelOverloadDecl.newMemberOverload("cidr_masked", CIDR, CIDR)));
        d.add(fn("prefixLength", CelOverloadDecl.newMemberOverload("cidr_prefix_length", SimpleType.INT, CIDR)));
        d.add(fn("string", CelOverloadDecl.newGlobalOverload("ip_to_string", SimpleType.STRING, IP),
                CelOverloadDecl.newGlobalOverload("cidr_to_string", SimpleType.STRING, CIDR)));
        return d;
    }

    private static CelFunctionDecl fn(String name, CelOverloadDecl... overloads) {
        return CelFunctionDecl.newFunctionDeclaration(name, overloads);
    }

    static List<CelFunctionBinding> bindings() {
        List<CelFunctionBinding> b = new ArrayList<>();
        b.add(CelFunctionBinding.from("string_to_ip", String.class, NetworkLibrary::ip));
        b.add(CelFunctionBinding.from("is_ip", String.class, s -> parseIp(s) != null));
        b.add(CelFunctionBinding.from("ip_is_canonical", String.class, s -> {
            Ip ip = parseIp(s);
            if (ip == null) throw new CelEvaluationException("IP Address '" + s + "' parse error during conversion from string");
            return ip.toString().equals(s);
        }));
        b.add(CelFunctionBinding.from("ip_family", Ip.class, ip -> (long) ip.family()));
        b.add(CelFunctionBinding.from("ip_isUnspecified", Ip.class, ip -> ip.bits().signum() == 0));
        b.add(CelFunctionBinding.from("ip_isLoopback", Ip.class, NetworkLibrary::loopback));
        b.add(CelFunctionBinding.from("ip_isLinkLocalMulticast", Ip.class, ip -> ip.family() == 4
                ? in(ip, "224.0.0.0/24") : ip.bits().shiftRight(112).and(BigInteger.valueOf(0xff0f)).intValue() == 0xff02));
        b.add(CelFunctionBinding.from("ip_isLinkLocalUnicast", Ip.class, NetworkLibrary::linkLocalUnicast));
        b.add(CelFunctionBinding.from("ip_isGlobalUnicast", Ip.class, ip -> ip.bits().signum() != 0 && !loopback(ip)
                && !linkLocalUnicast(ip) && !in(ip, ip.family() == 4 ? "224.0.0.0/4" : "ff00::/8")
                && !(ip.family() == 4 && ip.bits().equals(BigInteger.valueOf(0xffffffffL)))));
        b.add(CelFunctionBinding.from("string_to_cidr", String.class, NetworkLibrary::cidr));
        b.add(CelFunctionBinding.from("is_cidr", String.class, s -> parseCidr(s) != null));
        b.add(CelFunctionBinding.from("cidr_contains_ip_ip", Cidr.class, Ip.class, Cidr::contains));
        b.add(CelFunctionBinding.from("cidr_contains_ip_string", Cidr.class, String.class, (c, s) -> c.contains(ip(s))));
        b.add(CelFunctionBinding.from("cidr_contains_cidr", Cidr.class, Cidr.class, NetworkLibrary::containsCidr));
        b.add(CelFunctionBinding.from("cidr_contains_cidr_string", Cidr.class, String.class, (c, s) -> containsCidr(c, cidr(s))));
        b.add(CelFunctionBinding.from("cidr_ip", Cidr.class, Cidr::ip));
        b.add(CelFunctionBinding.from("cidr_masked", Cidr.class, c -> new Cidr(new Ip(c.ip().family(), c.ip().bits().and(c.mask())), c.prefix())));
        b.add(CelFunctionBinding.from("cidr_prefix_length", Cidr.class, c -> (long) c.prefix()));
        b.add(CelFunctionBinding.from("ip_to_string", Ip.class, Ip::toString));
        b.add(CelFunctionBinding.from("cidr_to_string", Cidr.class, Cidr::toString));
        return b;
    }

    private static boolean containsCidr(Cidr outer, Cidr inner) {
        return inner.prefix() >= outer.prefix() && outer.contains(inner.ip());
    }

    private static boolean loopback(Ip ip) {
        return ip.family() == 4 ? in(ip, "127.0.0.0/8") : ip.bits().equals(BigInteger.ONE);
    }

    private static boolean linkLocalUnicast(Ip ip) {
        return in(ip, ip.family() == 4 ? "169.254.0.0/16" : "fe80::/10");
    }

    private static boolean in(Ip ip, String prefix) {
        Cidr c = parseCidr(prefix);
        return c != null && c.contains(ip);
    }

    private static Ip ip(String s) throws CelEvaluationException {
        Ip ip = parseIp(s);
        if (ip == null) throw new CelEvaluationException("IP Address '" + s + "' parse error during conversion from string");
        return ip;
    }

    private static Cidr cidr(String s) throws CelEvaluationException {
        Cidr c = parseCidr(s);
        if (c == null) throw new CelEvaluationException("network address parse error during conversion from string: " + s);
        return c;
    }

    private static final Pattern V4 = Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");

    /** An IPv4 or IPv6 address as netip.ParseAddr reads it (no zone, no IPv4-mapped IPv6), or null. */
    static Ip parseIp(String s) {
        if (s == null) return null;
        if (V4.matcher(s).matches()) {
            long v = 0;
            for (String part : s.split("\\.")) {
                int n = Integer.parseInt(part);
                if (n > 255) return null;
                v = v << 8 | n;
            }
            return new Ip(4, BigInteger.valueOf(v));
        }
        if (s.indexOf(':') < 0 || s.indexOf('%') >= 0) return null;
        BigInteger v = v6(s);
        if (v == null) return null;
        if (v.shiftRight(32).equals(BigInteger.valueOf(0xffff))) return null; // IPv4-mapped
        return new Ip(6, v);
    }

    /** The bits of an IPv6 address in text (groups, one "::", an IPv4 tail), or null. */
    private static BigInteger v6(String s) {
        String tail4 = null;
        int lastColon = s.lastIndexOf(':');
        if (s.indexOf('.') >= 0) {
            tail4 = s.substring(lastColon + 1);
            if (!V4.matcher(tail4).matches()) return null;
            s = s.substring(0, lastColon + 1) + "0:0";
        }
        int dbl = s.indexOf("::");
        if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) return null;
        List<String> head = groups(dbl < 0 ? s : s.substring(0, dbl));
        List<String> tail = dbl < 0 ? List.of() : groups(s.substring(dbl + 2));
        if (head == null || tail == null) return null;
        int missing = 8 - head.size() - tail.size();
        if (dbl < 0 ? missing != 0 : missing < 1) return null;
        BigInteger v = BigInteger.ZERO;
        List<String> all = new ArrayList<>(head);
        for (int i = 0; i < (dbl < 0 ? 0 : missing); i++) all.add("0");
        all.addAll(tail);
        for (String g : all) v = v.shiftLeft(16).or(BigInteger.valueOf(Integer.parseInt(g, 16)));
        if (tail4 != null) {
            Ip four = parseIp(tail4);
            v = v.shiftRight(32).shiftLeft(32).or(four.bits());
        }
        return v;
    }

    private static List<String> groups(String s) {
        if (s.isEmpty()) return List.of();
        List<String> out = new ArrayList<>();
        for (String g : s.split(":", -1)) {
            if (g.isEmpty() || g.length() > 4 || !g.matches("[0-9a-fA-F]+")) return null;
            out.add(g);
        }
        return out;
    }

    /** A prefix "address/length" as netip.ParsePrefix reads it, or null. */
    static Cidr parseCidr(String s) {
        if (s == null) return null;
        int slash = s.indexOf('/');
        if (slash < 0 || !s.substring(slash + 1).matches("0|[1-9][0-9]{0,2}")) return null;
        Ip ip = parseIp(s.substring(0, slash));
        if (ip == null) return null;
        int prefix = Integer.parseInt(s.substring(slash + 1));
        return prefix > ip.width() ? null : new Cidr(ip, prefix);
    }

    private static String v4(BigInteger bits) {
        long v = bits.longValue();
        return (v >> 24 & 255) + "." + (v >> 16 & 255) + "." + (v >> 8 & 255) + "." + (v & 255);
    }

    /** RFC 5952: lower case, no leading zeros, the longest run of two or more zero groups as "::". */
    private static String v6(BigInteger bits) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) g[i] = bits.shiftRight(16 * (7 - i)).intValue() & 0xffff;
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && g[j] == 0) j++;
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                b.append("::");
                i += bestLen - 1;
                continue;
            }
            if (b.length() > 0 && b.charAt(b.length() - 1) != ':') b.append(':');
            b.append(Integer.toHexString(g[i]));
        }
        return b.toString();
    }
}
