package dev.plinth.render;

import com.marcnuri.helm.Helm;
import dev.plinth.values.JsonValues;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.math.BigInteger;
import java.util.LinkedHashMap;

/**
 * Renders local Helm charts with Helm's own template engine (helm-java bundles Helm as a native
 * library), so charts behave exactly as {@code helm template} would. The manifests then go
 * through the same labels, checks and output as any component.
 */
final class HelmCharts {
    /** A chart that Helm refuses to render; the message is Helm's. */
    static final class ChartError extends Exception {
        ChartError(String message) {
            super(message, null, false, false);
        }
    }

    private final Map<String, List<Map<String, Object>>> cache = new ConcurrentHashMap<>();
    private final Map<Path, List<ChartInspection.Problem>> inspected = new ConcurrentHashMap<>();
    private final Map<ChartSource, Object> vendored = new ConcurrentHashMap<>();
    private volatile Object lock;

    /**
     * A remote chart's vendored archive, checked against plinth.lock (read once per render): its
     * path, or why it may not be used. Never the network.
     */
    Object vendored(ChartSource chart, Path root) {
        return vendored.computeIfAbsent(chart, c -> {
            Object l = lock(root);
            return l instanceof ChartLock cl ? ChartLock.vendored(root, cl, c) : l;
        });
    }

    private Object lock(Path root) {
        Object l = lock;
        if (l == null) {
            synchronized (this) {
                if (lock == null) {
                    try {
                        lock = ChartLock.read(root);
                    } catch (IOException | UncheckedIOException e) {
                        lock = "cannot read " + ChartLock.FILE + ": " + e.getMessage();
                    }
                }
                l = lock;
            }
        }
        return l;
    }

    /**
     * Why a chart folder may not be rendered (see {@link ChartInspection}), once per chart and
     * render; empty when it may.
     */
    List<ChartInspection.Problem> inspect(Path chart, Path root) {
        return inspected.computeIfAbsent(chart, c -> {
            try {
                return List.copyOf(ChartInspection.inspect(c, root));
            } catch (IOException | UncheckedIOException e) {
                return List.of(new ChartInspection.Problem("cannot read the chart: " + e.getMessage(), null));
            }
        });
    }

    /**
     * @param kubeVersion the cluster's "1.30", given to Helm as v1.30.0 for .Capabilities
     */
    List<Map<String, Object>> template(Path chart, String release, String namespace, String kubeVersion,
                                       Map<String, Object> values) throws ChartError {
        String valuesJson = JsonValues.write(values);
        String key = chart + "|" + release + "|" + namespace + "|" + kubeVersion + "|" + valuesJson;
        List<Map<String, Object>> cached = cache.get(key);
        if (cached != null) return copy(cached);
        Path valuesFile = null;
        try {
            // JSON is YAML: values go through a file so that types survive (no --set parsing)
            valuesFile = Files.createTempFile("plinth-values", ".yaml");
            Files.writeString(valuesFile, valuesJson, StandardCharsets.UTF_8);
            HelmIsolation.apply(); // before Helm's native library loads: no cluster for lookup
            String out = new Helm(chart).template()
                    .withName(release)
                    .withNamespace(namespace)
                    .withKubeVersion("v" + kubeVersion + ".0")
                    .withValuesFile(valuesFile)
                    .call();
            List<Map<String, Object>> objects = new ArrayList<>();
            for (Object doc : new Load(LoadSettings.builder().build()).loadAllFromString(out)) {
                if (doc instanceof Map<?, ?> m && !m.isEmpty()) objects.add(normalise(m));
            }
            cache.put(key, objects);
            return copy(objects);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            throw new ChartError(msg.lines().findFirst().orElse(msg));
        } finally {
            if (valuesFile != null) {
                try {
                    Files.deleteIfExists(valuesFile);
                } catch (IOException e) {
                    // a temp file left behind is harmless
                }
            }
        }
    }

    /** Plain, mutable maps and lists with Long for integers, as Jsonnet results have. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> normalise(Map<?, ?> m) {
        return (Map<String, Object>) normaliseValue(m);
    }

    private static Object normaliseValue(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, val) -> out.put(String.valueOf(k), normaliseValue(val)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object o : l) out.add(normaliseValue(o));
            return out;
        }
        if (v instanceof Integer i) return i.longValue();
        if (v instanceof BigInteger b) return b.longValue();
        return v;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> copy(List<Map<String, Object>> objects) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> o : objects) out.add((Map<String, Object>) normaliseValue(o));
        return out;
    }
}
