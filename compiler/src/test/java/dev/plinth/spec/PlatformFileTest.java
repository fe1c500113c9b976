package dev.plinth.spec;

import dev.plinth.TestSupport;
import dev.plinth.yaml.PNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** platform.yaml is parsed once per run: the read that finds the output hands its documents to the load. */
class PlatformFileTest {
    @TempDir
    Path tmp;

    private static final String PLATFORM = "apiVersion: plinth.dev/v1\nkind: Platform\nmetadata: {name: p}\nspec: {output: out}\n";

    @Test
    void theDocumentsOfACleanPlatformFileAreServedToTheLoad() {
        TestSupport.write(tmp.resolve("platform.yaml"), PLATFORM);
        SpecLoader.PlatformFile file = SpecLoader.readPlatformFile(tmp);
        assertEquals(tmp.resolve("out"), file.output());
        assertNotNull(file.docs());
        List<String> asked = new ArrayList<>();
        ParsedSpecs underneath = new ParsedSpecs() {
            @Override
            public List<PNode> lookup(String rel, String text) {
                asked.add(rel);
                return null;
            }
        };
        ParsedSpecs served = file.before(underneath);
        assertSame(file.docs(), served.lookup("platform.yaml", PLATFORM));
        assertNull(served.lookup("platform.yaml", PLATFORM + "# edited since\n"), "another text is not served");
        assertNull(served.lookup("environments/base/environment.yaml", "x"));
        assertEquals(List.of("platform.yaml", "environments/base/environment.yaml"), asked);
    }

    @Test
    void aPlatformFileWithProblemsIsParsedAgainByTheLoadWhichReportsThem() {
        TestSupport.write(tmp.resolve("platform.yaml"), PLATFORM + "spec: {output: twice}\n");
        SpecLoader.PlatformFile file = SpecLoader.readPlatformFile(tmp);
        assertNull(file.docs());
        assertSame(ParsedSpecs.NONE, file.before(ParsedSpecs.NONE));
    }
}
