package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The module arrows of DESIGN.md, checked on the compiled classes (the build also bans the
 * dependencies themselves): engine-core imports the JDK only; a tier or the parser never imports
 * another tier, the parser or the data node.
 */
class ModuleArrowsTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.strata");

    @Test
    void engineCoreDependsOnTheJdkOnly() {
        noClasses().that().resideInAPackage("dev.strata.core..")
                .should().dependOnClassesThat().resideOutsideOfPackages("dev.strata.core..", "java..")
                .check(CLASSES);
    }

    /** Hazelcast stays inside cluster-hazelcast: the data node speaks the ClusterFabric SPI, and no other module names it. */
    @Test
    void onlyClusterHazelcastImportsHazelcast() {
        noClasses().that().resideOutsideOfPackage("dev.strata.cluster.hazelcast..")
                .should().dependOnClassesThat().resideInAPackage("com.hazelcast..")
                .because("the data node reaches the cluster through dev.strata.node.cluster.ClusterFabric, found by ServiceLoader")
                .check(CLASSES);
        assertThat(CLASSES.contain("dev.strata.cluster.hazelcast.HazelcastFabric")).as("the module is on the class path checked").isTrue();
    }

    /** The data node talks to the tiers through engine-core's SPI only (it finds them with ServiceLoader). */
    @Test
    void theDataNodeImportsNoTier() {
        for (String tier : new String[] {"dev.strata.expr..", "dev.strata.wasm..", "dev.strata.python.."}) {
            noClasses().that().resideInAPackage("dev.strata.node..")
                    .should().dependOnClassesThat().resideInAPackage(tier)
                    .because("data-node reaches the tiers through dev.strata.core.spi (TierProvider and its capabilities)")
                    .check(CLASSES);
        }
    }

    /**
     * Inside the data node, each package is one step of a query's way or one concern, and the
     * arrows point one way: storage and indexes know nothing of planning; the tier registry knows
     * nothing of storage, planning or execution; planning knows nothing of
     * execution; execution knows nothing of the HTTP API, the CLI or the replies they share; the
     * typed replies know nothing of the HTTP API or the CLI; the HTTP API nothing of the CLI; access
     * control (scopes and tokens) knows nothing of the rest; and the cluster (the fabric SPI and the
     * distributed query) sits above storage, planning and execution, which know nothing of it.
     */
    @Test
    void dataNodePackagesFollowTheQuerysWay() {
        String[][] rules = {
            {"dev.strata.node.storage..", "dev.strata.node.plan..", "dev.strata.node.exec..", "dev.strata.node.http..",
                "dev.strata.node.cli..", "dev.strata.node.api..", "dev.strata.node.cluster.."},
            {"dev.strata.node.index..", "dev.strata.node.plan..", "dev.strata.node.exec..", "dev.strata.node.http..",
                "dev.strata.node.cli..", "dev.strata.node.api..", "dev.strata.node.cluster.."},
            {"dev.strata.node.tier..", "dev.strata.node.plan..", "dev.strata.node.exec..", "dev.strata.node.http..", "dev.strata.node.cli..",
                "dev.strata.node.api..", "dev.strata.node.storage..", "dev.strata.node.cluster.."},
            {"dev.strata.node.plan..", "dev.strata.node.exec..", "dev.strata.node.http..", "dev.strata.node.cli..", "dev.strata.node.api..", "dev.strata.node.cluster.."},
            {"dev.strata.node.exec..", "dev.strata.node.http..", "dev.strata.node.cli..", "dev.strata.node.api..", "dev.strata.node.cluster.."},
            {"dev.strata.node.api..", "dev.strata.node.http..", "dev.strata.node.cli..", "dev.strata.node.cluster.."},
            {"dev.strata.node.http..", "dev.strata.node.cli.."},
            {"dev.strata.node.access..", "dev.strata.node.storage..", "dev.strata.node.index..", "dev.strata.node.tier..",
                "dev.strata.node.plan..", "dev.strata.node.exec..", "dev.strata.node.api..", "dev.strata.node.http..", "dev.strata.node.cli..", "dev.strata.node.cluster.."},
        };
        for (String[] rule : rules) {
            noClasses().that().resideInAPackage(rule[0])
                    .should().dependOnClassesThat().resideInAnyPackage(java.util.Arrays.copyOfRange(rule, 1, rule.length))
                    .check(CLASSES);
        }
    }

    /** Each tier jar has a module descriptor that exports its public package and keeps {@code internal} closed. */
    @Test
    void tierModulesKeepTheirInternalPackagesClosed() throws java.io.IOException {
        java.util.Map<String, java.lang.module.ModuleDescriptor> modules = new java.util.TreeMap<>();
        var found = ModuleArrowsTest.class.getClassLoader().getResources("module-info.class");
        while (found.hasMoreElements()) {
            try (var in = found.nextElement().openStream()) {
                var d = java.lang.module.ModuleDescriptor.read(in);
                if (d.name().startsWith("dev.strata.")) modules.put(d.name(), d);
            }
        }
        assertThat(modules.keySet()).contains("dev.strata.core", "dev.strata.expr", "dev.strata.wasm", "dev.strata.python");
        for (String tier : new String[] {"dev.strata.expr", "dev.strata.wasm", "dev.strata.python"}) {
            var d = modules.get(tier);
            assertThat(d.exports()).extracting(java.lang.module.ModuleDescriptor.Exports::source).as(tier + " exports")
                    .contains(tier).noneMatch(p -> p.contains(".internal"));
            assertThat(d.provides()).extracting(java.lang.module.ModuleDescriptor.Provides::service).as(tier + " provides")
                    .containsExactly("dev.strata.core.spi.TierFactory");
        }
    }

    @Test
    void tiersAndTheParserDependOnEngineCoreOnly() {
        String[] modules = {"dev.strata.expr..", "dev.strata.wasm..", "dev.strata.python..", "dev.strata.parser.."};
        for (String module : modules) {
            for (String other : new String[] {"dev.strata.expr..", "dev.strata.wasm..", "dev.strata.python..",
                    "dev.strata.parser..", "dev.strata.node.."}) {
                if (other.equals(module)) continue;
                noClasses().that().resideInAPackage(module)
                        .should().dependOnClassesThat().resideInAPackage(other)
                        .allowEmptyShould(true)
                        .check(CLASSES);
            }
        }
    }
}
