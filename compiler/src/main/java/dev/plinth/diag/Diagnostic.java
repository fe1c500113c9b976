package dev.plinth.diag;

/**
 * One finding, printed as {@code FILE:LINE:COL: error[CHECK]: MESSAGE} (SPEC §5).
 *
 * @param checkId null for plain input errors, otherwise the id of the check that produced it
 */
public record Diagnostic(Loc loc, Severity severity, String checkId, String message) {

    public enum Severity {
        ERROR, WARNING;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static Diagnostic error(Loc loc, String message) {
        return new Diagnostic(loc, Severity.ERROR, null, message);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    public String format() {
        String kind = checkId == null ? severity.label() : severity.label() + "[" + checkId + "]";
        return loc + ": " + kind + ": " + message;
    }

    @Override
    public String toString() {
        return format();
    }
}
