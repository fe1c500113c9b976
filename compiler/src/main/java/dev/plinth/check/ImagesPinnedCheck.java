package dev.plinth.check;

import dev.plinth.render.RenderedObject;

/** Images are pinned: a digest, or a tag that is not {@code latest}. An image without a tag means latest. */
final class ImagesPinnedCheck implements ObjectCheck {
    @Override
    public String id() {
        return "images-pinned";
    }

    @Override
    public void check(RenderedObject o, String kubeVersion, CheckContext context, Findings findings) {
        Workloads.PodTemplate pod = Workloads.podTemplate(o);
        if (pod == null) return;
        for (Workloads.Container c : Workloads.containers(pod)) {
            Object image = c.body().get("image");
            if (!(image instanceof String img) || img.contains("@sha256:")) continue;
            String tag = tag(img);
            if (tag == null) {
                findings.error(id(), o, c.path() + ".image", "image '" + img + "' of container " + c.name()
                        + " has no tag, which means latest; pin a version tag or a digest", img);
            } else if (tag.equals("latest")) {
                findings.error(id(), o, c.path() + ".image", "image '" + img + "' of container " + c.name()
                        + " uses the latest tag; pin a version tag or a digest", img);
            }
        }
    }

    /** The tag of an image reference, or null; a registry port (host:5000/x) is not a tag. */
    static String tag(String image) {
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        return colon > slash ? image.substring(colon + 1) : null;
    }
}
