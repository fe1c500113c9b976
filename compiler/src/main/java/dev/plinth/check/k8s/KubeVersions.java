package dev.plinth.check.k8s;

/** Reading Kubernetes versions ("1.30", "v1.30", "1.30.2") for the rules that changed between minors. */
public final class KubeVersions {
    private KubeVersions() {
    }

    /**
     * The minor of a 1.x version, or {@code unreadable} when it is not one (cluster versions are
     * checked by the spec schema; the API version table's entries are the project's own).
     */
    public static int minor(String version, int unreadable) {
        if (version == null) return unreadable;
        int i = version.startsWith("v") ? 1 : 0;
        if (!version.startsWith("1.", i)) return unreadable;
        int minor = 0;
        int digits = 0;
        for (i += 2; i < version.length() && digits < 4; i++, digits++) {
            char c = version.charAt(i);
            if (c < '0' || c > '9') break;
            minor = minor * 10 + (c - '0');
        }
        return digits == 0 ? unreadable : minor;
    }
}
