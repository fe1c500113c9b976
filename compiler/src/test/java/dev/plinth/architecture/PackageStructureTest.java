package dev.plinth.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The compiler's packages form no import cycle: each package (subpackages apart) is a slice, so
 * that a stage can be read, tested and replaced without the ones that use it.
 */
@AnalyzeClasses(packages = "dev.plinth", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageStructureTest {
    /** Every package of dev.plinth, the root package included, as a slice of its own. */
    private static final SliceAssignment PACKAGES = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
            return c.getPackageName().startsWith("dev.plinth") ? SliceIdentifier.of(c.getPackageName()) : SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
            return "the packages of dev.plinth";
        }
    };

    @ArchTest
    static final ArchRule packagesHaveNoCycles = slices().assignedFrom(PACKAGES).should().beFreeOfCycles();
}
