package dev.overnight.core.doctor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.config.Constraints;
import dev.overnight.api.config.UnknownPolicy;
import dev.overnight.api.constraint.ConstraintChecker;
import dev.overnight.api.constraint.ConstraintCheckerProvider;
import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.api.constraint.ConstraintSettings;
import dev.overnight.api.constraint.ConstraintStatus;
import dev.overnight.core.doctor.DoctorReport.CheckerReport;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ConstraintCheckersCheckTest {
  private static final Instant START = Instant.parse("2026-11-25T03:00:00Z");

  /** Every read is 7 ms after the previous one, so each check takes exactly 7 ms. */
  private final InstantSource stepping =
      new InstantSource() {
        private final AtomicLong reads = new AtomicLong();

        @Override
        public Instant instant() {
          return START.plusMillis(7 * reads.getAndIncrement());
        }
      };

  /** Serves {@code name}; what {@code create} returns (or throws) for the settings it is given. */
  record Provider(String name, Function<ConstraintSettings, ConstraintChecker> create)
      implements ConstraintCheckerProvider {
    @Override
    public ConstraintChecker create(ConstraintSettings settings) {
      return create.apply(settings);
    }
  }

  private static Provider answering(String name, ConstraintResult answer) {
    return new Provider(name, settings -> checker(name, () -> answer));
  }

  private static ConstraintChecker checker(String name, Supplier<ConstraintResult> answer) {
    return new ConstraintChecker() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public ConstraintResult check() {
        return answer.get();
      }
    };
  }

  private static Constraints constraints(
      Optional<Double> cpu, UnknownPolicy onUnknown, Map<String, Object> plugins) {
    return new Constraints(
        false,
        false,
        false,
        cpu,
        false,
        false,
        10,
        onUnknown,
        Duration.ofSeconds(5),
        Duration.ofMinutes(1),
        plugins);
  }

  private Findings run(Constraints constraints, List<ConstraintCheckerProvider> providers) {
    Findings findings = new Findings();
    new ConstraintCheckersCheck(constraints, providers, stepping, 80.0).run(findings);
    return findings;
  }

  private static CheckerReport checker(Findings findings, String name) {
    return findings.checkers().orElseThrow().stream()
        .filter(c -> c.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no checker " + name));
  }

  @Test
  void builtInsComeFirstThenConfiguredPluginsThenOtherProvidersFound() {
    Map<String, Object> plugins = new LinkedHashMap<>();
    plugins.put("zeta", true);
    plugins.put("alpha", false);
    Findings findings =
        run(
            constraints(Optional.empty(), UnknownPolicy.FAIL, plugins),
            List.of(answering("extra", ConstraintResult.satisfied("fine"))));

    assertThat(findings.checkers().orElseThrow())
        .extracting(CheckerReport::name)
        .containsExactly(
            "plugged_in",
            "wifi_only",
            "cpu_max_percentage",
            "respect_dnd",
            "suspend_if_active",
            "zeta",
            "alpha",
            "extra");
  }

  @Test
  void aDisabledCpuLimitIsCheckedWithTheDefaultLimitAndAConfiguredOneWithItsOwn() {
    List<Object> seen = Collections.synchronizedList(new ArrayList<>());
    Provider cpu =
        new Provider(
            "cpu_max_percentage",
            settings -> {
              seen.add(settings.value());
              return checker("cpu_max_percentage", () -> ConstraintResult.satisfied("idle"));
            });

    Findings disabled =
        run(constraints(Optional.empty(), UnknownPolicy.FAIL, Map.of()), List.of(cpu));
    Findings enabled =
        run(constraints(Optional.of(40.0), UnknownPolicy.FAIL, Map.of()), List.of(cpu));

    assertThat(seen).containsExactly(80.0, 40.0);
    assertThat(checker(disabled, "cpu_max_percentage").enabled()).isFalse();
    assertThat(checker(enabled, "cpu_max_percentage").enabled()).isTrue();
  }

  @Test
  void eachCheckIsTimedOnTheGivenClock() {
    Findings findings =
        run(
            constraints(Optional.empty(), UnknownPolicy.FAIL, Map.of("custom", true)),
            List.of(answering("custom", ConstraintResult.satisfied("fine"))));

    CheckerReport custom = checker(findings, "custom");
    assertThat(custom.elapsed()).isEqualTo(Duration.ofMillis(7));
    assertThat(custom.status()).isEqualTo(ConstraintStatus.SATISFIED);
    assertThat(findings.warnings()).isEmpty();
  }

  @Test
  void aProviderThatIsFoundButNotConfiguredIsShownWithoutBeingCreated() {
    Provider extra =
        new Provider(
            "extra",
            settings -> {
              throw new AssertionError("never created: not configured");
            });

    Findings findings =
        run(constraints(Optional.empty(), UnknownPolicy.FAIL, Map.of()), List.of(extra));

    CheckerReport report = checker(findings, "extra");
    assertThat(report.status()).isEqualTo(ConstraintStatus.UNKNOWN);
    assertThat(report.reason())
        .isEqualTo(
            "provided by "
                + Provider.class.getName()
                + " but not configured under constraints.checkers");
    assertThat(findings.problems()).isEmpty();
  }

  @Test
  void aCheckerThatCannotBeCreatedIsAProblemWhenEnabled() {
    Provider broken =
        new Provider(
            "custom",
            settings -> {
              throw new IllegalStateException("native library missing");
            });

    Findings findings =
        run(
            constraints(Optional.empty(), UnknownPolicy.FAIL, Map.of("custom", true)),
            List.of(broken));

    assertThat(checker(findings, "custom").reason())
        .isEqualTo(
            "could not create the checker: java.lang.IllegalStateException: native library missing");
    assertThat(findings.problems())
        .containsExactly(
            "constraint 'custom': could not create the checker:"
                + " java.lang.IllegalStateException: native library missing");
  }

  @Test
  void anAnswerThatIsNotAnAnswerIsUnknownAndWarnedPerTheUnknownPolicy() {
    Map<String, Object> plugins = new LinkedHashMap<>();
    plugins.put("throws", true);
    plugins.put("nothing", true);
    plugins.put("mute", true);
    List<ConstraintCheckerProvider> providers =
        List.of(
            new Provider(
                "throws",
                s ->
                    checker(
                        "throws",
                        () -> {
                          throw new IllegalStateException("sensor gone");
                        })),
            new Provider("nothing", s -> checker("nothing", () -> null)),
            answering("mute", ConstraintResult.unsatisfied("")));

    Findings failing = run(constraints(Optional.empty(), UnknownPolicy.FAIL, plugins), providers);
    Findings passing = run(constraints(Optional.empty(), UnknownPolicy.PASS, plugins), providers);

    assertThat(checker(failing, "throws").reason())
        .isEqualTo("the checker threw java.lang.IllegalStateException: sensor gone");
    assertThat(checker(failing, "nothing").reason()).isEqualTo("the checker returned no result");
    assertThat(checker(failing, "mute").reason()).isEqualTo("(the checker gave no reason)");
    assertThat(failing.warnings())
        .containsExactly(
            "constraint 'throws' cannot tell (the checker threw java.lang.IllegalStateException:"
                + " sensor gone); with on_unknown=fail it holds cycles back",
            "constraint 'nothing' cannot tell (the checker returned no result); with"
                + " on_unknown=fail it holds cycles back",
            "constraint 'mute' holds cycles back right now: (the checker gave no reason)");
    assertThat(passing.warnings().get(1))
        .isEqualTo(
            "constraint 'nothing' cannot tell (the checker returned no result); with"
                + " on_unknown=pass it lets cycles run");
    assertThat(failing.problems()).isEmpty();
  }

  @Test
  void anEnabledPluginWhoseOnlyProviderIsUnsupportedIsAProblem() {
    ConstraintCheckerProvider unsupported =
        new ConstraintCheckerProvider() {
          @Override
          public String name() {
            return "custom";
          }

          @Override
          public boolean isSupported() {
            return false;
          }

          @Override
          public ConstraintChecker create(ConstraintSettings settings) {
            throw new AssertionError("never created: not supported");
          }
        };

    Findings findings =
        run(
            constraints(Optional.empty(), UnknownPolicy.FAIL, Map.of("custom", true)),
            List.of(unsupported));

    CheckerReport report = checker(findings, "custom");
    assertThat(report.provider()).isEmpty();
    assertThat(report.candidates())
        .singleElement()
        .satisfies(c -> assertThat(c.supported()).isFalse());
    assertThat(findings.problems())
        .singleElement()
        .asString()
        .startsWith("constraint 'custom' is enabled but no provider of 'custom' is supported on ");
  }
}
