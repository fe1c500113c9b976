package dev.plinth.yaml;

/** The sample spec of {@link YamlReaderPropertiesTest}, for property tests of other packages. */
public final class YamlReaderPropertiesTestAccess {
    public static final String SPEC = YamlReaderPropertiesTest.SPEC;

    /** Random edits of {@link #SPEC} (see {@link YamlReaderPropertiesTest#mutatedSpecs}). */
    public net.jqwik.api.Arbitrary<String> mutatedSpecs() {
        return new YamlReaderPropertiesTest().mutatedSpecs();
    }
}
