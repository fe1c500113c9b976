package dev.plinth.spec;

import dev.plinth.TestSupport;
import dev.plinth.diag.PlinthException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Arbitrary;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.plinth.cache.SpecCache;

/**
 * Property-based: a platform whose app file was edited at random loads, or fails with input
 * errors (a PlinthException), with or without a spec cache from a clean load: never another
 * exception, never a hang.
 */
class SpecLoaderPropertiesTest {
    private static final Path ROOT;
    private static final Path CACHE;

    static {
        ROOT = TestSupport.tempDirectory("plinth-loader-props");
        CACHE = TestSupport.tempDirectory("plinth-loader-cache");
        TestSupport.writeLiveEnvironment(ROOT, "1.30", "team");
        TestSupport.write(ROOT.resolve("environments/live/apps/shop.yaml"), dev.plinth.yaml.YamlReaderPropertiesTestAccess.SPEC);
        SpecCache cache = SpecCache.load(CACHE);
        try {
            SpecLoader.load(ROOT, cache);
        } catch (PlinthException e) {
            // the sample's component type is not checked here; the parsed files are kept
        }
        cache.save();
    }

    @Provide
    Arbitrary<String> mutatedSpecs() {
        return new dev.plinth.yaml.YamlReaderPropertiesTestAccess().mutatedSpecs();
    }

    @Property(tries = 150)
    void anEditedAppFileLoadsOrFailsWithInputErrors(@ForAll("mutatedSpecs") String text, @ForAll boolean cached) throws IOException {
        // a lone surrogate becomes '?', as any UTF-8 writer makes it
        Files.write(ROOT.resolve("environments/live/apps/shop.yaml"), text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try {
            SpecLoader.load(ROOT, cached ? SpecCache.load(CACHE) : SpecCache.disabled());
        } catch (PlinthException expected) {
            // input errors, each at a position
        }
    }
}
