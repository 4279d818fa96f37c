package dev.overnight.core.doctor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.overnight.api.KeepAwake;
import dev.overnight.api.KeepAwakeProvider;
import dev.overnight.core.doctor.DoctorReport.Candidate;
import dev.overnight.core.doctor.DoctorReport.KeepAwakeReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class KeepAwakeCheckTest {

  /** A keep-awake whose handle says {@code said}, or nothing when it is {@code null}. */
  static final class Scripted implements KeepAwake {
    final boolean holds;
    final String said;
    final List<String> events = new ArrayList<>();

    Scripted(boolean holds, String said) {
      this.holds = holds;
      this.said = said;
    }

    @Override
    public Handle acquire(String reason) {
      events.add("acquire: " + reason);
      if (said == null) {
        return new Handle() {
          @Override
          public boolean held() {
            return holds;
          }

          @Override
          public void close() {
            events.add("release");
          }
        };
      }
      return new Handle() {
        @Override
        public boolean held() {
          return holds;
        }

        @Override
        public void close() {
          events.add("release");
        }

        @Override
        public String toString() {
          return said;
        }
      };
    }

    @Override
    public String describe() {
      return "scripted";
    }
  }

  static KeepAwakeProvider provider(int order, boolean supported, Supplier<KeepAwake> create) {
    return new KeepAwakeProvider() {
      @Override
      public String name() {
        return "test";
      }

      @Override
      public boolean isSupported() {
        return supported;
      }

      @Override
      public int order() {
        return order;
      }

      @Override
      public KeepAwake create() {
        return create.get();
      }
    };
  }

  private static Findings run(KeepAwakeChoice choice) {
    Findings findings = new Findings();
    new KeepAwakeCheck(() -> choice).run(findings);
    return findings;
  }

  @Test
  void theChosenProvidersKeepAwakeIsAcquiredThenReleased() {
    Scripted keepAwake = new Scripted(true, "inhibitor fd 7");
    KeepAwakeProvider chosen = provider(1, true, () -> keepAwake);

    Findings findings =
        run(new KeepAwakeChoice(Optional.empty(), List.of(chosen), Optional.of(chosen)));

    KeepAwakeReport report = findings.keepAwake().orElseThrow();
    assertThat(keepAwake.events)
        .containsExactly("acquire: overnight doctor: checking keep-awake", "release");
    assertThat(report.held()).isTrue();
    assertThat(report.implementation()).isEqualTo("scripted");
    assertThat(report.provider()).contains(chosen.getClass().getName());
    assertThat(report.detail()).isEqualTo("acquired and released (inhibitor fd 7)");
    assertThat(report.candidates()).extracting(Candidate::selected).containsExactly(true);
    assertThat(findings.warnings()).isEmpty();
  }

  @Test
  void aHandleThatHoldsNothingIsReportedInItsOwnWordsAndWarned() {
    Scripted keepAwake = new Scripted(false, "no session bus");

    Findings findings =
        run(new KeepAwakeChoice(Optional.of(keepAwake), List.of(), Optional.empty()));

    assertThat(findings.keepAwake().orElseThrow().detail()).isEqualTo("no session bus");
    assertThat(findings.warnings())
        .containsExactly(
            "keep-awake is not held (scripted): the machine may sleep while a cycle runs");
  }

  @Test
  void aProviderThatCannotCreateItsKeepAwakeFallsBackToNoopAndSaysWhy() {
    KeepAwakeProvider broken =
        provider(
            0,
            true,
            () -> {
              throw new IllegalStateException("no D-Bus");
            });

    Findings findings =
        run(new KeepAwakeChoice(Optional.empty(), List.of(broken), Optional.of(broken)));

    KeepAwakeReport report = findings.keepAwake().orElseThrow();
    assertThat(report.implementation()).isEqualTo(KeepAwake.noop().describe());
    assertThat(report.provider()).contains(broken.getClass().getName());
    assertThat(report.held()).isFalse();
    assertThat(report.detail())
        .startsWith(
            broken.getClass().getName()
                + ".create() threw java.lang.IllegalStateException: no D-Bus; ");
    assertThat(findings.warnings()).hasSize(1);
  }

  @Test
  void anAcquireThatThrowsIsReportedNotThrown() {
    KeepAwake throwing =
        new KeepAwake() {
          @Override
          public Handle acquire(String reason) {
            throw new UnsupportedOperationException("denied");
          }

          @Override
          public String describe() {
            return "throwing";
          }
        };

    Findings findings =
        run(new KeepAwakeChoice(Optional.of(throwing), List.of(), Optional.empty()));

    assertThat(findings.keepAwake().orElseThrow().detail())
        .isEqualTo("acquire() threw java.lang.UnsupportedOperationException: denied");
    assertThat(findings.warnings()).singleElement().asString().startsWith("keep-awake is not held");
  }

  @Test
  void withAnExplicitKeepAwakeEveryProviderIsListedButNoneSelected() {
    KeepAwakeProvider supported = provider(0, true, () -> new Scripted(true, null));
    KeepAwakeProvider unsupported = provider(1, false, () -> new Scripted(true, null));
    Scripted explicit = new Scripted(true, null);

    Findings findings =
        run(
            new KeepAwakeChoice(
                Optional.of(explicit), List.of(supported, unsupported), Optional.empty()));

    KeepAwakeReport report = findings.keepAwake().orElseThrow();
    assertThat(explicit.events).hasSize(2);
    assertThat(report.provider()).isEmpty();
    assertThat(report.detail()).isEqualTo("acquired and released");
    assertThat(report.candidates())
        .extracting(Candidate::order, Candidate::supported, Candidate::selected)
        .containsExactly(tuple(0, true, false), tuple(1, false, false));
    assertThat(report.candidates().get(0).note())
        .isEqualTo("supported, but another provider takes precedence");
    assertThat(report.candidates().get(1).note()).startsWith("not supported on ");
  }

  @Test
  void theChoiceIsTakenWhenTheCheckRunsNotBefore() {
    List<String> asked = new ArrayList<>();
    KeepAwakeCheck check =
        new KeepAwakeCheck(
            () -> {
              asked.add("choice");
              return KeepAwakeChoice.among(Optional.empty(), List.of());
            });
    assertThat(asked).isEmpty();

    Findings findings = new Findings();
    check.run(findings);

    assertThat(asked).containsExactly("choice");
    assertThat(findings.keepAwake().orElseThrow().implementation())
        .isEqualTo(KeepAwake.noop().describe());
  }
}
