package dev.plinth.diag;

import dev.plinth.secrets.Redaction;
import java.util.Locale;

/**
 * One finding, printed as {@code FILE:LINE:COL: error[CHECK]: MESSAGE} (docs/spec.md, Commands and errors). Its message and
 * field path are redacted when it is made ({@link dev.plinth.secrets.Redaction#text}): no token,
 * private key or URL password reaches the text or JSON findings, whichever check or error wrote it.
 *
 * @param checkId null for plain input errors, otherwise the id of the check that produced it
 */
public record Diagnostic(Loc loc, Severity severity, String checkId, String message, Subject subject) {

    /** The rendered object a finding is about, and the field in it; null for input errors. */
    public record Subject(String cluster, String namespace, String kind, String name, String path) {
        public Subject {
            path = Redaction.text(path); // a ConfigMap key may be the token
        }

        /** "(cluster namespace Kind/name path)", as printed after a finding's message. */
        public String describe() {
            StringBuilder sb = new StringBuilder("(").append(cluster);
            if (namespace != null) sb.append(' ').append(namespace);
            sb.append(' ').append(kind).append('/').append(name);
            if (path != null && !path.isEmpty()) sb.append(' ').append(path);
            return sb.append(')').toString();
        }
    }

    public Diagnostic {
        message = Redaction.text(message);
        // publish places its errors at the target repository, which may be a URL with a password
        if (loc != null && loc.file().contains("://")) loc = new Loc(Redaction.text(loc.file()), loc.line(), loc.column());
    }

    public Diagnostic(Loc loc, Severity severity, String checkId, String message) {
        this(loc, severity, checkId, message, null);
    }

    public enum Severity {
        ERROR, WARNING;

        String label() {
            return name().toLowerCase(Locale.ROOT);
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
        return loc + ": " + kind + ": " + message + (subject == null ? "" : " " + subject.describe());
    }

    @Override
    public String toString() {
        return format();
    }
}
