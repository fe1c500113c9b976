package dev.plinth.docs;

import dev.plinth.TestSupport;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fails when docs/library.md no longer matches the definitions; -Dgolden.update=true rewrites it. */
class LibraryReferenceTest {
    @Test
    void committedReferenceIsCurrent() throws Exception {
        Path file = TestSupport.projectRoot().resolve("docs/library.md");
        String generated = LibraryReference.generate();
        assertTrue(generated.contains("### webservice") && generated.contains("### scheduling"));
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(file, generated, StandardCharsets.UTF_8);
            return;
        }
        assertTrue(Files.exists(file), "docs/library.md is missing: run mvn -pl compiler test -Dtest=LibraryReferenceTest -Dgolden.update=true");
        assertEquals(generated, Files.readString(file, StandardCharsets.UTF_8),
                "docs/library.md is stale: run mvn -pl compiler test -Dtest=LibraryReferenceTest -Dgolden.update=true");
    }
}
