package dev.plinth.cli;

import dev.plinth.TestSupport;
import dev.plinth.TestSupport.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.plinth.cli.PlinthCli.INPUT_ERRORS;
import static dev.plinth.cli.PlinthCli.OK;
import static dev.plinth.cli.PlinthCli.USAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code plinth explain} (docs/authoring.md): what it prints for types, traits, spec kinds and
 * their fields, and its exit statuses. An empty root has only the built-in library.
 */
class ExplainCliTest {
    @TempDir
    Path tmp;

    private Run explain(Path root, String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "explain";
        all[1] = "-r";
        all[2] = root.toString();
        System.arraycopy(args, 0, all, 3, args.length);
        return TestSupport.plinth(all);
    }

    @Test
    void aComponentTypeShowsItsDescriptionExampleAndFields() {
        Run r = explain(tmp, "webservice");
        assertEquals(OK, r.exit(), r.err());
        assertTrue(r.out().startsWith("COMPONENT: webservice\nSOURCE:    <builtin>/components/webservice.libsonnet\n\n"
                + "DESCRIPTION:\n    A long-running HTTP service: Deployment and ClusterIP Service"), r.out());
        assertTrue(r.out().contains("\nEXAMPLE:\n    components:\n      - name: api\n        type: webservice\n"), r.out());
        // sorted by name, first description line, required marked, types spelled out
        assertTrue(r.out().contains("\nFIELDS:\n  args <[]string>\n    Arguments.\n\n  command <[]string>\n"), r.out());
        assertTrue(r.out().contains("\n  env <map of (string or object)>\n"), r.out());
        assertTrue(r.out().contains("\n  image <string> -required-\n    Container image, pinned by tag or digest.\n"), r.out());
        assertFalse(r.out().contains("liveness"), "without --recursive only one level");
        assertEquals("", r.err());
    }

    @Test
    void aNestedFieldShowsTypeDefaultAndLimits() {
        Run r = explain(tmp, "webservice.probes.liveness");
        assertEquals(OK, r.exit(), r.err());
        assertEquals("""
                COMPONENT: webservice
                SOURCE:    <builtin>/components/webservice.libsonnet
                FIELD:     probes.liveness <string>

                DESCRIPTION:
                    Liveness path.

                DEFAULT: "/healthz"
                REQUIRED: no
                """, r.out());
        Run port = explain(tmp, "webservice.port");
        assertEquals(OK, port.exit(), port.err());
        assertTrue(port.out().contains("\nDEFAULT: 8080\nMINIMUM: 1\nMAXIMUM: 65535\nREQUIRED: no\n"), port.out());
    }

    @Test
    void aTraitShowsWhatItAppliesTo() {
        Run r = explain(tmp, "metrics");
        assertEquals(OK, r.exit(), r.err());
        assertTrue(r.out().startsWith("TRAIT:      metrics\nSOURCE:     <builtin>/traits/metrics.libsonnet\nAPPLIES TO: Deployment, "), r.out());
        assertTrue(r.out().contains("\n  port <integer>\n    Metrics port"), r.out());
        assertEquals(r.out(), explain(tmp, "trait/metrics").out());
    }

    @Test
    void aSpecKindIsCaseInsensitiveAndArraysAreEnteredByTheirItems() {
        Run r = explain(tmp, "tenant.spec.network.allowFrom.namespace");
        assertEquals(OK, r.exit(), r.err());
        assertTrue(r.out().startsWith("KIND:    Tenant\nVERSION: plinth.dev/v1alpha1\nFIELD:   spec.network.allowFrom.namespace <string>\n"), r.out());
        Run isolation = explain(tmp, "Tenant.spec.network.isolation");
        assertEquals(OK, isolation.exit(), isolation.err());
        assertTrue(isolation.out().contains("\nDEFAULT: \"tenant\"\nALLOWED VALUES: \"tenant\", \"none\"\nREQUIRED: no\n"), isolation.out());
        Run allowFrom = explain(tmp, "Tenant.spec.network.allowFrom");
        assertTrue(allowFrom.out().contains("FIELD:   spec.network.allowFrom <[]object>\n"), allowFrom.out());
        assertTrue(allowFrom.out().endsWith("\nFIELDS:\n  namespace <string>\n  namespaceSelector <map of string>\n  podSelector <map of string>\n"),
                allowFrom.out());
    }

