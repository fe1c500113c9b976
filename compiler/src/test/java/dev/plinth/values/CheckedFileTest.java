package dev.plinth.values;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A cache file reads back as written, and as absent once anything in it changed. */
class CheckedFileTest {
    @TempDir
    Path dir;

    @Test
    void readsBackWhatWasWrittenAndNothingElse() throws IOException {
        Path file = dir.resolve("x.cache");
        String text = "version 1\nline with ünïcödé \uD83D\uDE00\nend 1\n";
        CheckedFile.write(file, text);
        assertEquals(text, CheckedFile.read(file));
        CheckedFile.write(file, "");
        assertEquals("", CheckedFile.read(file));

        CheckedFile.write(file, text);
        byte[] good = Files.readAllBytes(file);
        for (int i : new int[]{0, 12, good.length - 12, good.length - 2}) {
            byte[] bad = good.clone();
            bad[i] ^= 1;
            Files.write(file, bad);
            assertNull(CheckedFile.read(file), "byte " + i + " changed");
        }
        Files.write(file, java.util.Arrays.copyOf(good, good.length - 1));
        assertNull(CheckedFile.read(file), "cut short");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        assertNull(CheckedFile.read(file), "no checksum");
        assertNull(CheckedFile.read(dir.resolve("absent.cache")), "absent");
    }
}
