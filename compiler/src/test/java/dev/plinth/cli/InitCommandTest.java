package dev.plinth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plinth.TestSupport;
import dev.plinth.TestSupport.Run;
import dev.plinth.init.Scaffold;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.plinth.cli.PlinthCli.INPUT_ERRORS;
import static dev.plinth.cli.PlinthCli.OK;
import static dev.plinth.cli.PlinthCli.USAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code plinth init} (docs/authoring.md): the scaffold validates, renders and verifies as it is,
 * never overwrites or writes through a link, and its CI files call goals and properties the Maven
 * plugin has. No validator for workflow files (actionlint, the GitHub and GitLab CI schemas) is
 * available offline, so the CI files are checked by their structure.
 */
class InitCommandTest {
    @TempDir
    Path tmp;

    private Path init(String name) {
        Path dir = tmp.resolve(name);
        Run r = TestSupport.plinth("init", dir.toString());
        assertEquals(OK, r.exit(), r.err());
        assertTrue(r.out().startsWith("created platform '" + name + "' in " + dir.toAbsolutePath() + ":\n"), r.out());
        assertEquals("", r.err());
        return dir;
    }

    @Test
    void theScaffoldValidatesRendersAndVerifiesAsItIs() throws Exception {
        Path dir = init("data-platform");
        List<String> expected = new java.util.ArrayList<>(Scaffold.FILES);
        for (String schema : dev.plinth.jsonschema.JsonSchemas.builtin().keySet()) expected.add(Scaffold.SCHEMA_DIR + "/" + schema);
        assertEquals(expected.stream().sorted().toList(), TestSupport.readTree(dir).keySet().stream().toList());
        // the schemas the editor settings name are there
        String vscode = TestSupport.readTree(dir).get(".vscode/settings.json");
        for (String schema : List.of("platform.schema.json", "environment.schema.json", "plinth.schema.json")) {
            assertTrue(vscode.contains(Scaffold.SCHEMA_DIR + "/" + schema), vscode);
            assertTrue(TestSupport.readTree(dir).containsKey(Scaffold.SCHEMA_DIR + "/" + schema), schema);
        }

        Run validate = TestSupport.plinth("validate", "-r", dir.toString());
        assertEquals(OK, validate.exit(), validate.err());
        assertEquals("", validate.err(), "no finding, not even a warning");
        assertTrue(validate.out().endsWith("valid: 1 cluster, 19 files\n"), validate.out());

        Run render = TestSupport.plinth("render", "-r", dir.toString());
        assertEquals(OK, render.exit(), render.err());
        assertEquals("", render.err());
        Map<String, String> out = TestSupport.readTree(dir.resolve("rendered"));
        String app = "clusters/dev-1/tenants/team-a/apps/hello/";
        assertTrue(out.containsKey(app + "servicemonitor-web.yaml"), out.keySet().toString());
        assertTrue(out.containsKey(app + "networkpolicy-web-metrics.yaml"), "the tenant isolates, so Prometheus is let in");
        assertTrue(out.get(app + "servicemonitor-web.yaml").contains("release: kube-prometheus-stack"));

        Run verify = TestSupport.plinth("verify", "-r", dir.toString());
        assertEquals(OK, verify.exit(), verify.out() + verify.err());

        // the commented GitOps settings render cleanly once uncommented
        Path platform = dir.resolve("platform.yaml");
        String text = Files.readString(platform);
        assertTrue(text.contains("\n  # gitops: {engine: argocd"), text);
        Files.writeString(platform, text.replace("\n  # gitops:", "\n  gitops:"));
        Run gitops = TestSupport.plinth("validate", "-r", dir.toString());
        assertEquals(OK, gitops.exit(), gitops.err());
        assertEquals("", gitops.err());
        assertTrue(gitops.out().endsWith("valid: 1 cluster, 29 files\n"), "gitops/ objects too: " + gitops.out());
    }

