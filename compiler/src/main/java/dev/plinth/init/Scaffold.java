package dev.plinth.init;

import dev.plinth.Compiler;
import dev.plinth.diag.Diagnostics;
import dev.plinth.diag.Loc;
import dev.plinth.diag.PlinthException;
import dev.plinth.jsonschema.JsonSchemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * {@code plinth init [DIR]}: a new platform repository that validates and renders as it is
 * (docs/authoring.md, "plinth init"). Its files are templates under {@code dev/plinth/init/scaffold/}.
 * It only ever creates: a path of the scaffold that exists (a file, folder or link) is an error
 * and nothing is written; folders on the way are never followed through a link.
 */
public final class Scaffold {
    private Scaffold() {
    }

    /** Where the editor settings expect the JSON Schemas of the spec kinds. */
    public static final String SCHEMA_DIR = ".plinth/schema";

    /**
     * The files written from templates, in order, before the JSON Schemas under
     * {@link #SCHEMA_DIR}; {@code environments} as a whole must not exist either.
     */
    public static final List<String> FILES = List.of(
            "platform.yaml",
            "environments/base/environment.yaml",
            "environments/base/tenants/team-a.yaml",
            "environments/base/apps/hello.yaml",
            "environments/dev/environment.yaml",
            "pom.xml",
            ".gitignore",
            ".vscode/settings.json",
            ".idea/jsonSchemas.xml",
            ".github/workflows/plinth.yml",
            ".gitlab-ci.yml");

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    /** The new repository's absolute path, its platform's name and the files written. */
    public record Result(Path dir, String name, List<String> files) {
    }

    /**
     * Writes the scaffold into {@code dir} (created if missing). Throws {@link PlinthException}
     * naming every path in the way, before writing anything, and {@link Compiler.UsageException}
     * when {@code dir} is not a folder.
     */
    public static Result init(Path dir) {
        Path root = dir.toAbsolutePath().normalize();
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new Compiler.UsageException(dir + " is not a directory");
        }
        String name = platformName(root);
        Map<String, String> contents = new LinkedHashMap<>();
        for (String file : FILES) contents.put(file, template(file, name));
        // the JSON Schemas the editor settings point at, as `plinth schema -o .plinth/schema` writes them
        JsonSchemas.builtin().forEach((file, text) -> contents.put(SCHEMA_DIR + "/" + file, text));

        Diagnostics inTheWay = new Diagnostics();
        inTheWay(root, dir, "environments", inTheWay);
        boolean environments = inTheWay.hasErrors(); // then its files need no word of their own
        for (String file : contents.keySet()) {
            if (!(environments && file.startsWith("environments/"))) inTheWay(root, dir, file, inTheWay);
        }
        inTheWay.throwIfErrors();

        List<Path> created = new ArrayList<>();
        String writing = null;
        try {
            Files.createDirectories(root);
            for (Map.Entry<String, String> e : contents.entrySet()) {
                writing = e.getKey();
                write(root, e.getKey(), e.getValue(), created);
            }
        } catch (IOException e) {
            undo(created);
            String why = e instanceof FileAlreadyExistsException ? "it appeared while plinth init was writing" : String.valueOf(e.getMessage());
            throw PlinthException.of(Loc.file(shown(dir, writing == null ? "." : writing)),
                    "cannot write it (" + why + "); nothing was written");
        }
        return new Result(root, name, List.copyOf(contents.keySet()));
    }

    /** The directory's name when it is a DNS label (as metadata.name must be), else "platform". */
    static String platformName(Path root) {
        Path last = root.getFileName();
        String name = last == null ? "" : last.toString().toLowerCase(Locale.ROOT);
        return DNS_LABEL.matcher(name).matches() ? name : "platform";
    }

    /** Reports {@code rel} when it or a folder on the way exists as anything but a real folder. */
    private static void inTheWay(Path root, Path dir, String rel, Diagnostics d) {
        String[] parts = rel.split("/");
        Path p = root;
        for (int i = 0; i < parts.length; i++) {
            p = p.resolve(parts[i]);
            String sub = String.join("/", java.util.Arrays.copyOf(parts, i + 1));
            boolean last = i == parts.length - 1;
            if (Files.isSymbolicLink(p)) {
                d.error(Loc.file(shown(dir, sub)), "is a symbolic link (plinth init never writes through one; nothing was written)");
                return;
            }
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return;
            if (last || !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                d.error(Loc.file(shown(dir, sub)), "already exists (plinth init only creates files; nothing was written)");
                return;
            }
        }
    }

    /** Creates the folders on the way one at a time and the file only if nothing is there (no link is followed). */
    private static void write(Path root, String rel, String content, List<Path> created) throws IOException {
        Path p = root;
        String[] parts = rel.split("/");
        for (int i = 0; i < parts.length - 1; i++) {
            p = p.resolve(parts[i]);
            if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) created.add(Files.createDirectory(p));
        }
        Path file = p.resolve(parts[parts.length - 1]);
        Files.writeString(file, content, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        created.add(file);
    }

    /** Deletes what this run created, newest first; a failed write leaves the directory as it was. */
    private static void undo(List<Path> created) {
        for (int i = created.size() - 1; i >= 0; i--) {
            try {
                Files.deleteIfExists(created.get(i));
            } catch (IOException ignored) {
                // best effort: the error that brought us here is the one to report
            }
        }
    }

    private static String shown(Path dir, String rel) {
        return dir.resolve(rel).normalize().toString().replace('\\', '/');
    }

    /**
     * The template of a file, with the platform's name and the plugin's version put in. Maven's
     * resources leave out dot files such as .gitignore, so a segment's leading dot is stored as "dot-".
     */
    static String template(String file, String name) {
        String resource = "scaffold/" + String.join("/", java.util.Arrays.stream(file.split("/"))
                .map(s -> s.startsWith(".") ? "dot-" + s.substring(1) : s).toList());
        return read(resource).replace("@name@", name).replace("@version@", pluginVersion());
    }

    /** The version of this build, which is the Maven plugin's: written into version.properties by the build. */
    public static String pluginVersion() {
        Properties p = new Properties();
        try (InputStream in = Scaffold.class.getResourceAsStream("version.properties")) {
            if (in == null) throw new IllegalStateException("dev/plinth/init/version.properties is missing from the build");
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("version");
    }

    private static String read(String resource) {
        try (InputStream in = Scaffold.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("the scaffold template " + resource + " is missing from the build");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
