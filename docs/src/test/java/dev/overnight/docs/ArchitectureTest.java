package dev.overnight.docs;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.MapperBuilder;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnitAccess;
import com.tngtech.archunit.core.domain.JavaConstructorCall;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.overnight.api.KeepAwake;
import dev.overnight.api.KeepAwakeProvider;
import dev.overnight.api.agent.AgentProvider;
import dev.overnight.api.agent.AgentProviderFactory;
import dev.overnight.api.agent.TranscriptReader;
import dev.overnight.api.constraint.ConstraintCheckerProvider;
import dev.overnight.api.decision.DecisionEngine;
import dev.overnight.api.decision.DecisionEngineProvider;
import dev.overnight.api.decision.SessionHistorySource;
import dev.overnight.api.decision.SessionHistorySourceProvider;
import dev.overnight.api.queue.TaskQueue;
import dev.overnight.api.schedule.SchedulerStateStore;
import dev.overnight.api.store.Store;
import dev.overnight.api.store.StoreProvider;
import dev.overnight.core.coordinator.PullRequestPublisher;
import dev.overnight.docs.mappers.MakesItsOwnMapper;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module boundaries of DESIGN.md, enforced on the compiled main classes of every module: the
 * API depends on the JDK only, core on the API plus Jackson, cron-utils and SLF4J, no module
 * reaches into another's {@code internal} package, the fakes carry no test framework, only the
 * discovery component calls {@code ServiceLoader}, commands construct no providers, core never
 * reads the system clock or sleeps (time is a dependency, so a night can run on virtual time), and
 * only core's {@code OvernightJson} makes a Jackson mapper.
 */
