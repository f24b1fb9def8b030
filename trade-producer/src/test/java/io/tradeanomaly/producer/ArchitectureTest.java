package io.tradeanomaly.producer;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.tradeanomaly.producer");

    @Test
    void theGeneratorIsPure() {
        noClasses()
                .that()
                .resideInAPackage("..producer.generator..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("software.amazon..", "org.springframework..", "io.micrometer..")
                .check(classes);
    }

    @Test
    void theProducerDoesNotDependOnOtherServices() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.tradeanomaly.detector..", "io.tradeanomaly.archiver..", "io.tradeanomaly.localaws..")
                .check(classes);
    }
}
