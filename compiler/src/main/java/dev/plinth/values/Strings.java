package dev.plinth.values;

/** Text checks the caches need. */
public final class Strings {
    private Strings() {
    }

    /**
     * True when the string has a surrogate without its pair (YAML and Jsonnet escapes such as
     * "\ud83d" make them): it has no UTF-8 form, so the caches, which are UTF-8, skip it.
     */
    public static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) i++;
                else return true;
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}
