package dev.plinth.definitions;

import scala.collection.mutable.HashMap;

/**
 * A file in the library as sjsonnet sees it. Unlike sjsonnet's OsPath it can name built-ins
 * inside a jar, and it renders positions from the content the {@link Library} holds.
 */
final class LibPath implements sjsonnet.Path {
    private final String path;
    private final Library library;

    LibPath(String path, Library library) {
        this.path = path;
        this.library = library;
    }

    String path() {
        return path;
    }

    @Override
    public String relativeToString(sjsonnet.Path p) {
        return library.display(path);
    }

    @Override
    public sjsonnet.Path parent() {
        int i = path.lastIndexOf('/');
        return new LibPath(i <= 0 ? "/" : path.substring(0, i), library);
    }

    @Override
    public int segmentCount() {
        return (int) path.chars().filter(c -> c == '/').count();
    }

    @Override
    public String last() {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    @Override
    public sjsonnet.Path $div(String s) {
        return new LibPath(path.endsWith("/") ? path + s : path + "/" + s, library);
    }

    @Override
    public String renderOffsetStr(int offset, HashMap<sjsonnet.Path, int[]> cache) {
        String text = library.source(path);
        int line = 1;
        int col = 1;
        for (int i = 0; i < Math.min(offset, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return library.display(path) + ":" + line + ":" + col;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LibPath other && other.path.equals(path);
    }

    @Override
    public int hashCode() {
        return path.hashCode();
    }

    @Override
    public String toString() {
        return path;
    }
}
