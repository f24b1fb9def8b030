package io.tradeanomaly.detector;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.tradeanomaly.detector");

    @Test
    void scoringIsPure() {
        noClasses()
                .that()
                .resideInAPackage("..detector.scoring..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("software.amazon.awssdk..", "software.amazon.kinesis..", "org.springframework..")
                .check(classes);
    }

    @Test
    void theDetectorDoesNotDependOnOtherServices() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.tradeanomaly.producer..", "io.tradeanomaly.archiver..", "io.tradeanomaly.localaws..")
                .check(classes);
    }
}
