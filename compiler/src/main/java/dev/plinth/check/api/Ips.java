package dev.plinth.check.api;

import java.util.regex.Pattern;

/** IP address literals, parsed without a name lookup (as netutils.ParseIPSloppy takes them: IPv4 parts may have leading zeros). */
final class Ips {
    private static final Pattern V4_PART = Pattern.compile("[0-9]{1,3}");
    private static final Pattern V6_GROUP = Pattern.compile("[0-9a-fA-F]{1,4}");

    private Ips() {
    }

    /** The address's bytes (4 or 16), or null when it is not an IP literal. */
    static byte[] parse(String s) {
        return s.indexOf(':') >= 0 ? v6(s) : v4(s);
    }

    static boolean isIp(String s) {
        return parse(s) != null;
    }

    private static byte[] v4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) return null;
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (!V4_PART.matcher(parts[i]).matches()) return null;
            int n = Integer.parseInt(parts[i]);
            if (n > 255) return null;
            out[i] = (byte) n;
        }
        return out;
    }

    private static byte[] v6(String s) {
        byte[] tail4 = null;
        int lastColon = s.lastIndexOf(':');
        String head = s;
        if (s.indexOf('.', lastColon) >= 0) { // an embedded IPv4 address ends it
            tail4 = v4(s.substring(lastColon + 1));
            if (tail4 == null) return null;
            head = s.substring(0, lastColon + 1) + "0:0";
        }
        int gap = head.indexOf("::");
        if (gap >= 0 && head.indexOf("::", gap + 1) >= 0) return null;
        String[] left = gap < 0 ? head.split(":", -1) : part(head.substring(0, gap));
        String[] right = gap < 0 ? new String[0] : part(head.substring(gap + 2));
        int groups = left.length + right.length;
        if (gap < 0 ? groups != 8 : groups > 7) return null;
        byte[] out = new byte[16];
        for (int i = 0; i < left.length; i++) if (!group(left[i], out, i)) return null;
        for (int i = 0; i < right.length; i++) if (!group(right[i], out, 8 - right.length + i)) return null;
        if (tail4 != null) System.arraycopy(tail4, 0, out, 12, 4);
        return out;
    }

    private static String[] part(String s) {
        return s.isEmpty() ? new String[0] : s.split(":", -1);
    }

    private static boolean group(String g, byte[] out, int index) {
        if (!V6_GROUP.matcher(g).matches()) return false;
        int n = Integer.parseInt(g, 16);
        out[2 * index] = (byte) (n >> 8);
        out[2 * index + 1] = (byte) n;
        return true;
    }
}
