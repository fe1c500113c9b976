package dev.plinth.vendor;

import dev.plinth.diag.Diagnostic;
import dev.plinth.diag.Diagnostics;
import dev.plinth.diag.Loc;
import dev.plinth.render.ChartLock;
import dev.plinth.render.ChartSource;
import dev.plinth.render.Definition;
import dev.plinth.render.Definitions;
import dev.plinth.resolve.ResolvedPlatform;
import dev.plinth.schema.SchemaChecker;
import dev.plinth.spec.Specs;
import dev.plinth.yaml.PNode;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code plinth vendor}: downloads every remote chart the platform declares into
 * {@code vendor/charts/NAME-VERSION.tgz} and writes {@code plinth.lock}. The only command that
 * touches the network. A chart already vendored with the locked digest is kept without a
 * download, so a second run changes nothing and works offline.
 */
public final class ChartVendor {
    public static final String DIR = "vendor/charts";
    private static final String HELM_LAYER = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
    private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    /** A declared remote chart and the spec line that declares it. */
    public record Declared(ChartSource chart, Loc at) {
    }

    /** What a run did: the lock's entries, and which charts it downloaded. */
    public record Result(List<ChartLock.Entry> entries, List<String> downloaded) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30))
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    private final Map<String, String> mirrors;

    private ChartVendor(Map<String, String> mirrors) {
        this.mirrors = mirrors;
    }

    /** Where to fetch a declared URL from: its mirror's, by the longest matching prefix. */
    private URI fetched(URI declared) {
        String url = declared.toString();
        String best = null;
        for (String from : mirrors.keySet()) if (url.startsWith(from) && (best == null || from.length() > best.length())) best = from;
        return best == null ? declared : URI.create(mirrors.get(best) + url.substring(best.length()));
    }

    /** Vendors the charts (errors at their declaring lines) and writes the lock; removes archives no chart declares. */
    public static Result vendor(Path root, List<Declared> declared) throws IOException {
        return vendor(root, declared, Map.of());
    }

    /**
     * @param mirrors repository URL prefixes and where to fetch them from instead (a mirror, or a
     *                copy served locally); the lock records the declared URLs all the same
     */
    public static Result vendor(Path root, List<Declared> declared, Map<String, String> mirrors) throws IOException {
        Diagnostics diags = new Diagnostics();
        Map<ChartSource, Loc> charts = new LinkedHashMap<>();
        Map<String, ChartSource> byFile = new TreeMap<>();
        for (Declared d : declared) {
            charts.putIfAbsent(d.chart(), d.at());
            ChartSource other = byFile.putIfAbsent(d.chart().vendorPath(), d.chart());
            if (other != null && !other.equals(d.chart())) {
                diags.error(d.at(), "chart " + d.chart().describe() + " and chart " + other.describe() + " would both be vendored as "
                        + d.chart().vendorPath() + ": one chart name and version may come from one source only");
            }
        }
        diags.throwIfErrors();
        ChartLock old;
        try {
            old = ChartLock.read(root);
        } catch (IOException e) {
            old = ChartLock.empty(); // a broken lock is rewritten
        }
        ChartVendor vendor = new ChartVendor(mirrors);
        List<ChartLock.Entry> entries = new ArrayList<>();
        List<String> downloaded = new ArrayList<>();
        Map<Path, byte[]> fetched = new LinkedHashMap<>();
        for (Map.Entry<ChartSource, Loc> e : charts.entrySet()) {
            ChartSource chart = e.getKey();
            ChartLock.Entry locked = old.find(chart);
            Path file = root.resolve(chart.vendorPath());
            if (locked != null && ChartLock.vendored(root, old, chart) instanceof Path) {
                entries.add(locked);
                continue;
            }
            try {
                ChartLock.Entry entry = chart.oci() ? vendor.pullOci(chart) : vendor.pullRepo(chart);
                fetched.put(file, vendor.archive);
                entries.add(entry);
                downloaded.add(chart.vendorPath());
            } catch (IOException ex) {
                diags.error(e.getValue(), "cannot vendor chart " + chart.describe() + ": " + ex.getMessage());
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        }
        diags.throwIfErrors(); // nothing written unless every chart came
        Path dir = containedDir(root);
        for (Map.Entry<Path, byte[]> f : fetched.entrySet()) {
            Path tmp = dir.resolve("." + f.getKey().getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.write(tmp, f.getValue());
            Files.deleteIfExists(f.getKey()); // a link there is replaced, never followed
            Files.move(tmp, f.getKey(), StandardCopyOption.ATOMIC_MOVE);
        }
        // archives no chart declares any more
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (f.getFileName().toString().endsWith(".tgz") && !byFile.containsKey(DIR + "/" + f.getFileName())) Files.delete(f);
            }
        }
        Path lock = root.resolve(ChartLock.FILE);
        if (Files.isSymbolicLink(lock)) Files.delete(lock);
        Path tmp = root.resolve("." + ChartLock.FILE + ".tmp");
        Files.deleteIfExists(tmp);
        Files.writeString(tmp, ChartLock.write(entries), StandardCharsets.UTF_8);
        Files.move(tmp, lock, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new Result(entries, downloaded);
    }

    /**
     * The remote charts of every component of a {@code host: 'helm'} type on every cluster, with
     * overrides applied, each at its {@code chart} line. Errors in other properties are left to
     * validate.
     */
    public static List<Declared> declared(ResolvedPlatform resolved, Definitions definitions) {
        List<Declared> out = new ArrayList<>();
        Diagnostics diags = new Diagnostics();
        for (ResolvedPlatform.ClusterPlan plan : resolved.clusters()) {
            for (ResolvedPlatform.PlacedApp app : plan.apps()) {
                for (Specs.ComponentSpec c : app.app().components()) {
                    Definition def;
                    try {
                        def = definitions.find("components", c.type()).orElse(null);
                    } catch (Definitions.BrokenDefinition e) {
                        def = null; // validate names it
                    }
                    if (def == null || !"helm".equals(def.host()) || !(c.properties() instanceof PNode.PMap props)) continue;
                    Map<String, Object> values = new SchemaChecker(diags, (at, path, d) -> null).checkObject(props, def.parameters(), "properties");
                    Loc at = props.get("chart") != null ? props.get("chart").loc() : c.loc();
                    try {
                        ChartSource chart = ChartSource.of(values);
                        if (chart.remote()) out.add(new Declared(chart, at));
                    } catch (ChartSource.Invalid e) {
                        diags.error(at, "component '" + c.name() + "': " + e.getMessage());
                    }
                }
            }
        }
        List<Diagnostic> invalid = diags.sorted().stream().filter(d -> d.message().startsWith("component '")).toList();
        if (!invalid.isEmpty()) {
            Diagnostics errors = new Diagnostics();
            invalid.forEach(errors::add);
            errors.throwIfErrors();
        }
        return out;
    }

    /** vendor/charts under the root, created; a link on the way is an error, never followed. */
    private static Path containedDir(Path root) throws IOException {
        Path at = root;
        for (String part : DIR.split("/")) {
            at = at.resolve(part);
            if (Files.isSymbolicLink(at) || (Files.exists(at, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(at, LinkOption.NOFOLLOW_LINKS))) {
                throw new IOException(root.relativize(at) + " is not a folder (a link or a file): remove it");
            }
            if (!Files.exists(at, LinkOption.NOFOLLOW_LINKS)) Files.createDirectory(at);
        }
        return at;
    }

    /** The last downloaded archive. */
    private byte[] archive;

    /** A chart of a Helm repository: REPO/index.yaml, the version's first URL, its digest checked. */
    private ChartLock.Entry pullRepo(ChartSource chart) throws IOException, InterruptedException {
        URI index = URI.create(chart.source() + "/index.yaml");
        Object doc = parse(get(fetched(index), null, null).body(), "index.yaml of " + chart.source());
        Object entries = doc instanceof Map<?, ?> m ? m.get("entries") : null;
        Object versions = entries instanceof Map<?, ?> m ? m.get(chart.name()) : null;
        if (!(versions instanceof List<?> list)) throw new IOException("the repository has no chart '" + chart.name() + "'");
        for (Object v : list) {
            if (!(v instanceof Map<?, ?> m) || !chart.version().equals(String.valueOf(m.get("version")))) continue;
            if (!(m.get("urls") instanceof List<?> urls) || urls.isEmpty()) throw new IOException("the index lists no URL for version " + chart.version());
            URI url = index.resolve(String.valueOf(urls.get(0)));
            if (!url.getScheme().equals("https") && !url.getScheme().equals("http")) throw new IOException("the chart's URL " + url + " is not http(s)");
            archive = get(fetched(url), null, null).body();
            String digest = ChartLock.digest(archive);
            if (m.get("digest") instanceof String published && !digest.equals("sha256:" + published)) {
                throw new IOException("the archive's digest " + digest + " differs from the one index.yaml publishes (sha256:" + published + ")");
            }
            return new ChartLock.Entry(chart.source(), chart.name(), chart.version(), url.toString(), digest);
        }
        throw new IOException("the repository has no version " + chart.version() + " of chart '" + chart.name() + "'");
    }

    /**
     * A chart in an OCI registry (the distribution API, as {@code helm pull oci://} does): the
     * version's manifest, its Helm chart layer, checked against the layer's digest. An anonymous
     * bearer token is fetched when the registry asks for one. Plain HTTP only for a loopback
     * registry.
     */
    private ChartLock.Entry pullOci(ChartSource chart) throws IOException, InterruptedException {
        String ref = chart.source().substring("oci://".length());
        String host = ref.substring(0, ref.indexOf('/'));
        String repo = ref.substring(ref.indexOf('/') + 1);
        String scheme = host.startsWith("127.0.0.1") || host.startsWith("localhost") || host.startsWith("[::1]") ? "http" : "https";
        URI manifestUri = URI.create(scheme + "://" + host + "/v2/" + repo + "/manifests/" + chart.version());
        Response manifest = get(manifestUri, "application/vnd.oci.image.manifest.v1+json", null);
        Object doc = parse(manifest.body(), "the manifest of " + chart.describe());
        String token = tokenUsed;
        Object layers = doc instanceof Map<?, ?> m ? m.get("layers") : null;
        if (layers instanceof List<?> list) {
            for (Object l : list) {
                if (l instanceof Map<?, ?> layer && HELM_LAYER.equals(layer.get("mediaType")) && layer.get("digest") instanceof String digest) {
                    if (!digest.matches("sha256:[0-9a-f]{64}")) throw new IOException("the chart layer's digest " + digest + " is not sha256");
                    URI blob = URI.create(scheme + "://" + host + "/v2/" + repo + "/blobs/" + digest);
                    archive = get(blob, null, token).body();
                    if (!ChartLock.digest(archive).equals(digest)) throw new IOException("the downloaded chart layer does not have its digest " + digest);
                    return new ChartLock.Entry(chart.source(), chart.name(), chart.version(), chart.source() + ":" + chart.version(), digest);
                }
            }
        }
        throw new IOException("the artifact " + chart.describe() + " has no Helm chart layer (" + HELM_LAYER + ")");
    }

    /** The bearer token the last request ended up using, for the requests that follow. */
    private String tokenUsed;

    private Response get(URI uri, String accept, String token) throws IOException, InterruptedException {
        Response r = send(uri, accept, token);
        tokenUsed = token;
        if (r.status() == 401 && token == null) {
            String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
            if (challenge.regionMatches(true, 0, "Bearer ", 0, 7)) {
                Map<String, String> params = new TreeMap<>();
                Matcher m = PARAM.matcher(challenge);
                while (m.find()) params.put(m.group(1), m.group(2));
                StringBuilder q = new StringBuilder();
                for (String p : List.of("service", "scope")) {
                    if (params.containsKey(p)) q.append(q.isEmpty() ? "?" : "&").append(p).append('=').append(URLEncoder.encode(params.get(p), StandardCharsets.UTF_8));
                }
                Object t = parse(send(URI.create(params.getOrDefault("realm", "") + q), null, null).body(), "the registry's token");
                Object s = t instanceof Map<?, ?> tm ? (tm.get("token") != null ? tm.get("token") : tm.get("access_token")) : null;
                if (s instanceof String bearer) {
                    r = send(uri, accept, bearer);
                    tokenUsed = bearer;
                }
            }
        }
        if (r.status() != 200) throw new IOException("GET " + uri + " answered " + r.status());
        return r;
    }

    private record Response(int status, java.net.http.HttpHeaders headers, byte[] body) {
    }

    private Response send(URI uri, String accept, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(2)).GET();
        if (accept != null) b.header("Accept", accept);
        if (token != null) b.header("Authorization", "Bearer " + token);
        HttpResponse<InputStream> r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            byte[] body = in.readNBytes((int) ChartLock.MAX_BYTES + 1);
            if (body.length > ChartLock.MAX_BYTES) throw new IOException("GET " + uri + ": larger than " + (ChartLock.MAX_BYTES >> 20) + " MiB");
            return new Response(r.statusCode(), r.headers(), body);
        }
    }

    /** index.yaml or a JSON document (JSON is YAML); large indexes allowed, aliases bounded. */
    private static Object parse(byte[] body, String what) throws IOException {
        try {
            LoadSettings settings = LoadSettings.builder().setCodePointLimit((int) ChartLock.MAX_BYTES).setMaxAliasesForCollections(50).build();
            return new Load(settings).loadFromString(new String(body, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new IOException(what + " is not YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }
}
