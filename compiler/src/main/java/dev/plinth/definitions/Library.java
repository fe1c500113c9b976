package dev.plinth.definitions;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystemNotFoundException;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/**
 * The definition roots, searched in order: the platform's own library folders, then the
 * built-in library on the classpath. Every library file has a virtual path ("/"-separated,
 * absolute): user roots keep their real absolute path, built-ins live under {@link #BUILTIN}.
 * Jsonnet imports resolve only to files inside these roots.
 */
public final class Library {
    /** A library file that cannot be used (not UTF-8, a link out of the roots): an input error. */
    public static final class LibraryError extends RuntimeException {
        public LibraryError(String message) {
            super(message);
        }
    }

    /** Virtual root of the built-in definitions. */
    public static final String BUILTIN = "/plinth-builtin";
    private static final String RESOURCE_ROOT = "dev/plinth/library";

    private final Path platformRoot;
    private final List<String> userRoots; // virtual (absolute, '/'-separated) paths
    private final Map<String, Optional<String>> contents = new ConcurrentHashMap<>();

    public Library(Path platformRoot, List<Path> userRoots) {
        this.platformRoot = platformRoot.toAbsolutePath().normalize();
        List<String> roots = new ArrayList<>();
        for (Path p : userRoots) {
            Path abs = p.toAbsolutePath().normalize();
            if (Files.isDirectory(abs)) roots.add(virtual(abs));
        }
        this.userRoots = List.copyOf(roots);
    }

    private static String virtual(Path abs) {
        String s = abs.toString().replace('\\', '/');
        return s.startsWith("/") ? s : "/" + s;
    }

    /** All roots, user roots first. */
    public List<String> roots() {
        List<String> r = new ArrayList<>(userRoots);
        r.add(BUILTIN);
        return r;
    }

    /** The virtual path of {@code <kind>/<type>.libsonnet} in the first root that has it. */
    public Optional<String> find(String kind, String type) {
        String relative = kind + "/" + type + ".libsonnet";
        for (String root : roots()) {
            String candidate = root + "/" + relative;
            if (read(candidate).isPresent()) return Optional.of(candidate);
        }
        return Optional.empty();
    }

    /** True when the virtual path lies inside one of the roots. */
    public boolean insideRoots(String virtualPath) {
        for (String root : roots()) {
            if (virtualPath.startsWith(root + "/")) return true;
        }
        return false;
    }

    /** Content of a library file by virtual path; empty when absent or outside the roots. */
    public Optional<String> read(String virtualPath) {
        if (!insideRoots(virtualPath)) return Optional.empty();
        return contents.computeIfAbsent(virtualPath, this::load);
    }

