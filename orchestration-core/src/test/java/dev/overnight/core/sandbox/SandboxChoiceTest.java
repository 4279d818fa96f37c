package dev.overnight.core.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overnight.api.Availability;
import dev.overnight.api.config.SandboxMode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What each {@code permissions.sandbox} makes of a machine with and without a sandbox. */
class SandboxChoiceTest {
  private static final List<String> LS = List.of("ls", "-l");
  private static final SandboxProfile PROFILE =
      SandboxProfile.builder(java.nio.file.Path.of("/w")).build();

  /** A sandbox that works: it puts its name in front of the command. */
  private static final Sandbox WORKING =
      new Sandbox() {
        @Override
        public String name() {
          return "bubblewrap";
        }

        @Override
        public boolean confines() {
          return true;
        }

        @Override
        public Availability availability() {
          return Availability.available("bubblewrap 0.8.0 (/usr/bin/bwrap)");
        }

        @Override
        public List<String> wrap(List<String> argv, SandboxProfile profile) {
          List<String> out = new ArrayList<>(List.of("bwrap", "--"));
          out.addAll(argv);
          return out;
        }
      };

  private static final Sandbox MISSING =
      Sandbox.unavailable("bubblewrap (bwrap) is not installed", "install bubblewrap");

  @Test
  void requiredConfinesWhereASandboxWorks() {
    SandboxChoice c = new SandboxChoice(SandboxMode.REQUIRED, WORKING);
    assertThat(c.refuses()).isFalse();
    assertThat(c.confines()).isTrue();
    assertThat(c.sandbox().wrap(LS, PROFILE)).containsExactly("bwrap", "--", "ls", "-l");
    assertThat(c.availability().available()).isTrue();
    assertThat(c.warning()).isEmpty();
    assertThat(c.describe()).isEqualTo("agents' commands run in bubblewrap 0.8.0 (/usr/bin/bwrap)");
  }

  @Test
  void requiredRefusesWhereNoSandboxWorksAndSaysHowToGetOne() {
    SandboxChoice c = new SandboxChoice(SandboxMode.REQUIRED, MISSING);
    assertThat(c.refuses()).isTrue();
    assertThat(c.confines()).isFalse();
    assertThat(c.availability().available()).isFalse();
    assertThat(c.availability().reason())
        .isEqualTo(
            "permissions.sandbox is required, but no sandbox can be used here: bubblewrap (bwrap)"
                + " is not installed");
    assertThat(c.availability().remedy())
        .contains(
            "install bubblewrap; or set permissions.sandbox to best_effort to run agents"
                + " unconfined");
    assertThatThrownBy(() -> c.sandbox().wrap(LS, PROFILE))
        .isInstanceOf(SandboxUnavailableException.class)
        .hasMessage(
            "cannot run ls in a sandbox: bubblewrap (bwrap) is not installed (install bubblewrap)");
    assertThat(c.warning()).isEmpty();
  }

  @Test
  void bestEffortConfinesWhereItCanAndWarnsWhereItCannot() {
    assertThat(new SandboxChoice(SandboxMode.BEST_EFFORT, WORKING).sandbox()).isSameAs(WORKING);
    assertThat(new SandboxChoice(SandboxMode.BEST_EFFORT, WORKING).warning()).isEmpty();

    SandboxChoice c = new SandboxChoice(SandboxMode.BEST_EFFORT, MISSING);
    assertThat(c.refuses()).isFalse();
    assertThat(c.confines()).isFalse();
    assertThat(c.availability().available()).isTrue();
    assertThat(c.sandbox().wrap(LS, PROFILE)).containsExactly("ls", "-l");
    assertThat(c.warning())
        .contains(
            "agents' commands run unconfined: no sandbox can be used here (bubblewrap (bwrap) is"
                + " not installed; install bubblewrap)");
  }

  @Test
  void offNeverConfinesAndAlwaysWarns() {
    SandboxChoice c = new SandboxChoice(SandboxMode.OFF, WORKING);
    assertThat(c.confines()).isFalse();
    assertThat(c.sandbox().wrap(LS, PROFILE)).containsExactly("ls", "-l");
    assertThat(c.warning())
        .hasValueSatisfying(w -> assertThat(w).startsWith("permissions.sandbox is off"));
    assertThat(new SandboxChoice(SandboxMode.OFF, MISSING).refuses()).isFalse();
  }
}