    @Test
    void recursivePrintsTheTreeIndented() {
        Run r = explain(tmp, "Tenant.spec.network", "--recursive");
        assertEquals(OK, r.exit(), r.err());
        assertTrue(r.out().endsWith("""
                FIELDS:
                  allowFrom <[]object>
                    namespace <string>
                    namespaceSelector <map of string>
                    podSelector <map of string>
                  allowTo <[]object>
                    cidr <string>
                    namespace <string>
                    namespaceSelector <map of string>
                    ports <[]integer>
                  isolation <string>
                """), r.out());
        Run type = explain(tmp, "webservice", "--recursive");
        assertEquals(OK, type.exit(), type.err());
        assertTrue(type.out().contains("\n  probes <object>\n    initialDelaySeconds <integer>\n    liveness <string>\n"), type.out());
        // a oneOf value's object alternative, inside a map
        assertTrue(type.out().contains("\n  env <map of (string or object)>\n    configMapKeyRef <object>\n      key <string> -required-\n"), type.out());
    }

    @Test
    void unknownPartsExitOneNamingTheKnownOnes() {
        Run field = explain(tmp, "webservice.probes.livenes");
        assertEquals(INPUT_ERRORS, field.exit());
        assertEquals("", field.out());
        assertEquals("plinth explain: error: unknown field 'livenes' in webservice.probes"
                + " (known: initialDelaySeconds, liveness, periodSeconds, readiness)\n1 error\n", field.err());

        Run scalar = explain(tmp, "webservice.port.number");
        assertEquals(INPUT_ERRORS, scalar.exit());
        assertTrue(scalar.err().startsWith("plinth explain: error: webservice.port is <integer> and has no fields (no 'number')\n"), scalar.err());

        Run type = explain(tmp, "websrvice");
        assertEquals(INPUT_ERRORS, type.exit());
        assertTrue(type.err().startsWith("plinth explain: error: unknown type or kind 'websrvice' (known kinds: Platform, Environment, Tenant, Application;"
                + " component types: cronjob, "), type.err());
        assertTrue(type.err().contains("; traits: alerts, autoscale, "), type.err());

        Run trait = explain(tmp, "trait/webservice");
        assertEquals(INPUT_ERRORS, trait.exit());
        assertTrue(trait.err().startsWith("plinth explain: error: unknown trait 'webservice' (known: alerts, "), trait.err());
    }

    @Test
    void wrongInvocationsExitTwo() {
        assertEquals(USAGE, explain(tmp.resolve("missing"), "webservice").exit());
        assertEquals(USAGE, TestSupport.plinth("explain").exit());
    }

    @Test
    void aPlatformsOwnLibraryComesFirstAndSharedNamesNeedAPrefix() throws IOException {
        Path root = tmp.resolve("p");
        TestSupport.copyTree(TestSupport.projectRoot().resolve("tests/golden/06-user-defined-types/input"), root);
        Run site = explain(root, "static-site");
        assertEquals(OK, site.exit(), site.err());
        assertEquals("""
                COMPONENT: static-site
                SOURCE:    defs/components/static-site.libsonnet

                DESCRIPTION:
                    A static web site served by nginx from a ConfigMap.

                FIELDS:
                  cache <string>

                  image <string>

                  pages <map of string> -required-
                    File name -> HTML.

                  replicas <integer>
                """, site.out());
        Run cache = explain(root, "static-site.cache");
        assertTrue(cache.out().contains("\nDEFAULT: \"short\"\nALLOWED VALUES: \"off\", \"short\", \"long\"\n"), cache.out());
        // the platform's logs trait replaces the built-in one
        Run logs = explain(root, "logs");
        assertEquals(OK, logs.exit(), logs.err());
        assertTrue(logs.out().startsWith("TRAIT:      logs\nSOURCE:     defs/traits/logs.libsonnet\nAPPLIES TO: *\n"), logs.out());
        assertTrue(logs.out().endsWith("FIELDS:\n  index <string>\n"), logs.out());

        // a component type of the same name as a trait
        Files.copy(root.resolve("defs/components/static-site.libsonnet"), root.resolve("defs/components/metrics.libsonnet"));
        Run both = explain(root, "metrics");
        assertEquals(INPUT_ERRORS, both.exit());
        assertEquals("plinth explain: error: 'metrics' names more than one thing (component/metrics, trait/metrics): write one of these\n1 error\n",
                both.err());
        Run component = explain(root, "component/metrics.pages");
        assertEquals(OK, component.exit(), component.err());
        assertTrue(component.out().startsWith("COMPONENT: metrics\nSOURCE:    defs/components/metrics.libsonnet\nFIELD:     pages <map of string>\n"),
                component.out());
        assertTrue(component.out().endsWith("REQUIRED: yes\n"), component.out());
        Run trait = explain(root, "trait/metrics");
        assertEquals(OK, trait.exit(), trait.err());
        assertTrue(trait.out().startsWith("TRAIT:      metrics\nSOURCE:     <builtin>/traits/metrics.libsonnet\n"), trait.out());
    }
}
