package dev.plinth.render;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where a {@code helm} component's chart comes from: a folder of the platform ({@code chart:
 * charts/redis}), a chart of a Helm repository ({@code chart: {repo, name, version}}) or an OCI
 * artifact ({@code chart: oci://REGISTRY/PATH} with {@code version}). Remote charts are pinned
 * to an exact version and rendered only from the vendor folder ({@link ChartLock}).
 *
 * @param local   the folder, relative to the spec file, for a local chart; else null
 * @param source  the repository URL or the {@code oci://} reference (without version)
 */
public record ChartSource(String local, String source, String name, String version) {
    /** Chart names as Helm allows them, and nothing that could walk out of the vendor folder. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");
    /** An exact version (SemVer, as Helm requires of a chart); ranges are not a pin. */
    private static final Pattern VERSION = Pattern.compile("v?[0-9]+\\.[0-9]+\\.[0-9]+([-+][0-9A-Za-z.+-]{1,100})?");
    private static final Pattern REPO = Pattern.compile("https?://[^\\s?#]+");
    private static final Pattern OCI = Pattern.compile("oci://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[a-z0-9]+([._-][a-z0-9]+)*)+");

    /** A chart property that is not one of the three forms; the message names what is wrong. */
    public static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    public boolean remote() {
        return local == null;
    }

    public boolean oci() {
        return source != null && source.startsWith("oci://");
    }

    /** The vendored archive, relative to the platform root. */
    public String vendorPath() {
        return "vendor/charts/" + name + "-" + version + ".tgz";
    }

    /** How messages name the chart. */
    public String describe() {
        if (local != null) return "'" + local + "'";
        return oci() ? source + ":" + version : source + " " + name + " " + version;
    }

    /** The chart of a {@code helm} component's checked properties ({@code chart}, {@code version}). */
    public static ChartSource of(Map<String, Object> props) throws Invalid {
        Object chart = props.get("chart");
        Object version = props.get("version");
        if (chart instanceof String s && s.startsWith("oci://")) {
            if (!OCI.matcher(s).matches()) {
                throw new Invalid("chart '" + s + "' is not an OCI reference oci://REGISTRY/PATH (lower case, no tag: the version goes into 'version')");
            }
            if (!(version instanceof String v)) throw new Invalid("chart '" + s + "' needs a 'version' (an exact chart version)");
            return new ChartSource(null, s, s.substring(s.lastIndexOf('/') + 1), checkVersion(v));
        }
        if (chart instanceof String s) {
            if (version != null) throw new Invalid("'version' is for an oci:// chart; a local chart's version is its Chart.yaml's");
            if (s.contains("://")) throw new Invalid("chart '" + s + "' is a URL: write {repo: URL, name: N, version: V} for a Helm repository or oci://REGISTRY/PATH for an OCI registry");
            return new ChartSource(s, null, null, null);
        }
        if (chart instanceof Map<?, ?> m) {
            if (version != null) throw new Invalid("'version' is for an oci:// chart; write chart.version for a repository chart");
            String repo = String.valueOf(m.get("repo"));
            String name = String.valueOf(m.get("name"));
            if (!REPO.matcher(repo).matches()) throw new Invalid("chart.repo '" + repo + "' is not an http(s) URL of a Helm repository");
            if (!NAME.matcher(name).matches()) throw new Invalid("chart.name '" + name + "' is not a chart name");
            return new ChartSource(null, repo.replaceAll("/+$", ""), name, checkVersion(String.valueOf(m.get("version"))));
        }
        throw new Invalid("chart must be a folder, {repo, name, version} or oci://REGISTRY/PATH");
    }

    private static String checkVersion(String v) throws Invalid {
        if (!VERSION.matcher(v).matches()) {
            throw new Invalid("version '" + v + "' is not an exact chart version (MAJOR.MINOR.PATCH[-PRE][+BUILD]): a remote chart is pinned, ranges are not");
        }
        return v;
    }
}
