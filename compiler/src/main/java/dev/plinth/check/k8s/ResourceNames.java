package dev.plinth.check.k8s;

import java.util.Locale;

/** How the API server names the resource a kind is served as (what RBAC rules and admission rules match). */
public final class ResourceNames {
    private ResourceNames() {
    }

    /**
     * The resource (plural) of a kind: the CRD's {@code names.plural} when given, else lowercase
     * with {@code -s} taking {@code -es}, {@code -y} after a consonant {@code -ies}, and
     * {@code Endpoints} kept, which is right for every built-in kind. (The API machinery's own
     * guess, {@code UnsafeGuessKindToResource}, differs for a {@code -y} after a vowel; CRDs
     * name their plural, so only built-in kinds reach the rule.)
     */
    public static String resourceOf(String kind, String crdPlural) {
        if (crdPlural != null && !crdPlural.isEmpty()) return crdPlural;
        String k = kind.toLowerCase(Locale.ROOT);
        if (k.equals("endpoints")) return k;
        if (k.endsWith("s")) return k + "es";
        if (k.endsWith("y") && k.length() > 1 && "aeiou".indexOf(k.charAt(k.length() - 2)) < 0) {
            return k.substring(0, k.length() - 1) + "ies";
        }
        return k + "s";
    }
}