    private Optional<String> load(String virtualPath) {
        try {
            if (virtualPath.startsWith(BUILTIN + "/")) {
                String res = RESOURCE_ROOT + virtualPath.substring(BUILTIN.length());
                try (InputStream in = Library.class.getClassLoader().getResourceAsStream(res)) {
                    return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            Path p = Path.of(virtualPath);
            if (!Files.isRegularFile(p)) return Optional.empty();
            // a symbolic link must not lead out of the library roots
            Path real = p.toRealPath();
            boolean inside = false;
            for (String root : userRoots) {
                if (real.startsWith(Path.of(root).toRealPath())) inside = true;
            }
            if (!inside) throw new LibraryError(display(virtualPath) + " links outside the library roots");
            return Optional.of(Files.readString(p, StandardCharsets.UTF_8));
        } catch (CharacterCodingException e) {
            throw new LibraryError(display(virtualPath) + " is not valid UTF-8");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Driver programs the engine evaluates, by virtual path (named after their text, and few: the
     * unit data they read is not part of them); they import from the roots.
     */
    public static final String DRIVERS = "/plinth-driver";
    private final Map<String, String> drivers = new ConcurrentHashMap<>();

    void putDriver(String virtualPath, String text) {
        drivers.putIfAbsent(virtualPath, text);
    }

    private final Map<String, String> hashes = new ConcurrentHashMap<>();

    /** SHA-256 of a library file's content (empty string when absent), computed once per run. */
    public String hash(String virtualPath) {
        return hashes.computeIfAbsent(virtualPath, p -> read(p).map(Library::sha256).orElse(""));
    }

    public static String sha256(String text) {
        return sha256Bytes(text.getBytes(StandardCharsets.UTF_8));
    }

    public static String sha256Bytes(byte[] bytes) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fingerprint of the whole built-in library: a cache made with other built-ins is foreign. */
    public static String builtinFingerprint() {
        return BUILTIN_FINGERPRINT;
    }

    private static final String BUILTIN_FINGERPRINT = computeBuiltinFingerprint();

    /**
     * Identifies this build of the compiler and its built-in library, for the caches: the jars
     * they are loaded from, by their central directories (which a no-op render can afford to read,
     * unlike every library file inside the jar), or, when the library is a
     * class-path folder (tests, an IDE), a hash of its files.
     */
    private static String computeBuiltinFingerprint() {
        URL library = Library.class.getClassLoader().getResource(RESOURCE_ROOT);
        CodeSource compiler = Library.class.getProtectionDomain().getCodeSource();
        if (library != null && "jar".equals(library.getProtocol()) && compiler != null) {
            String libraryJar = library.getPath().substring(0, library.getPath().indexOf("!/"));
            String compilerJar = compiler.getLocation().toString();
            // one jar for both in the CLI (shaded), two under Maven
            String identity = libraryJar.equals(compilerJar) ? jarIdentity(libraryJar)
                    : jarIdentity(libraryJar) + " " + jarIdentity(compilerJar);
            if (!identity.contains("?")) return sha256(identity + dependencies(compilerJar));
        }
        StringBuilder sb = new StringBuilder(dependencies(""));
        if (compiler != null) sb.append(classFolderIdentity(compiler.getLocation()));
        Library lib = new Library(Path.of("."), List.of());
        for (String kind : List.of("components", "traits", "platform", "lib", "data", "dashboards")) {
            URL url = Library.class.getClassLoader().getResource(RESOURCE_ROOT + "/" + kind);
            if (url == null) continue;
            for (String name : listResources(url)) {
                String vp = BUILTIN + "/" + kind + "/" + name;
                sb.append(vp).append('=').append(lib.read(vp).map(Library::sha256).orElse("")).append('\n');
            }
        }
        return sha256(sb.toString());
    }

    /**
     * Where the libraries that decide results and findings are loaded from, unless from the
     * compiler's own jar (the CLI's jar holds them all): under Maven, a version another than the
     * compiler was built with (a plugin dependency override) changes the path, and so the caches.
     */
    private static String dependencies(String compilerJar) {
        StringBuilder sb = new StringBuilder();
        for (String name : List.of("sjsonnet.Interpreter", "io.fabric8.kubernetes.api.model.Quantity",
                "dev.cel.runtime.CelRuntime", "com.networknt.schema.JsonSchema",
                "org.snakeyaml.engine.v2.api.Dump", "com.fasterxml.jackson.core.JsonParser")) {
            try {
                CodeSource cs = Class.forName(name, false, Library.class.getClassLoader())
                        .getProtectionDomain().getCodeSource();
                String where = cs == null || cs.getLocation() == null ? "?" : cs.getLocation().toString();
                if (!where.equals(compilerJar)) sb.append(' ').append(where);
            } catch (ClassNotFoundException | LinkageError e) {
                sb.append(" no ").append(name);
            }
        }
        return sb.toString();
    }

    /**
     * The compiler's classes when they are a folder (tests, an IDE): names, sizes and times, so
     * that a compiler changed in place does not reuse what an older one cached (a rebuild
     * without changes costs a cache refill, no more).
     */
    private static String classFolderIdentity(URL location) {
        try {
            Path dir = Path.of(location.toURI());
            if (!Files.isDirectory(dir)) return "";
            StringBuilder sb = new StringBuilder();
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    sb.append(dir.relativize(f)).append(' ').append(Files.size(f)).append(' ')
                            .append(Files.getLastModifiedTime(f).toMillis()).append('\n');
                }
            }
            return sb.toString();
        } catch (IOException | URISyntaxException | IllegalArgumentException | FileSystemNotFoundException e) {
            return "";
        }
    }

    /**
     * "path size checksum" of a jar named by a file: URL, or "?" when it cannot be read. The
     * checksum is of the zip's central directory, which holds the CRC-32 of every entry: a
     * build that changes any file changes it, even one that stamps every file with a fixed time
     * and happens to keep the size (reproducible builds do both).
     */
    private static String jarIdentity(String fileUrl) {
        try {
            Path jar = Path.of(new URI(fileUrl));
            try (FileChannel ch = FileChannel.open(jar)) {
                long size = ch.size();
                // the end-of-central-directory record: within the last 64 KiB + 22 bytes
                int tail = (int) Math.min(size, 65_557);
                ByteBuffer end = ByteBuffer.allocate(tail).order(ByteOrder.LITTLE_ENDIAN);
                ch.read(end, size - tail);
                for (int i = tail - 22; i >= 0; i--) {
                    if (end.getInt(i) != 0x06054b50) continue;
                    long cdSize = end.getInt(i + 12) & 0xffffffffL;
                    long cdOffset = end.getInt(i + 16) & 0xffffffffL;
                    if (cdOffset + cdSize > size || cdSize > Integer.MAX_VALUE) return "?";
                    ByteBuffer cd = ByteBuffer.allocate((int) cdSize);
                    ch.read(cd, cdOffset);
                    CRC32C crc = new CRC32C();
                    crc.update(cd.flip());
                    return jar + " " + size + " " + Long.toHexString(crc.getValue());
                }
                return "?";
            }
        } catch (IOException | URISyntaxException | IllegalArgumentException | FileSystemNotFoundException e) {
            return "?";
        }
    }

    private static List<String> listResources(URL url) {
        try (Stream<Path> s = Files.list(resourceDir(url))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list built-in library at " + url, e);
        }
    }

    /** A class-path folder as a path: inside the jar (its file system opened once) or on disk. */
    private static Path resourceDir(URL url) throws IOException {
        try {
            URI uri = url.toURI();
            if (!"jar".equals(uri.getScheme())) return Path.of(uri);
            FileSystem fs;
            try {
                fs = FileSystems.getFileSystem(uri);
            } catch (FileSystemNotFoundException e) {
                try {
                    fs = FileSystems.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException raced) {
                    fs = FileSystems.getFileSystem(uri);
                }
            }
            return fs.provider().getPath(uri);
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }

    /** Text of a library file or of a driver, for positions in messages. */
    String source(String virtualPath) {
        String d = drivers.get(virtualPath);
        return d != null ? d : read(virtualPath).orElse("");
    }

    /** How a library file is named in messages: relative to the platform root, or {@code <builtin>/...}. */
    public String display(String virtualPath) {
        if (virtualPath.startsWith(BUILTIN + "/")) return "<builtin>" + virtualPath.substring(BUILTIN.length());
        if (virtualPath.startsWith(DRIVERS + "/")) return "<driver>";
        Path p = Path.of(virtualPath);
        if (p.startsWith(platformRoot)) return platformRoot.relativize(p).toString().replace('\\', '/');
        return virtualPath;
    }

    /** The type names of one kind ("components", "traits") across all roots, sorted. */
    public List<String> typeNames(String kind) {
        TreeSet<String> names = new TreeSet<>();
        for (String root : userRoots) {
            Path dir = Path.of(root, kind);
            names.addAll(libsonnetNames(dir));
        }
        names.addAll(builtinNames(kind));
        return List.copyOf(names);
    }

    private static List<String> libsonnetNames(Path dir) {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".libsonnet"))
                    .map(n -> n.substring(0, n.length() - ".libsonnet".length()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> builtinNames(String kind) {
        URL url = Library.class.getClassLoader().getResource(RESOURCE_ROOT + "/" + kind);
        if (url == null) return List.of();
        try {
            return libsonnetNames(resourceDir(url));
        } catch (IOException e) {
            throw new IllegalStateException("cannot list built-in definitions at " + url, e);
        }
    }
}
