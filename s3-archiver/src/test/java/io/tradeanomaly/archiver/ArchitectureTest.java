package io.tradeanomaly.archiver;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.tradeanomaly.archiver");

    @Test
    void partitioningIsPure() {
        noClasses()
                .that()
                .resideInAPackage("..archiver.partitioning..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("software.amazon..", "org.springframework..", "io.micrometer..")
                .check(classes);
    }

    @Test
    void theArchiverDoesNotDependOnOtherServices() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.tradeanomaly.producer..", "io.tradeanomaly.detector..", "io.tradeanomaly.localaws..")
                .check(classes);
    }
}