    @Test
    void initNeverOverwritesAndWritesNothingWhenAPathIsTaken() throws Exception {
        Path dir = tmp.resolve("repo");
        TestSupport.write(dir.resolve("README.md"), "# ours\n");
        TestSupport.write(dir.resolve(".git/HEAD"), "ref: refs/heads/main\n");
        TestSupport.write(dir.resolve("pom.xml"), "<project/>\n");
        TestSupport.write(dir.resolve("environments/prod/environment.yaml"), "kind: Environment\n");
        Run r = TestSupport.plinth("init", dir.toString());
        assertEquals(INPUT_ERRORS, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains(dir.resolve("pom.xml") + ":1:1: error: already exists"), r.err());
        assertTrue(r.err().contains(dir.resolve("environments") + ":1:1: error: already exists"), r.err());
        assertTrue(r.err().endsWith("2 errors\n"), r.err());
        assertEquals("", r.out());
        assertEquals(Map.of("README.md", "# ours\n", ".git/HEAD", "ref: refs/heads/main\n", "pom.xml", "<project/>\n",
                "environments/prod/environment.yaml", "kind: Environment\n"), TestSupport.readTree(dir), "nothing written");

        // a repository with only a README and .git is fine
        Files.delete(dir.resolve("pom.xml"));
        TestSupport.deleteTree(dir.resolve("environments"));
        assertEquals(OK, TestSupport.plinth("init", dir.toString()).exit());
        assertEquals("# ours\n", Files.readString(dir.resolve("README.md")));
        // and a second init changes nothing
        String pom = Files.readString(dir.resolve("pom.xml"));
        Run again = TestSupport.plinth("init", dir.toString());
        assertEquals(INPUT_ERRORS, again.exit());
        long schemas = dev.plinth.jsonschema.JsonSchemas.builtin().size();
        assertTrue(again.err().endsWith(Scaffold.FILES.stream().filter(f -> !f.startsWith("environments/")).count() + schemas + 1 + " errors\n"), again.err());
        assertEquals(pom, Files.readString(dir.resolve("pom.xml")));
    }

