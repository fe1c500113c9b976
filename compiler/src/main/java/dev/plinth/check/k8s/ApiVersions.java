package dev.plinth.check.k8s;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which built-in apiVersions a Kubernetes minor serves: the removal, deprecation and
 * introduction table in {@code api-versions.yaml}, kept as data so it can be updated (and
 * cross-checked against pluto) without touching code.
 */
public final class ApiVersions {
    /** One row of the table, for one kind. */
    public record Entry(String apiVersion, String kind, int deprecated, int removed, String replacement) {
    }

    private final Map<String, Entry> removed = new HashMap<>();
    private final Map<String, Integer> introduced = new HashMap<>();

    private static final ApiVersions INSTANCE = new ApiVersions();

    public static ApiVersions get() {
        return INSTANCE;
    }

    @SuppressWarnings("unchecked")
    private ApiVersions() {
        Map<String, Object> data = (Map<String, Object>) ResourceData.load("/dev/plinth/check/api-versions.yaml");
        for (Object o : (List<Object>) data.get("removed")) {
            Map<String, Object> row = (Map<String, Object>) o;
            for (Object kind : (List<Object>) row.get("kinds")) {
                Entry e = new Entry((String) row.get("apiVersion"), (String) kind, ResourceData.minor((String) row.get("deprecated")),
                        ResourceData.minor((String) row.get("removed")), (String) row.get("replacement"));
                removed.put(e.apiVersion() + " " + e.kind(), e);
            }
        }
        for (Object o : (List<Object>) data.get("introduced")) {
            Map<String, Object> row = (Map<String, Object>) o;
            for (Object kind : (List<Object>) row.get("kinds")) {
                introduced.put(row.get("apiVersion") + " " + kind, ResourceData.minor((String) row.get("since")));
            }
        }
    }

    /** The deprecation/removal row of an apiVersion and kind, if any. */
    public Optional<Entry> lifecycle(String apiVersion, String kind) {
        return Optional.ofNullable(removed.get(apiVersion + " " + kind));
    }

    /** The first minor that serves the apiVersion and kind, if the table knows it. */
    public Optional<Integer> introduced(String apiVersion, String kind) {
        return Optional.ofNullable(introduced.get(apiVersion + " " + kind));
    }

    public List<Entry> entries() {
        return new ArrayList<>(removed.values());
    }
}
