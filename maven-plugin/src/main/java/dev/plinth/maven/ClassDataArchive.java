package dev.plinth.maven;

import org.apache.maven.plugin.logging.Log;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * The class-data archive of the forked compiler JVM: the classes a run loads, parsed and verified
 * once and mapped by later runs (what {@code compiler/bin/plinth} does with the archive the build
 * makes for plinth.jar). An archive is valid only for the exact classpath it was made with (paths,
 * sizes and times of the jars) and for one JVM, so the plugin makes its own, for the jars Maven
 * resolved for it, from the list of classes the build's training renders load (plinth.classlist,
 * packed into the plugin): a static archive ({@code -Xshare:dump}), as the build makes, since
 * JDK 17's dynamic one ({@code -XX:ArchiveClassesAtExit}) crashed at the exit of a publish. Making
 * it takes a few seconds, so it is made by the second run for a classpath and JVM on a machine,
 * not the first: a throw-away CI machine never pays for an archive it would not use again, and a
 * developer's machine or a CI cache of the local repository keeps it. It is kept in a directory
 * of its own beside the local repository, under a name that hashes the JVM, its options and the
 * classpath, so that a new plugin or compiler version, another JVM or other options make a new
 * one and never map a stale one (a JVM that cannot map an archive runs without it anyway). The
 * newest few are kept.
 */
final class ClassDataArchive {
    private static final String PREFIX = "plinth-";
    private static final int KEEP = 4;
    private static final List<String> QUIET = List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    static final String CLASS_LIST = "plinth.classlist";

    private final Path directory;
    private final String name;
    private final Path archive;
    private final String java;
    private final List<String> jvmOptions;
    private final List<String> classpath;

    ClassDataArchive(Path directory, String java, List<String> jvmOptions, List<String> classpath) {
        this.directory = directory.toAbsolutePath();
        this.name = PREFIX + key(java, jvmOptions, classpath);
        this.archive = this.directory.resolve(name + ".jsa");
        this.java = java;
        this.jvmOptions = jvmOptions;
        this.classpath = classpath;
    }

    /**
     * Whether the JVM options already name an archive or turn sharing off (then the plugin adds
     * nothing); {@code -Xshare:on}, which makes a JVM that cannot map the archive fail, is left to
     * work with the plugin's archive.
     */
    static boolean setIn(List<String> jvmOptions) {
        return jvmOptions.stream().anyMatch(o -> o.equals("-Xshare:off") || o.equals("-Xshare:dump") || o.contains("SharedArchiveFile")
                || o.contains("ArchiveClassesAtExit") || o.contains("SharedClassListFile") || o.contains("DumpLoadedClassList"));
    }

    Path archive() {
        return archive;
    }

    /**
     * The JVM options that map the archive: there is one, or this is the second run for it and
     * it could be made. None on a first run (which leaves a mark for the second) or when it
     * cannot be made.
     */
    List<String> options(Log log) {
        if (Files.isRegularFile(archive) || secondRun(log) && make(log)) {
            log.debug("class-data archive: " + archive);
            List<String> out = new ArrayList<>(List.of("-XX:SharedArchiveFile=" + archive));
            out.addAll(QUIET);
            return out;
        }
        return List.of();
    }

    /** Whether a run for this archive came before; if not, marks this one. */
    private boolean secondRun(Log log) {
        Path mark = directory.resolve(name + ".seen");
        try {
            if (Files.exists(mark)) return true;
            Files.createDirectories(directory);
            Files.createFile(mark);
        } catch (IOException | SecurityException e) {
            log.debug("no class-data archive: " + directory + " is not writable: " + e);
        }
        return false;
    }