class ArchitectureTest {
  private static final Pattern MODULE = Pattern.compile("^dev\\.overnight\\.([a-z]+)(\\..*)?$");

  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(
                "dev.overnight.api",
                "dev.overnight.core",
                "dev.overnight.fakes",
                "dev.overnight.testing",
                "dev.overnight.sqlite",
                "dev.overnight.postgres",
                "dev.overnight.macos",
                "dev.overnight.linux",
                "dev.overnight.acp",
                "dev.overnight.server",
                "dev.overnight.micrometer",
                "dev.overnight.opentelemetry",
                "dev.overnight.nostr",
                "dev.overnight.cli");
  }

  @Test
  void theApiDependsOnTheJdkOnly() {
    classes()
        .that()
        .resideInAPackage("dev.overnight.api..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "dev.overnight.api..")
        .check(classes);
  }

  @Test
  void coreDependsOnTheApiJacksonCronUtilsAndSlf4jOnly() {
    classes()
        .that()
        .resideInAPackage("dev.overnight.core..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "java..",
            "dev.overnight.api..",
            "dev.overnight.core..",
            "com.fasterxml.jackson..",
            "com.cronutils..",
            "org.slf4j..")
        .check(classes);
  }

  @Test
  void theFakesDependOnTheApiAndJacksonOnlyWithNoTestFramework() {
    classes()
        .that()
        .resideInAPackage("dev.overnight.fakes..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "java..", "dev.overnight.api..", "dev.overnight.fakes..", "com.fasterxml.jackson..")
        .because("core's own tests and programs such as the demo use the fakes")
        .check(classes);
  }

  @Test
  void theObservabilityModulesDependOnTheApiCoreAndTheirLibraryOnly() {
    classes()
        .that()
        .resideInAPackage("dev.overnight.micrometer..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "java..",
            "dev.overnight.api..",
            "dev.overnight.core..",
            "dev.overnight.micrometer..",
            "io.micrometer..")
        .check(classes);
    classes()
        .that()
        .resideInAPackage("dev.overnight.opentelemetry..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "java..",
            "dev.overnight.api..",
            "dev.overnight.core..",
            "dev.overnight.opentelemetry..",
            "io.opentelemetry.api..",
            "io.opentelemetry.context..")
        .because("the SDK is the application's choice; the module needs the API only")
        .check(classes);
  }

  @Test
  void theNostrModuleDependsOnTheApiCoreJacksonAndSecp256k1Only() {
    classes()
        .that()
        .resideInAPackage("dev.overnight.nostr..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "java..",
            "dev.overnight.api..",
            "dev.overnight.core..",
            "dev.overnight.nostr..",
            "com.fasterxml.jackson..",
            "fr.acinq.secp256k1..")
        .because("the catalog's cryptography stays in its own module, out of core")
        .check(classes);
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.overnight.nostr..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("fr.acinq..")
        .check(classes);
  }

  @Test
  void noModuleButTheObservabilityModulesNamesMicrometerOrOpenTelemetry() {
    noClasses()
        .that()
        .resideOutsideOfPackages("dev.overnight.micrometer..", "dev.overnight.opentelemetry..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.micrometer..", "io.opentelemetry..")
        .because("metrics and traces are optional modules found through the composition root")
        .check(classes);
  }

  @Test
  void implementationModulesNeverDependOnEachOther() {
    for (String module :
        new String[] {
          "sqlite",
          "postgres",
          "macos",
          "linux",
          "acp",
          "server",
          "micrometer",
          "opentelemetry",
          "nostr"
        }) {
      noClasses()
          .that()
          .resideInAPackage("dev.overnight." + module + "..")
          .should()
          .dependOnClassesThat(inAnotherImplementationModuleThan(module))
          .check(classes);
    }
  }

  @Test
  void noModuleTouchesAnotherModulesInternalPackage() {
    classes().should(notUseOtherModulesInternals()).check(classes);
  }

  @Test
  void onlyTheDiscoveryComponentCallsServiceLoader() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.overnight.core.spi..")
        .should()
        .dependOnClassesThat()
        .areAssignableTo(ServiceLoader.class)
        .because("every pluggable part is found by one rule, in dev.overnight.core.spi")
        .check(classes);
  }

  @Test
  void commandsConstructNoProvidersAndNameNoImplementationModule() {
    noClasses()
        .that()
        .resideInAPackage("dev.overnight.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.overnight.acp..",
            "dev.overnight.sqlite..",
            "dev.overnight.postgres..",
            "dev.overnight.linux..",
            "dev.overnight.macos..")
        .because("commands find agents, stores and platforms through the runtime's discovery")
        .check(classes);
    classes()
        .that()
        .resideInAPackage("dev.overnight.cli..")
        .should(constructNoProviders())
        .check(classes);
  }

  /**
   * The parts the runtime discovers or is given: a command that made one itself would bypass the
   * one discovery rule. The fakes are exempt: they are the demo's stand-ins, registered explicitly.
   */
  static final List<Class<?>> PROVIDED_PARTS =
      List.of(
          AgentProvider.class,
          AgentProviderFactory.class,
          ConstraintCheckerProvider.class,
          KeepAwakeProvider.class,
          KeepAwake.class,
          DecisionEngine.class,
          DecisionEngineProvider.class,
          SessionHistorySource.class,
          SessionHistorySourceProvider.class,
          StoreProvider.class,
          Store.class,
          TaskQueue.class,
          SchedulerStateStore.class,
          PullRequestPublisher.class,
          TranscriptReader.class);

  private static ArchCondition<JavaClass> constructNoProviders() {
    return new ArchCondition<>("construct no provider, agent, store or engine") {
      @Override
      public void check(JavaClass origin, ConditionEvents events) {
        for (JavaCodeUnitAccess<?> call : origin.getCodeUnitCallsFromSelf()) {
          JavaClass owner = call.getTargetOwner();
          if (owner.getPackageName().startsWith("dev.overnight.fakes")
              || owner.getPackageName().startsWith("dev.overnight.core.spi")
              || owner.getPackageName().startsWith("dev.overnight.core.runtime")) {
            continue;
          }
          boolean constructs =
              call instanceof JavaConstructorCall
                  && PROVIDED_PARTS.stream().anyMatch(owner::isAssignableTo);
          boolean factory =
              call instanceof JavaMethodCall m
                  && m.getTarget()
                      .resolveMember()
                      .map(t -> t.getModifiers().contains(JavaModifier.STATIC))
                      .orElse(false)
                  && PROVIDED_PARTS.stream()
                      .anyMatch(p -> m.getTarget().getRawReturnType().isAssignableTo(p));
          if (constructs || factory) {
            events.add(SimpleConditionEvent.violated(call, call.getDescription()));
          }
        }
      }
    };
  }

  @Test
  void coreNeverReadsTheSystemClockOrSleeps() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAPackage("dev.overnight.core..")
            .should()
            .callMethodWhere(readsTheSystemClockOrSleeps())
            .because("core takes time from an injected clock and time source");
    rule.check(classes);
  }

  /** The class holding Overnight's one mapper. */
  static final String ONE_MAPPER = "dev.overnight.core.json.OvernightJson";

  @Test
  void onlyOvernightJsonMakesAJacksonMapper() {
    theOneMapperRule().check(classes);
  }

  @Test
  void theOneMapperRuleCatchesEveryWayOfMakingAMapper() {
    JavaClasses offender = new ClassFileImporter().importClasses(MakesItsOwnMapper.class);
    assertThatThrownBy(() -> theOneMapperRule().check(offender))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("<init>")
        .hasMessageContaining("JsonMapper.builder()")
        .hasMessageContaining("ObjectMapper.copy()");
    assertThat(classes.contain(ONE_MAPPER)).as("the rule's exception exists").isTrue();
  }

  /**
   * No class but {@value #ONE_MAPPER} constructs, builds or copies an {@code ObjectMapper}. The
   * fakes are the exception: they depend on the API only (so that core's tests can use them) and
   * cannot see core's mapper.
   */
  static ArchRule theOneMapperRule() {
    return noClasses()
        .that()
        .resideOutsideOfPackage("dev.overnight.fakes..")
        .and()
        .doNotHaveFullyQualifiedName(ONE_MAPPER)
        .should()
        .callConstructorWhere(
            new DescribedPredicate<JavaConstructorCall>("an ObjectMapper's constructor") {
              @Override
              public boolean test(JavaConstructorCall call) {
                return isMapper(call.getTargetOwner());
              }
            })
        .orShould()
        .callMethodWhere(
            new DescribedPredicate<JavaMethodCall>("a method that builds or copies a mapper") {
              @Override
              public boolean test(JavaMethodCall call) {
                String name = call.getName();
                return (isMapper(call.getTargetOwner())
                        && (name.equals("builder")
                            || name.equals("copy")
                            || name.equals("rebuild")))
                    || (call.getTargetOwner().isAssignableTo(MapperBuilder.class)
                        && name.equals("build"));
              }
            })
        .because("Overnight reads and writes JSON through one configured mapper, OvernightJson");
  }

  private static boolean isMapper(JavaClass owner) {
    return owner.isAssignableTo(ObjectMapper.class);
  }

  static DescribedPredicate<JavaMethodCall> readsTheSystemClockOrSleeps() {
    return new DescribedPredicate<>(
        "Instant.now(), any java.time now(), System.currentTimeMillis() or Thread.sleep()") {
      @Override
      public boolean test(JavaMethodCall call) {
        String owner = call.getTargetOwner().getName();
        String name = call.getName();
        return (owner.startsWith("java.time.") && name.equals("now"))
            || (owner.equals("java.lang.System") && name.equals("currentTimeMillis"))
            || (owner.equals("java.lang.Thread") && name.equals("sleep"))
            || (owner.equals("java.util.concurrent.TimeUnit") && name.equals("sleep"));
      }
    };
  }

  private static DescribedPredicate<JavaClass> inAnotherImplementationModuleThan(String module) {
    return new DescribedPredicate<>("classes of another implementation module than " + module) {
      @Override
      public boolean test(JavaClass target) {
        return moduleOf(target.getPackageName())
            .filter(m -> !m.equals(module))
            .filter(
                m ->
                    m.equals("sqlite")
                        || m.equals("postgres")
                        || m.equals("macos")
                        || m.equals("linux")
                        || m.equals("acp")
                        || m.equals("server")
                        || m.equals("micrometer")
                        || m.equals("opentelemetry")
                        || m.equals("nostr"))
            .isPresent();
      }
    };
  }

  private static ArchCondition<JavaClass> notUseOtherModulesInternals() {
    return new ArchCondition<>("not use another module's internal package") {
      @Override
      public void check(JavaClass origin, ConditionEvents events) {
        Optional<String> own = moduleOf(origin.getPackageName());
        origin
            .getDirectDependenciesFromSelf()
            .forEach(
                d -> {
                  String target = d.getTargetClass().getPackageName();
                  Optional<String> targetModule = moduleOf(target);
                  boolean internal = target.contains(".internal");
                  if (internal && targetModule.isPresent() && !targetModule.equals(own)) {
                    events.add(SimpleConditionEvent.violated(d, d.getDescription()));
                  }
                });
      }
    };
  }

  static Optional<String> moduleOf(String packageName) {
    Matcher m = MODULE.matcher(packageName);
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }
}
