package dev.plinth.diag;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Collects findings from every stage so the user sees all of them at once, not the first. */
public final class Diagnostics {
    private final Set<Diagnostic> items = new LinkedHashSet<>();

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
        List<Diagnostic> list = new ArrayList<>(items);
        list.sort(Comparator.comparing(Diagnostic::loc).thenComparing(Diagnostic::format));
        return list;
    }

    /** Throws if any error was collected; stages call this at their end. */
    public void throwIfErrors() {
        if (hasErrors()) throw new PlinthException(this);
    }
}
