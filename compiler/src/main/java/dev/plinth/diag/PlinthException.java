package dev.plinth.diag;

/** Errors in the user's input: reported as diagnostics, exit status 1, output untouched. */
public final class PlinthException extends RuntimeException {
    private final transient Diagnostics diagnostics;

    public PlinthException(Diagnostics diagnostics) {
        super(diagnostics.errorCount() + " error(s)");
        this.diagnostics = diagnostics;
    }

    public static PlinthException of(Loc loc, String message) {
        Diagnostics d = new Diagnostics();
        d.error(loc, message);
        return new PlinthException(d);
    }

    public Diagnostics diagnostics() {
        return diagnostics;
    }
}
