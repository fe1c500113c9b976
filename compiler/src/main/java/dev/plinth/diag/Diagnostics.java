package dev.plinth.diag;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import dev.plinth.secrets.Redaction;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Collects findings from every stage so the user sees all of them at once, not the first. What
 * it hands out ({@link #sorted}) has the values secret checks flagged masked in every message.
 */
public final class Diagnostics {
    private final Set<Diagnostic> items = new LinkedHashSet<>();
    /** Values a secret check flagged: no finding prints them, whichever check wrote it (see {@link #sorted}). */
    private final Set<String> secrets = ConcurrentHashMap.newKeySet();

    /**
     * Keeps {@code value} out of every message: a secret the detectors know only by its name
     * ({@code DB_PASSWORD: hunter2!}) that another check quotes (an admission policy's message,
     * an invalid label value) is masked too. Values shorter than 4 characters are ignored.
     */
    public void secret(String value) {
        if (value != null && value.length() >= 4) secrets.add(value);
    }

    public void error(Loc loc, String message) {
        items.add(Diagnostic.error(loc, message));
    }

    public void error(Loc loc, String checkId, String message) {
        items.add(new Diagnostic(loc, Diagnostic.Severity.ERROR, checkId, message));
    }

    public void warning(Loc loc, String checkId, String message) {
        items.add(new Diagnostic(loc, Diagnostic.Severity.WARNING, checkId, message));
    }

    public void add(Diagnostic d) {
        items.add(d);
    }

    public void addAll(Diagnostics other) {
        items.addAll(other.items);
        secrets.addAll(other.secrets);
    }

    public boolean hasErrors() {
        return items.stream().anyMatch(Diagnostic::isError);
    }

    public boolean hasWarnings() {
        return items.stream().anyMatch(d -> !d.isError());
    }

    public long errorCount() {
        return items.stream().filter(Diagnostic::isError).count();
    }

    public long warningCount() {
        return items.size() - errorCount();
    }

    /** Sorted by file, line and column so output does not depend on evaluation order. */
    public List<Diagnostic> sorted() {
        List<Diagnostic> list = new ArrayList<>(items.size());
        for (Diagnostic d : items) list.add(secrets.isEmpty() ? d : masked(d));
        list.sort(Comparator.comparing(Diagnostic::loc).thenComparing(Diagnostic::format));
        return list;
    }

    private Diagnostic masked(Diagnostic d) {
        String message = d.message();
        for (String secret : secrets) {
            if (message.contains(secret)) message = message.replace(secret, Redaction.MASK);
        }
        return message.equals(d.message()) ? d : new Diagnostic(d.loc(), d.severity(), d.checkId(), message, d.subject());
    }

    /** Throws if any error was collected; stages call this at their end. */
    public void throwIfErrors() {
        if (hasErrors()) throw new PlinthException(this);
    }
}
