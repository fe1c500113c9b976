package dev.plinth.check.k8s;

import dev.plinth.diag.Diagnostics;
import dev.plinth.yaml.YamlReader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads the tables shipped as YAML resources of the compiler. */
final class ResourceData {
    private ResourceData() {
    }

    static Object load(String resource) {
        try (InputStream in = ResourceData.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing resource " + resource);
            Diagnostics d = new Diagnostics();
            Object v = YamlReader.readAll(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8), d).get(0).toPlain();
            d.throwIfErrors();
            return v;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "1.25" -> 25; the major is always 1 for Kubernetes. */
    static int minor(String version) {
        return KubeVersions.minor(version, Integer.MAX_VALUE);
    }
}
