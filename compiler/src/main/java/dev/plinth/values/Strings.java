package dev.plinth.values;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/** Text checks and checksums the caches need. */
public final class Strings {
    private Strings() {
    }

    /**
     * True when the string has a surrogate without its pair (YAML and Jsonnet escapes such as
     * "\ud83d" make them): it has no UTF-8 form, so the caches, which are UTF-8, skip it.
     */
    public static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) i++;
                else return true;
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /**
     * CRC32C and CRC32 of the bytes as 16 hex digits: both are intrinsics, where SHA-256 has none
     * under C1 (the CLI's JIT) and was the largest single cost of comparing 20,000 output files.
     * For telling apart versions of a file (with its size, in the output index) and of CRD
     * texts; two versions that keep both checksums have a chance of about 2^-64.
     */
    public static String checksum(byte[] bytes) {
        CRC32C c = new CRC32C();
        c.update(bytes);
        CRC32 d = new CRC32();
        d.update(bytes);
        return HexFormat.of().toHexDigits((int) c.getValue()) + HexFormat.of().toHexDigits((int) d.getValue());
    }

    /** {@link #checksum(byte[])} of the UTF-8 bytes of the parts one after the other, without joining them. */
    public static String checksum(String... parts) {
        CRC32C c = new CRC32C();
        CRC32 d = new CRC32();
        for (String part : parts) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            c.update(bytes);
            d.update(bytes);
        }
        return HexFormat.of().toHexDigits((int) c.getValue()) + HexFormat.of().toHexDigits((int) d.getValue());
    }
}
