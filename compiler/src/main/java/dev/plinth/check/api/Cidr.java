package dev.plinth.check.api;

import java.math.BigInteger;
import java.util.regex.Pattern;

/**
 * An IP network, IPv4 or IPv6: its address bits, their count (32 or 128) and the prefix length,
 * parsed as the API server parses a NetworkPolicy's {@code ipBlock} CIDRs (no host bits are
 * required to be zero: they are masked off). Networks of the two families never contain or
 * overlap each other.
 */
public record Cidr(BigInteger network, int bits, int prefix) {
    private static final Pattern PREFIX = Pattern.compile("0|[1-9][0-9]{0,2}");

    /** The network, or null when {@code s} is not {@code ADDRESS/PREFIX}. */
    public static Cidr parse(String s) {
        int slash = s.indexOf('/');
        if (slash < 0) return null;
        String ip = s.substring(0, slash);
        String len = s.substring(slash + 1);
        byte[] addr = Ips.parse(ip);
        if (addr == null || !PREFIX.matcher(len).matches()) return null;
        try {
            int bits = addr.length * 8;
            int prefix = Integer.parseInt(len);
            if (prefix > bits) return null;
            return new Cidr(new BigInteger(1, addr).and(mask(bits, prefix)), bits, prefix);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A single address as a network of one ({@code /32} or {@code /128}), or null when it is no IP literal. */
    public static Cidr address(String ip) {
        byte[] addr = Ips.parse(ip);
        return addr == null ? null : new Cidr(new BigInteger(1, addr), addr.length * 8, addr.length * 8);
    }

    private static BigInteger mask(int bits, int prefix) {
        return BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE).shiftRight(prefix).not();
    }

    /** Every address of the other network lies in this one (a network contains itself). */
    public boolean contains(Cidr other) {
        return other.bits == bits && other.prefix >= prefix && other.network.and(mask(bits, prefix)).equals(network);
    }

    /** The other network lies in this one and is smaller (networking validation's except rule). */
    public boolean strictlyContains(Cidr other) {
        return contains(other) && other.prefix > prefix;
    }

    /** The two networks share an address (of two CIDR networks, one then contains the other). */
    public boolean overlaps(Cidr other) {
        return contains(other) || other.contains(this);
    }
}