    /** Makes the archive: a JVM that loads the listed classes from the classpath and writes them. */
    private boolean make(Log log) {
        String unique = "." + ProcessHandle.current().pid() + "-" + System.nanoTime();
        Path list = directory.resolve(name + unique + ".classlist");
        Path writing = directory.resolve(name + unique + ".tmp");
        try (InputStream in = ClassDataArchive.class.getResourceAsStream(CLASS_LIST)) {
            if (in == null) {
                log.debug("no class-data archive: the plugin was built without the class list");
                return false;
            }
            Files.copy(in, list);
            List<String> cmd = new ArrayList<>(List.of(java));
            for (String o : jvmOptions) if (!o.startsWith("-Xshare:") && !o.startsWith("-Xlog")) cmd.add(o);
            cmd.addAll(List.of("-Xshare:dump", "-XX:SharedClassListFile=" + list, "-XX:SharedArchiveFile=" + writing,
                    "-Xlog:cds=off", "-Xlog:gc+verify=off", "-cp", String.join(File.pathSeparator, classpath)));
            log.info("class-data archive: making " + archive + " (once for this classpath and JVM, a few seconds)");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            int status = p.waitFor();
            if (status != 0 || !Files.isRegularFile(writing) || Files.size(writing) == 0) {
                log.warn("class-data archive: the JVM could not make it (exit status " + status + "); running without");
                return false;
            }
            Files.move(writing, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.deleteIfExists(directory.resolve(name + ".seen"));
            return true;
        } catch (IOException e) {
            log.warn("class-data archive: cannot make it (" + e + "); running without");
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            try {
                Files.deleteIfExists(writing);
                Files.deleteIfExists(list);
            } catch (IOException e) {
                log.debug("cannot delete " + writing + ": " + e);
            }
            prune(log);
        }
    }

    /** Keeps the newest archives, and removes what runs that were killed left half written. */
    private void prune(Log log) {
        List<Path> archives = new ArrayList<>();
        long hourAgo = System.currentTimeMillis() - 3_600_000L;
        long monthAgo = System.currentTimeMillis() - 30 * 86_400_000L;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, PREFIX + "*")) {
            for (Path f : files) {
                String n = f.getFileName().toString();
                long modified = modified(f).toMillis();
                if (n.endsWith(".jsa")) archives.add(f);
                else if ((n.endsWith(".tmp") || n.endsWith(".classlist")) && modified < hourAgo) Files.deleteIfExists(f);
                else if (n.endsWith(".seen") && modified < monthAgo) Files.deleteIfExists(f);
            }
            archives.sort(Comparator.comparing(ClassDataArchive::modified).reversed());
            for (Path old : archives.subList(Math.min(KEEP, archives.size()), archives.size())) Files.deleteIfExists(old);
        } catch (IOException e) {
            log.debug("class-data archives not pruned: " + e);
        }
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    /** A hash of what the archive depends on: the JVM (its library's size and time), its options, the jars. */
    static String key(String java, List<String> jvmOptions, List<String> classpath) {
        StringBuilder sb = new StringBuilder("jvm ").append(jvmIdentity(java)).append('\n');
        for (String o : jvmOptions) {
            // whether sharing is required, and logging, do not change what an archive holds
            if (!o.startsWith("-Xshare:") && !o.startsWith("-Xlog")) sb.append("option ").append(o).append('\n');
        }
        for (String entry : classpath) sb.append("cp ").append(fileIdentity(Path.of(entry))).append('\n');
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String jvmIdentity(String java) {
        try {
            Path real = Path.of(java).toRealPath();
            StringBuilder sb = new StringBuilder(fileIdentity(real));
            Path home = real.getParent() == null ? null : real.getParent().getParent();
            if (home != null) {
                for (String lib : List.of("lib/server/libjvm.so", "lib/server/libjvm.dylib", "bin/server/jvm.dll")) {
                    if (Files.isRegularFile(home.resolve(lib))) sb.append(' ').append(fileIdentity(home.resolve(lib)));
                }
            }
            return sb.toString();
        } catch (IOException e) {
            return java + " ?";
        }
    }

    private static String fileIdentity(Path p) {
        try {
            return p + " " + Files.size(p) + " " + Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return p + " ?";
        }
    }
}
