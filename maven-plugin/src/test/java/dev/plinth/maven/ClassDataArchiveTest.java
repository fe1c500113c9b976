package dev.plinth.maven;

import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The forked JVM's class-data archive: made once per JVM, options and classpath, then mapped. */
class ClassDataArchiveTest {
    @TempDir
    Path tmp;

    /** Maven's log on the console, without its debug lines. */
    private static final SystemStreamLog QUIET = new SystemStreamLog() {
        @Override
        public void debug(CharSequence content) {
        }
    };

    private final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private final List<String> options = List.of(PlinthRun.DEFAULT_JVM_ARGS.split(" "));

    @Test
    void theFirstRunLeavesAMarkAndAnArchiveInPlaceIsMapped() throws Exception {
        Path jar = Files.writeString(tmp.resolve("a.jar"), "jar");
        Path dir = tmp.resolve("cds");
        ClassDataArchive archive = new ClassDataArchive(dir, java, options, List.of(jar.toString()));
        assertEquals(List.of(), archive.options(QUIET), "no archive on a first run");
        try (var files = Files.list(dir)) {
            assertEquals(List.of(archive.archive().getFileName().toString().replace(".jsa", ".seen")),
                    files.map(f -> f.getFileName().toString()).toList());
        }
        Files.writeString(archive.archive(), "archive"); // as a second run makes it (PlatformGoalsIT makes and maps one)
        assertEquals("-XX:SharedArchiveFile=" + archive.archive(),
                new ClassDataArchive(dir, java, options, List.of(jar.toString())).options(QUIET).get(0));
    }

    @Test
    void anotherJarVersionOrJvmOptionMakesAnotherArchive() throws Exception {
        Path jar = Files.writeString(tmp.resolve("a.jar"), "jar");
        String key = ClassDataArchive.key(java, options, List.of(jar.toString()));
        assertEquals(key, ClassDataArchive.key(java, options, List.of(jar.toString())));
        assertNotEquals(key, ClassDataArchive.key(java, List.of("-Xmx64g"), List.of(jar.toString())));
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 60_000));
        assertNotEquals(key, ClassDataArchive.key(java, options, List.of(jar.toString())), "a jar installed again");
        // requiring sharing, or logging, changes nothing in an archive
        String now = ClassDataArchive.key(java, options, List.of(jar.toString()));
        List<String> more = new java.util.ArrayList<>(options);
        more.addAll(List.of("-Xshare:on", "-Xlog:gc"));
        assertEquals(now, ClassDataArchive.key(java, more, List.of(jar.toString())));
    }

    @Test
    void optionsThatNameAnArchiveOrTurnSharingOffLeaveItToThem() {
        assertTrue(ClassDataArchive.setIn(List.of("-Xshare:off")));
        assertTrue(ClassDataArchive.setIn(List.of("-XX:SharedArchiveFile=/x.jsa")));
        assertTrue(ClassDataArchive.setIn(List.of("-XX:ArchiveClassesAtExit=/x.jsa")));
        assertFalse(ClassDataArchive.setIn(List.of("-Xshare:on")));
        assertFalse(ClassDataArchive.setIn(options));
    }
}
