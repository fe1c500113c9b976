package dev.plinth.values;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
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

    /**
     * The most a cache file may hold: a larger one (or a link to one, or to a device) is a miss,
     * never read into memory.
     */
    public static final long MAX_BYTES = 1L << 30;

    /** Writes the text and its checksum line, atomically (through a temporary file beside it). */
    public static void write(Path file, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        byte[] trailer = (MARK + HexFormat.of().toHexDigits((int) crc(bytes, bytes.length)) + "\n").getBytes(StandardCharsets.US_ASCII);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        makeWay(tmp);
        try (var out = Files.newOutputStream(tmp)) {
            out.write(bytes);
            out.write(trailer);
        }
        replace(tmp, file);
    }

    /** Moves a written temporary file over a cache file, removing whatever else took its place. */
    public static void replace(Path tmp, Path file) throws IOException {
        makeWay(file);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Makes way for a cache file: anything but a regular file in its place (a directory, a link,
     * a FIFO) is removed, without following links. The cache folder is Plinth's own, so what
     * is there that Plinth did not write is damage, and a damaged cache is a miss, never an
     * error (a directory named like a cache file used to fail the render after its output was
     * written).
     */
    public static void makeWay(Path file) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        }
        if (!a.isRegularFile()) deleteTree(file);
    }

    /**
     * Creates a cache folder, replacing a file or link in its place (see {@link #makeWay});
     * returns it.
     */
    public static Path directory(Path dir) throws IOException {
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) Files.createDirectories(parent);
        try {
            BasicFileAttributes a = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (a.isDirectory()) return dir;
            deleteTree(dir);
        } catch (NoSuchFileException e) {
            // created below
        }
        Files.createDirectories(dir);
        return dir;
    }

    /** Deletes a file or a folder and what is in it, never following a link (the link goes). */
    public static void deleteTree(Path p) throws IOException {
        Files.walkFileTree(p, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(f);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
                Files.deleteIfExists(f);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * The bytes of a cache file, or null when it is absent, not a regular file (a folder, a link,
     * a FIFO or a device: never opened, so never waited on) or larger than {@code max}.
     */
    public static byte[] readBytes(Path file, long max) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
        if (!a.isRegularFile() || a.size() > max) return null;
        try (var in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] bytes = in.readNBytes((int) Math.min(max, Integer.MAX_VALUE - 8) + 1);
            return bytes.length > max ? null : bytes; // grew while read
        }
    }

    /** The text {@link #write} wrote, or null when the file is absent, damaged or not such a file. */
    public static String read(Path file) throws IOException {
        byte[] bytes = readBytes(file, MAX_BYTES);
        if (bytes == null) return null;
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
