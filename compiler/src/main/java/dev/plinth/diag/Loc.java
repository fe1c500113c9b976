package dev.plinth.diag;

/**
 * A position in a platform file: path relative to the platform root (with '/' separators),
 * 1-based line and column. A problem with a whole file (or folder) is placed at 1:1 so every
 * message keeps the FILE:LINE:COL shape.
 */
public record Loc(String file, int line, int column) implements Comparable<Loc> {

    public static Loc file(String file) {
        return new Loc(file, 1, 1);
    }

    @Override
    public String toString() {
        return line <= 0 ? file : file + ":" + line + ":" + column;
    }

    @Override
    public int compareTo(Loc o) {
        int c = file.compareTo(o.file);
        if (c != 0) return c;
        c = Integer.compare(line, o.line);
        return c != 0 ? c : Integer.compare(column, o.column);
    }
}
