package dev.overnight.testing.constraint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.overnight.api.config.ConfigException;
import dev.overnight.api.config.ConfigProblem;
import dev.overnight.api.config.Constraints;
import dev.overnight.api.constraint.ConstraintChecker;
import dev.overnight.api.constraint.ConstraintCheckerProvider;
import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.api.constraint.ConstraintSettings;
import dev.overnight.api.constraint.ConstraintStatus;
import dev.overnight.core.spi.ProviderLoader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link ConstraintCheckerProvider} and its {@link ConstraintChecker} must keep.
 * Extend it in a test class and supply the provider and the data it needs; every {@code @Test} here
 * then runs against it.
 *
 * <p>What it checks:
 *
 * <ul>
 *   <li>the provider's name is non-blank and stable, and the checker it creates has that name;
 *   <li>{@code isSupported()} and {@code order()} never throw and do not change between calls;
 *   <li>{@code create} accepts the valid settings and rejects every invalid one with a {@link
 *       ConfigException} whose problems name the expected JSON path;
 *   <li>{@code check()} never returns null, never throws, and gives a non-empty reason for every
 *       status, including over missing or garbled platform data;
 *   <li>each scenario the subclass claims yields its status, so every status the checker can give
 *       is seen with its reason;
 *   <li>the provider is registered for {@link java.util.ServiceLoader} (unless the subclass says it
 *       is registered explicitly only).
 * </ul>
 *
 * <p>A checker that does hang is failed after {@link #safetyTimeout()} rather than hanging the
 * build; that bound is a safety net, not a speed requirement.
 *
 * @since 0.1.0
 */
public abstract class ConstraintCheckerCompatibilityKit {

  /**
   * Settings {@link ConstraintCheckerProvider#create} must reject, and the JSON Pointer its {@link
   * ConfigException} must name.
   *
   * @param settings the settings to pass
   * @param expectedPath the path one of the exception's problems must have, e.g. {@code
   *     /constraints/cpu_max_percentage}
   */
  public record InvalidSettings(ConstraintSettings settings, String expectedPath) {
    /** Validates the components. */
    public InvalidSettings {
      Objects.requireNonNull(settings, "settings");
      Objects.requireNonNull(expectedPath, "expectedPath");
    }
  }

  /**
   * The provider under test. Called once per use: return a fresh or a shared instance, as long as
   * it is the same kind of provider each time. For a platform provider, this may be wired to
   * recorded data through its facade, so the kit runs on any machine.
   */
  protected abstract ConstraintCheckerProvider provider();

  /**
   * Settings the provider accepts. By default {@code true} under the provider's name with no other
   * constraints, as the config gives an on/off built-in checker.
   */
  protected ConstraintSettings validSettings() {
    return new ConstraintSettings(provider().name(), Boolean.TRUE, Constraints.none());
  }

  /** At least one set of settings the provider must reject, with the path it must name. */
  protected abstract List<InvalidSettings> invalidSettings();

  /**
   * Checkers of this provider's kind set up so that each gives the status it is keyed by: every
   * status the checker can produce, each with the data (recorded, faked, or real) that leads to it.
   */
  protected abstract Map<ConstraintStatus, ConstraintChecker> checkersByExpectedStatus();

  /**
   * At least one checker over missing, garbled or unsupported platform data (an empty file, a
   * command that fails, a value of the wrong type). Each must answer without throwing.
   */
  protected abstract List<ConstraintChecker> checkersOverBrokenData();

  /**
   * Whether the provider is registered in {@code META-INF/services} for discovery. Override with
   * {@code false} for a provider meant only for explicit registration.
   */
  protected boolean registeredForDiscovery() {
    return true;
  }

  /** The longest a single {@code check()} may take before the kit fails it as hanging. */
  protected Duration safetyTimeout() {
    return Duration.ofSeconds(30);
  }

  /** The provider itself: name, support and order are stable and never throw. */
  @Nested
  class Provider {
    @Test
    void providerNameIsNonBlankAndStable() {
      String name = provider().name();
      assertThat(name).as("provider name").isNotBlank().doesNotContainAnyWhitespaces();
      assertThat(provider().name()).as("provider name, asked twice").isEqualTo(name);
    }

    @Test
    void isSupportedAndOrderNeverThrowAndAreStable() {
      ConstraintCheckerProvider p = provider();
      boolean[] supported = new boolean[2];
      int[] order = new int[2];
      assertThatCode(
              () -> {
                supported[0] = p.isSupported();
                supported[1] = p.isSupported();
                order[0] = p.order();
                order[1] = p.order();
              })
          .as("isSupported() and order() must not throw")
          .doesNotThrowAnyException();
      assertThat(supported[1]).as("isSupported(), asked twice").isEqualTo(supported[0]);
      assertThat(order[1]).as("order(), asked twice").isEqualTo(order[0]);
    }
  }

  /** Creating checkers from settings, valid and invalid. */
  @Nested
  class Creation {
    @Test
    void createdCheckerHasTheProvidersName() {
      ConstraintChecker checker = provider().create(validSettings());
      assertThat(checker).as("create(validSettings())").isNotNull();
      assertThat(checker.name()).as("checker name").isEqualTo(provider().name());
    }

    @Test
    void createRejectsInvalidSettingsWithAConfigExceptionNamingThePath() {
      List<InvalidSettings> cases = invalidSettings();
      assertThat(cases).as("invalidSettings() must list at least one case").isNotEmpty();
      for (InvalidSettings c : cases) {
        Throwable thrown = catchThrowable(() -> provider().create(c.settings()));
        assertThat(thrown)
            .as("create(%s) must throw a ConfigException", c.settings())
            .isInstanceOf(ConfigException.class);
        List<ConfigProblem> problems = ((ConfigException) thrown).problems();
        assertThat(problems)
            .as("problems of create(%s)", c.settings())
            .isNotEmpty()
            .allSatisfy(p -> assertThat(p.message()).isNotBlank())
            .extracting(ConfigProblem::path)
            .contains(c.expectedPath());
      }
    }
  }

  /** Checks: every status with a reason, never an exception. */
  @Nested
  class Checking {
    @Test
    void everyExpectedStatusIsGivenWithAReason() {
      Map<ConstraintStatus, ConstraintChecker> byStatus = checkersByExpectedStatus();
      assertThat(byStatus).as("checkersByExpectedStatus() must cover some status").isNotEmpty();
      String name = provider().name();
      byStatus.forEach(
          (expected, checker) -> {
            assertThat(checker.name()).as("checker name").isEqualTo(name);
            ConstraintResult result = checkWithinSafetyTimeout(checker);
            assertThat(result.status())
                .as("status of the %s scenario", expected)
                .isEqualTo(expected);
          });
    }

    @Test
    void checkNeverThrowsOverBrokenData() {
      List<ConstraintChecker> broken = checkersOverBrokenData();
      assertThat(broken).as("checkersOverBrokenData() must list at least one checker").isNotEmpty();
      for (ConstraintChecker checker : broken) {
        checkWithinSafetyTimeout(checker);
      }
    }

    @Test
    void checkOnThisMachineAnswersWithAReasonWhenSupported() {
      ConstraintCheckerProvider p = provider();
      if (!p.isSupported()) {
        // An unsupported provider is still created and asked: it must say why it cannot tell.
        ConstraintChecker checker = p.create(validSettings());
        checkWithinSafetyTimeout(checker);
        return;
      }
      ConstraintChecker checker = p.create(validSettings());
      checkWithinSafetyTimeout(checker);
      checkWithinSafetyTimeout(checker);
    }
  }

  /** Discovery through ServiceLoader, as a plugin is found. */
  @Nested
  class Discovery {
    @Test
    void providerIsDiscoverableByServiceLoader() {
      if (!registeredForDiscovery()) {
        return;
      }
      Class<?> type = provider().getClass();
      List<ConstraintCheckerProvider> found =
          ProviderLoader.of(type.getClassLoader()).load(ConstraintCheckerProvider.class);
      assertThat(found)
          .as("providers in META-INF/services/%s", ConstraintCheckerProvider.class.getName())
          .anySatisfy(p -> assertThat(p).isExactlyInstanceOf(type));
    }
  }

  /**
   * Runs one check on another thread (checkers must be callable from any thread) and verifies the
   * shape of its result: not null, a status, and a non-blank reason.
   */
  protected final ConstraintResult checkWithinSafetyTimeout(ConstraintChecker checker) {
    CompletableFuture<ConstraintResult> future =
        CompletableFuture.supplyAsync(checker::check, r -> daemon(r).start());
    ConstraintResult result;
    try {
      result = future.get(safetyTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new AssertionError(checker.name() + ".check() threw " + e.getCause(), e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError(
          checker.name() + ".check() did not return within " + safetyTimeout(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
    assertThat(result).as("%s.check()", checker.name()).isNotNull();
    assertThat(result.status()).as("status").isNotNull();
    assertThat(result.reason()).as("reason of %s", result.status()).isNotBlank();
    return result;
  }

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r, "compatibility-kit-check");
    t.setDaemon(true);
    return t;
  }
}
