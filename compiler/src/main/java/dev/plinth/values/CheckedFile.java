package dev.plinth.values;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/**
 * A cache file that says whether it is whole: its text, then a last line {@code crc CHECKSUM}
 * (CRC32C of the text's UTF-8 bytes). A file cut short, damaged anywhere or not written by this
 * class reads as absent, so a cache built on it is ignored rather than trusted: the caches keep
 * parts of a render's output (object identities, findings) that would otherwise be taken as
 * they are.
 */
public final class CheckedFile {
    private static final String MARK = "crc ";
    /** "crc " and 8 hex digits and a line break. */
    private static final int TRAILER = MARK.length() + 8 + 1;

    private CheckedFile() {
    }

    /** Writes the text and its checksum line, atomically (through a temporary file beside it). */
    public static void write(Path file, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        byte[] trailer = (MARK + HexFormat.of().toHexDigits((int) crc(bytes, bytes.length)) + "\n").getBytes(StandardCharsets.US_ASCII);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (var out = Files.newOutputStream(tmp)) {
            out.write(bytes);
            out.write(trailer);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The text {@link #write} wrote, or null when the file is absent, damaged or not such a file. */
    public static String read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) return null;
        byte[] bytes = Files.readAllBytes(file);
        int textLength = bytes.length - TRAILER;
        if (textLength < 0 || bytes[bytes.length - 1] != '\n') return null;
        String trailer = new String(bytes, textLength, TRAILER - 1, StandardCharsets.US_ASCII);
        if (!trailer.startsWith(MARK) || (textLength > 0 && bytes[textLength - 1] != '\n')) return null;
        try {
            if (HexFormat.fromHexDigits(trailer, MARK.length(), trailer.length()) != (int) crc(bytes, textLength)) return null;
        } catch (IllegalArgumentException e) {
            return null;
        }
        // what write() wrote is UTF-8 (getBytes replaces what has no UTF-8 form), and the checksum fits
        return new String(bytes, 0, textLength, StandardCharsets.UTF_8);
    }

    private static long crc(byte[] bytes, int length) {
        CRC32C c = new CRC32C();
        c.update(bytes, 0, length);
        return c.getValue();
    }
}
