package dev.overnight.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overnight.api.config.ConfigException;
import dev.overnight.api.config.ConfigProblem;
import dev.overnight.api.config.Constraints;
import dev.overnight.api.config.UnknownPolicy;
import dev.overnight.api.constraint.ConstraintChecker;
import dev.overnight.api.constraint.ConstraintCheckerProvider;
import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.api.constraint.ConstraintSettings;
import dev.overnight.api.constraint.ConstraintStatus;
import dev.overnight.core.spi.NamedProviders;
import dev.overnight.core.spi.ProviderLoader;
import dev.overnight.fakes.ManualTimeSource;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConstraintGateTest {
  private final ManualTimeSource time = new ManualTimeSource(Instant.parse("2026-06-10T01:00:00Z"));
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void releaseHungCheckers() throws InterruptedException {
    release.countDown();
    threads.shutdown();
    assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
  }

  private static Constraints constraints(
      boolean pluggedIn, boolean wifi, UnknownPolicy onUnknown, Map<String, Object> checkers) {
    return new Constraints(
        pluggedIn,
        wifi,
        false,
        Optional.empty(),
        false,
        false,
        10,
        onUnknown,
        Duration.ofSeconds(2),
        Duration.ofMinutes(1),
        checkers);
  }

  private static ConstraintCheckerProvider provider(String name, Supplier<ConstraintResult> check) {
    return new ConstraintCheckerProvider() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public ConstraintChecker create(ConstraintSettings settings) {
        return new ConstraintChecker() {
          @Override
          public String name() {
            return name;
          }

          @Override
          public ConstraintResult check() {
            return check.get();
          }
        };
      }
    };
  }

  private ConstraintGate.Builder gate(Constraints c) {
    return ConstraintGate.builder(c).providerLoader(ProviderLoader.none()).timeSource(time);
  }

  private ConstraintResult hang() {
    try {
      release.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return ConstraintResult.satisfied("too late");
  }

  @Test
  void noConstraintsAlwaysPass() {
    ConstraintGateResult result = ConstraintGate.builder(Constraints.none()).build().check();
    assertThat(result.satisfied()).isTrue();
    assertThat(result.results()).isEmpty();
  }

  @Test
  void checkersRunInParallel() {
    CountDownLatch bothStarted = new CountDownLatch(2);
    Supplier<ConstraintResult> meetTheOther =
        () -> {
          bothStarted.countDown();
          try {
            return bothStarted.await(30, TimeUnit.SECONDS)
                ? ConstraintResult.satisfied("met")
                : ConstraintResult.unsatisfied("ran alone");
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        };
    ConstraintGate gate =
        gate(constraints(true, true, UnknownPolicy.FAIL, Map.of()))
            .register(provider("plugged_in", meetTheOther))
            .register(provider("wifi_only", meetTheOther))
            .executor(threads)
            .build();
    ConstraintGateResult result = gate.check();
    assertThat(result.satisfied()).isTrue();
    assertThat(result.results().values()).extracting(ConstraintResult::reason).containsOnly("met");
  }

  @Test
  void aCheckerThatDoesNotAnswerTimesOutOnTheTimeSourcesClock() {
    AtomicInteger calls = new AtomicInteger();
    ConstraintGate gate =
        gate(constraints(false, true, UnknownPolicy.FAIL, Map.of()))
            .register(provider("wifi_only", this::hang))
            .executor(
                task -> {
                  calls.incrementAndGet();
                  threads.execute(task);
                })
            .build();

    CompletableFuture<ConstraintGateResult> first = gate.checkAsync();
    time.advance(Duration.ofMillis(1999));
    assertThat(first).isNotDone();
    time.advance(Duration.ofMillis(1));
    ConstraintGateResult timedOut = first.join();
    assertThat(timedOut.satisfied()).isFalse();
    assertThat(timedOut.results().get("wifi_only"))
        .isEqualTo(ConstraintResult.unknown("timed out after 2 s"));
    assertThat(timedOut.reason()).isEqualTo("wifi_only: unknown (timed out after 2 s)");

    // The hung call is not repeated: checkers are called one at a time.
    CompletableFuture<ConstraintGateResult> second = gate.checkAsync();
    time.advance(Duration.ofSeconds(2));
    assertThat(second.join().results().get("wifi_only").status())
        .isEqualTo(ConstraintStatus.UNKNOWN);
    assertThat(calls.get()).isEqualTo(1);
    assertThat(time.pending()).isZero();
  }

  @Test
  void anAnswerBeforeTheTimeoutCancelsTheTimer() {
    ConstraintGate gate =
        gate(constraints(true, false, UnknownPolicy.FAIL, Map.of()))
            .register(provider("plugged_in", () -> ConstraintResult.satisfied("on AC")))
            .executor(Runnable::run)
            .build();
    assertThat(gate.check().satisfied()).isTrue();
    assertThat(time.pending()).isZero();
  }

  @Test
  void aCheckerThatThrowsIsUnknownWithItsMessage() {
    ConstraintGate gate =
        gate(constraints(true, false, UnknownPolicy.FAIL, Map.of()))
            .register(
                provider(
                    "plugged_in",
                    () -> {
                      throw new IllegalStateException("IOKit returned no power sources");
                    }))
            .executor(Runnable::run)
            .build();
    ConstraintGateResult result = gate.check();
    assertThat(result.results().get("plugged_in"))
        .isEqualTo(ConstraintResult.unknown("IOKit returned no power sources"));
    assertThat(result.satisfied()).isFalse();
  }

  @Test
  void onUnknownDecidesWhetherUnknownPasses() {
    for (UnknownPolicy policy : UnknownPolicy.values()) {
      ConstraintGate gate =
          gate(constraints(true, true, policy, Map.of()))
              .register(provider("plugged_in", () -> ConstraintResult.satisfied("on AC")))
              .register(provider("wifi_only", () -> ConstraintResult.unknown("no network API")))
              .executor(Runnable::run)
              .build();
      assertThat(gate.check().satisfied())
          .as(policy.jsonName())
          .isEqualTo(policy == UnknownPolicy.PASS);
    }
  }

  @Test
  void theReasonNamesEveryFailingCheckerInConfigOrder() {
    ConstraintGate gate =
        gate(constraints(true, true, UnknownPolicy.FAIL, Map.of("quiet_hours", true)))
            .register(provider("quiet_hours", () -> ConstraintResult.unsatisfied("meeting")))
            .register(provider("wifi_only", () -> ConstraintResult.satisfied("en0 is Wi-Fi")))
            .register(provider("plugged_in", () -> ConstraintResult.unsatisfied("on battery")))
            .executor(Runnable::run)
            .build();
    ConstraintGateResult result = gate.check();
    assertThat(gate.checkerNames()).containsExactly("plugged_in", "wifi_only", "quiet_hours");
    assertThat(result.results().keySet()).containsExactly("plugged_in", "wifi_only", "quiet_hours");
    assertThat(result.reason()).isEqualTo("plugged_in: on battery; quiet_hours: meeting");
  }

  @Test
  void aMissingBuiltInNamesThePlatformArtifact() {
    Constraints c = constraints(true, true, UnknownPolicy.FAIL, Map.of());
    assertThatThrownBy(() -> gate(c).operatingSystem("Linux").build())
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        new ConfigProblem(
                            "/constraints/plugged_in",
                            "no provider for constraint 'plugged_in' on Linux: add"
                                + " dev.overnight:orchestration-linux to the class path"),
                        new ConfigProblem(
                            "/constraints/wifi_only",
                            "no provider for constraint 'wifi_only' on Linux: add"
                                + " dev.overnight:orchestration-linux to the class path")));
    assertThatThrownBy(() -> gate(c).operatingSystem("Mac OS X").build())
        .hasMessageContaining("on Mac OS X: add dev.overnight:orchestration-macos");
    assertThatThrownBy(() -> gate(c).operatingSystem("Windows 11").build())
        .hasMessageContaining("on Windows 11: the built-in checkers cover macOS")
        .hasMessageContaining("register a ConstraintCheckerProvider named 'plugged_in'");
  }

  @Test
  void aProviderForAnotherPlatformIsNamedAsSuch(@TempDir Path dir) throws Exception {
    Path services = dir.resolve("META-INF/services");
    Files.createDirectories(services);
    Files.writeString(
        services.resolve(ConstraintCheckerProvider.class.getName()),
        UnsupportedDndProvider.class.getName() + "\n");
    Constraints dnd =
        new Constraints(
            false,
            false,
            false,
            Optional.empty(),
            true,
            false,
            10,
            UnknownPolicy.FAIL,
            Duration.ofSeconds(2),
            Duration.ofMinutes(1),
            Map.of());
    try (URLClassLoader classes =
        new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      assertThatThrownBy(
              () ->
                  gate(dnd)
                      .providerLoader(ProviderLoader.of(classes))
                      .operatingSystem("Linux")
                      .build())
          .hasMessageContaining(
              "/constraints/respect_dnd: the providers of constraint 'respect_dnd' on the class"
                  + " path do not support Linux: add dev.overnight:orchestration-linux");
    }
  }

  @Test
  void aMissingThirdPartyCheckerSaysWhatToAdd() {
    Map<String, Object> checkers = new LinkedHashMap<>();
    checkers.put("battery/health", Map.of("min", 80));
    checkers.put("disabled_one", false);
    assertThatThrownBy(() -> gate(constraints(false, false, UnknownPolicy.FAIL, checkers)).build())
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .singleElement()
                    .satisfies(
                        p -> {
                          assertThat(p.path()).isEqualTo("/constraints/checkers/battery~1health");
                          assertThat(p.message())
                              .startsWith(
                                  "no provider on the class path for constraint"
                                      + " 'battery/health': add the artifact that provides it")
                              .contains(
                                  "META-INF/services/"
                                      + "dev.overnight.api.constraint.ConstraintCheckerProvider");
                        }));
  }

  @Test
  void discoveredProvidersGetTheirSettingsAndExplicitOnesWin() {
    Constraints c =
        constraints(
            false,
            false,
            UnknownPolicy.FAIL,
            Map.of(DiscoveredCheckerProvider.NAME, Map.of("mood", "calm")));
    ConstraintGate discovered =
        ConstraintGate.builder(c).timeSource(time).executor(Runnable::run).build();
    assertThat(discovered.check().results().get(DiscoveredCheckerProvider.NAME).reason())
        .isEqualTo("discovered, mood calm");

    ConstraintGate explicit =
        ConstraintGate.builder(c)
            .timeSource(time)
            .executor(Runnable::run)
            .register(
                provider(
                    DiscoveredCheckerProvider.NAME,
                    () -> ConstraintResult.unsatisfied("registered wins")))
            .build();
    assertThat(explicit.check().reason()).isEqualTo("discovered_in_tests: registered wins");
  }

  @Test
  void providersChosenByADiscoveryAreUsedAndCannotBeMixedWithAnotherSource() {
    Constraints c =
        constraints(
            false,
            false,
            UnknownPolicy.FAIL,
            Map.of(DiscoveredCheckerProvider.NAME, Map.of("mood", "calm")));
    NamedProviders<ConstraintCheckerProvider> chosen =
        new NamedProviders<>(
            "constraint checker",
            List.of(
                provider(
                    DiscoveredCheckerProvider.NAME, () -> ConstraintResult.satisfied("chosen"))),
            List.of(),
            ConstraintCheckerProvider::name,
            ConstraintCheckerProvider::order,
            ConstraintCheckerProvider::isSupported);
    ConstraintGate gate =
        ConstraintGate.builder(c)
            .providers(chosen)
            .timeSource(time)
            .executor(Runnable::run)
            .build();
    assertThat(gate.check().results().get(DiscoveredCheckerProvider.NAME).reason())
        .isEqualTo("chosen");
    assertThatThrownBy(
            () ->
                ConstraintGate.builder(c)
                    .providers(chosen)
                    .providerLoader(ProviderLoader.none())
                    .timeSource(time)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("providers(...)")
        .hasMessageContaining("providerLoader(...)");
  }

  @Test
  void aProviderRejectingItsSettingsReportsItsOwnProblem() {
    ConstraintCheckerProvider picky =
        new ConstraintCheckerProvider() {
          @Override
          public String name() {
            return "picky";
          }

          @Override
          public ConstraintChecker create(ConstraintSettings settings) {
            throw new ConfigException(
                null,
                List.of(new ConfigProblem("/constraints/checkers/picky/level", "must be 1 to 3")));
          }
        };
    assertThatThrownBy(
            () ->
                gate(constraints(false, false, UnknownPolicy.FAIL, Map.of("picky", Map.of())))
                    .register(picky)
                    .build())
        .hasMessageContaining("/constraints/checkers/picky/level: must be 1 to 3");
  }
}