    @Test
    void initNeverWritesThroughALink() throws Exception {
        Path dir = tmp.resolve("repo");
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.createDirectories(dir);
        Files.createSymbolicLink(dir.resolve(".github"), outside);
        Files.createSymbolicLink(dir.resolve(".gitignore"), tmp.resolve("nowhere"));
        Run r = TestSupport.plinth("init", dir.toString());
        assertEquals(INPUT_ERRORS, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains(dir.resolve(".github") + ":1:1: error: is a symbolic link"), r.err());
        assertTrue(r.err().contains(dir.resolve(".gitignore") + ":1:1: error: is a symbolic link"), "a dangling link too: " + r.err());
        try (Stream<Path> s = Files.list(outside)) {
            assertEquals(0, s.count(), "nothing written outside");
        }
        assertFalse(Files.exists(tmp.resolve("nowhere"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(dir.resolve("platform.yaml")));
    }

    @Test
    void aFileIsNoDirectoryAndANameThatIsNoLabelGivesPlatform() throws Exception {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        Run r = TestSupport.plinth("init", file.toString());
        assertEquals(USAGE, r.exit(), r.err());
        assertTrue(r.err().startsWith("plinth: " + file + " is not a directory"), r.err());

        Path dir = tmp.resolve("My Platform");
        assertEquals(OK, TestSupport.plinth("init", dir.toString()).exit());
        assertTrue(Files.readString(dir.resolve("platform.yaml")).contains("metadata: {name: platform}"));
        assertEquals(OK, TestSupport.plinth("validate", "-r", dir.toString()).exit());
    }

    @Test
    void thePomDeclaresThePluginOfThisBuild() throws Exception {
        Path dir = init("p");
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(dir.resolve("pom.xml").toFile());
        var plugin = (org.w3c.dom.Element) pom.getElementsByTagName("plugin").item(0);
        assertEquals("dev.plinth", text(plugin, "groupId"));
        assertEquals("platform-maven-plugin", text(plugin, "artifactId"));
        Document ours = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(TestSupport.projectRoot().resolve("pom.xml").toFile());
        assertEquals(text(ours.getDocumentElement(), "version"), text(plugin, "version"));
        assertEquals(0, plugin.getElementsByTagName("configuration").getLength(),
                "no <output>: platform:diff takes -Dplatform.output as its report");
    }

    private static String text(org.w3c.dom.Element parent, String tag) {
        return parent.getElementsByTagName(tag).item(0).getTextContent().trim();
    }

    @Test
    void theEditorSettingsBindTheSchemasToTheSpecFiles() throws Exception {
        Path dir = init("p");
        JsonNode schemas = new ObjectMapper().readTree(dir.resolve(".vscode/settings.json").toFile()).get("yaml.schemas");
        assertEquals("[\"platform.yaml\"]", schemas.get("./" + Scaffold.SCHEMA_DIR + "/platform.schema.json").toString());
        assertEquals("[\"environments/*/environment.yaml\"]", schemas.get("./" + Scaffold.SCHEMA_DIR + "/environment.schema.json").toString());
        assertTrue(schemas.get("./" + Scaffold.SCHEMA_DIR + "/plinth.schema.json").toString().contains("environments/*/apps/**/*.yaml"));

        Document idea = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(dir.resolve(".idea/jsonSchemas.xml").toFile());
        assertEquals("JsonSchemaMappingsProjectConfiguration", ((org.w3c.dom.Element) idea.getElementsByTagName("component").item(0)).getAttribute("name"));
        assertEquals(3, idea.getElementsByTagName("SchemaInfo").getLength());
        assertTrue(Files.readString(dir.resolve(".idea/jsonSchemas.xml")).contains("value=\"" + Scaffold.SCHEMA_DIR + "/plinth.schema.json\""));

        String gitignore = Files.readString(dir.resolve(".gitignore"));
        for (String cache : List.of("*.plinth-cache/", "*.plinth-lock", "*.plinth-journal", "*.plinth-backup/", "target/")) {
            assertTrue(gitignore.lines().anyMatch(cache::equals), cache);
        }
        assertTrue(gitignore.lines().filter(l -> !l.startsWith("#")).noneMatch(l -> l.contains("rendered")),
                "the output is committed: verify compares with it");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(Path file) throws Exception {
        return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
    }

    @SuppressWarnings("unchecked")
    private static <T> T at(Object node, String... keys) {
        Object n = node;
        for (String k : keys) {
            assertTrue(n instanceof Map<?, ?> m && m.containsKey(k), "no " + k + " in " + n);
            n = ((Map<String, Object>) n).get(k);
        }
        return (T) n;
    }

    @Test
    void theGitHubWorkflowValidatesVerifiesAndCommentsTheDiffOnce() throws Exception {
        Path dir = init("p");
        Map<String, Object> wf = yaml(dir.resolve(".github/workflows/plinth.yml"));
        Map<String, Object> on = at(wf, "on");
        assertTrue(on.containsKey("push") && on.containsKey("pull_request"), on.toString());

        List<Map<String, Object>> check = at(wf, "jobs", "check", "steps");
        assertEquals(List.of("mvn -B platform:validate", "mvn -B platform:verify"), runs(check));
        assertEquals("maven", at(step(check, "actions/setup-java@"), "with", "cache"));

        Map<String, Object> diff = at(wf, "jobs", "diff");
        assertEquals("github.event_name == 'pull_request'", diff.get("if"));
        assertEquals("write", at(diff, "permissions", "pull-requests"));
        List<Map<String, Object>> steps = at(diff, "steps");
        assertEquals(0, (Integer) at(step(steps, "actions/checkout@"), "with", "fetch-depth"));
        assertEquals("${{ github.event.pull_request.base.sha }}", at(steps.get(2), "env", "BASE"));
        assertEquals("mvn -B platform:diff -Dplatform.base=\"$BASE\" -Dplatform.format=markdown -Dplatform.output=diff.md", runs(steps).get(0));
        String script = at(step(steps, "actions/github-script@"), "with", "script");
        for (String s : List.of("const marker = '<!-- plinth-diff -->'", "readFileSync('diff.md'", "github.rest.issues.listComments",
                "updateComment", "createComment", "startsWith(marker)")) {
            assertTrue(script.contains(s), s);
        }
        assertCallsThePlugin(dir.resolve(".github/workflows/plinth.yml"));
    }

    @Test
    void theGitLabPipelineValidatesVerifiesAndNotesTheDiffOnce() throws Exception {
        Path dir = init("p");
        Map<String, Object> ci = yaml(dir.resolve(".gitlab-ci.yml"));
        assertEquals(List.of(".m2/repository"), at(ci, ".maven", "cache", "paths"));
        assertTrue(InitCommandTest.<String>at(ci, "variables", "MAVEN_OPTS").contains("-Dmaven.repo.local=$CI_PROJECT_DIR/.m2/repository"));
        assertEquals(List.of("mvn -B platform:validate", "mvn -B platform:verify"), at(ci, "validate", "script"));
        assertEquals(".maven", at(ci, "validate", "extends"));

        Map<String, Object> diff = at(ci, "diff");
        assertEquals("$CI_PIPELINE_SOURCE == \"merge_request_event\"", at(InitCommandTest.<List<Object>>at(diff, "rules").get(0), "if"));
        assertEquals("0", at(diff, "variables", "GIT_DEPTH"));
        assertEquals(List.of("mvn -B platform:diff -Dplatform.base=\"$CI_MERGE_REQUEST_DIFF_BASE_SHA\" -Dplatform.format=markdown -Dplatform.output=diff.md"),
                at(diff, "script"));
        assertEquals(List.of("diff.md"), at(diff, "artifacts", "paths"));

        Map<String, Object> note = at(ci, "diff-note");
        assertEquals(List.of("diff"), note.get("needs"));
        String script = String.join("\n", InitCommandTest.<List<String>>at(note, "script"));
        for (String s : List.of("marker='<!-- plinth-diff -->'", "merge_requests/$CI_MERGE_REQUEST_IID/notes", "PRIVATE-TOKEN: $PLINTH_GITLAB_TOKEN",
                "select(.body | startswith($m))", "-X PUT", "-X POST", "jq -Rs")) {
            assertTrue(script.contains(s), s);
        }
        assertCallsThePlugin(dir.resolve(".gitlab-ci.yml"));
    }

    private static Map<String, Object> step(List<Map<String, Object>> steps, String uses) {
        return steps.stream().filter(s -> String.valueOf(s.get("uses")).startsWith(uses)).findFirst()
                .orElseThrow(() -> new AssertionError("no step uses " + uses));
    }

    private static List<String> runs(List<Map<String, Object>> steps) {
        return steps.stream().filter(s -> s.containsKey("run") && String.valueOf(s.get("run")).startsWith("mvn"))
                .map(s -> (String) s.get("run")).toList();
    }

    /** Every platform:GOAL is a Mojo of the plugin and every -Dplatform.X one of its parameters' properties. */
    private static void assertCallsThePlugin(Path ciFile) throws Exception {
        String mojos;
        try (Stream<Path> s = Files.list(TestSupport.projectRoot().resolve("maven-plugin/src/main/java/dev/plinth/maven"))) {
            mojos = s.map(p -> {
                try {
                    return Files.readString(p);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).collect(Collectors.joining("\n"));
        }
        String ci = Files.readString(ciFile);
        Matcher goal = Pattern.compile("platform:([a-z]+)").matcher(ci);
        int goals = 0;
        while (goal.find()) {
            goals++;
            assertTrue(mojos.contains("@Mojo(name = \"" + goal.group(1) + "\""), goal.group());
        }
        assertTrue(goals >= 3, "validate, verify, diff");
        Matcher property = Pattern.compile("-D(platform\\.[a-zA-Z]+)").matcher(ci);
        while (property.find()) {
            assertTrue(mojos.contains("property = \"" + property.group(1) + "\""), property.group());
        }
    }
}
