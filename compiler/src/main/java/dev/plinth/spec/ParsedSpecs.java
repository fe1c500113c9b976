package dev.plinth.spec;

import dev.plinth.yaml.PNode;

import java.util.List;

/**
 * What the load stage asks of a cache of parsed spec files (the spec cache, in the cache
 * package, implements it): a file's documents as the last load parsed them from the same text.
 * The stage works the same with {@link #NONE}, only slower.
 */
public interface ParsedSpecs {
    /** Remembers nothing: every file is parsed. */
    ParsedSpecs NONE = new ParsedSpecs() {
    };

    /** The documents parsed from exactly this text of the file, or null. */
    default List<PNode> lookup(String rel, String text) {
        return null;
    }

    /** Keeps the documents of a file that parsed without errors or warnings. */
    default void store(String rel, String text, List<PNode> docs) {
    }

    /** A file's documents already parsed cleanly from this text, served before what this has (which still keeps them). */
    default ParsedSpecs with(String file, String parsedText, List<PNode> parsedDocs) {
        ParsedSpecs next = this;
        return new ParsedSpecs() {
            @Override
            public List<PNode> lookup(String rel, String text) {
                return rel.equals(file) && text.equals(parsedText) ? parsedDocs : next.lookup(rel, text);
            }

            @Override
            public void store(String rel, String text, List<PNode> docs) {
                next.store(rel, text, docs);
            }
        };
    }
}
