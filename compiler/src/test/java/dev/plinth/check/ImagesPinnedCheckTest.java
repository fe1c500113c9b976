package dev.plinth.check;

import org.junit.jupiter.api.Test;

import static dev.plinth.check.CheckFixture.error;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** images-pinned: every container image has a digest or a tag other than latest; no tag means latest. */
class ImagesPinnedCheckTest {
    private static final String CHECK = "images-pinned";
    private static final String CONTAINER = "spec.template.spec.containers[0].image";

    private static String deployment(String image) {
        return CheckFixture.deployment("web", "containers:\n  - name: web\n    image: " + image + "\n");
    }

    @Test
    void aVersionTagOrADigestIsPinned() {
        CheckFixture.app(deployment("registry.example.com/web:1.4.2")).run(CHECK).none();
        CheckFixture.app(deployment("registry.example.com/web@sha256:" + "a".repeat(64))).run(CHECK).none();
        CheckFixture.app(deployment("registry.example.com:5000/team/web:1.4.2")).run(CHECK).none();
    }

    @Test
    void theLatestTagIsAnError() {
        CheckFixture.app(deployment("registry.example.com/web:latest")).run(CHECK)
                .only(error("Deployment/team/web", CONTAINER, "image 'registry.example.com/web:latest' of container web uses the latest tag"));
    }

    @Test
    void noTagMeansLatest() {
        CheckFixture.app(deployment("nginx")).run(CHECK)
                .only(error("Deployment/team/web", CONTAINER, "image 'nginx' of container web has no tag, which means latest"));
    }

    @Test
    void aRegistryPortIsNotATag() {
        CheckFixture.app(deployment("registry.example.com:5000/web")).run(CHECK)
                .only(error("Deployment/team/web", CONTAINER, "has no tag"));
    }

    @Test
    void theFindingIsPlacedAtTheImageLine() {
        CheckFixture.Finding f = CheckFixture.app(deployment("nginx:latest")).run(CHECK)
                .only(error("Deployment/team/web", CONTAINER, "latest tag"));
        assertEquals("environments/live/apps/web.yaml:11:18", f.loc());
    }

    @Test
    void initContainersCronJobsAndPodsAreChecked() {
        CheckFixture.app(CheckFixture.cronJob("nightly", """
                initContainers: [{name: migrate, image: "tools:latest"}]
                containers: [{name: job, image: "job:2.0"}]
                """) + """
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: debug}
                spec:
                  containers: [{name: shell, image: busybox}]
                """).run(CHECK).exactly(
                error("CronJob/team/nightly", "spec.jobTemplate.spec.template.spec.initContainers[0].image", "container migrate uses the latest tag"),
                error("Pod/team/debug", "spec.containers[0].image", "container shell has no tag"));
    }

    @Test
    void imagesOutsideBuiltInWorkloadsAreNotRead() {
        // a custom resource's image field is the operator's business, and a ConfigMap's value is text
        CheckFixture.app("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: images}
                data: {image: "nginx:latest"}
                """).run(CHECK).none();
        CheckFixture.cluster().operator("flink").tenant("team").app("web", "team").objects("web", """
                apiVersion: flink.apache.org/v1beta1
                kind: FlinkDeployment
                metadata: {name: jobs}
                spec: {image: "flink:latest"}
                """).run(CHECK).none();
    }

    @Test
    void anAppOrTenantWaiverSuppressesTheFinding() {
        CheckFixture.app(deployment("nginx")).waiver("web", CHECK).run(CHECK).none();
        CheckFixture.app(deployment("nginx")).waiver("team", CHECK).run(CHECK).none();
        // a waiver of another check does not
        CheckFixture.app(deployment("nginx")).waiver("web", "resources").run(CHECK).only(error("Deployment/team/web", CONTAINER, "no tag"));
    }
}
