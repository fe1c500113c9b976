package dev.plinth.check.api;

import dev.plinth.values.FieldPath;

import java.util.ArrayList;
import java.util.List;

/**
 * What the API server would say about one object: its problems, in the words of its own
 * validation ("Invalid value", "Required value", "Duplicate value", "Unsupported value",
 * "Forbidden"), and the Kubernetes minor of the cluster, for the rules that changed.
 */
public final class Problems {
    /**
     * One problem at a field path; {@code value} is the offending value (a string is placed at
     * its spec line); a warning is something the API server accepts but that cannot work.
     */
    public record Problem(String path, String message, Object value, boolean warning) {
    }

    private final List<Problem> list = new ArrayList<>();
    final int minor;

    Problems(int minor) {
        this.minor = minor;
    }

    List<Problem> list() {
        return list;
    }

    void invalid(FieldPath path, Object value, String reason) {
        String shown = "".equals(value) ? "Invalid value: " : "Invalid value '" + value + "': ";
        list.add(new Problem(path.toString(), shown + reason, "".equals(value) ? null : value, false));
    }

    void required(FieldPath path, String detail) {
        list.add(new Problem(path.toString(), "Required value" + (detail.isEmpty() ? "" : ": " + detail), null, false));
    }

    void duplicate(FieldPath path, Object value) {
        list.add(new Problem(path.toString(), "Duplicate value '" + value + "'", value, false));
    }

    void unsupported(FieldPath path, Object value, String supported) {
        list.add(new Problem(path.toString(), "Unsupported value '" + value + "': supported values: " + supported, value, false));
    }

    void forbidden(FieldPath path, String detail) {
        list.add(new Problem(path.toString(), "Forbidden: " + detail, null, false));
    }

    /** Something the API server accepts but that cannot work once running: an error all the same. */
    void cannotWork(FieldPath path, Object value, String message) {
        list.add(new Problem(path.toString(), message, value, false));
    }

    void warning(FieldPath path, Object value, String message) {
        list.add(new Problem(path.toString(), message, value, true));
    }

    /** Invalid for each reason a name rule gives (none when the value is fine). */
    void check(FieldPath path, String value, String reason) {
        if (reason != null) invalid(path, value, reason);
    }
}
