package dev.overnight.core.doctor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overnight.api.KeepAwake;
import dev.overnight.api.KeepAwakeProvider;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.Constraints;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.UnknownPolicy;
import dev.overnight.api.constraint.ConstraintCheckerProvider;
import dev.overnight.core.process.CommandResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the doctor is put together, and how it runs its checks. */
class DoctorBuilderTest {
  private static final Instant AT = Instant.parse("2026-11-25T03:00:00Z");

  @TempDir Path temp;

  private Doctor.Builder doctor() {
    return Doctor.builder()
        .clock(InstantSource.fixed(AT))
        .sandbox(DoctorTest.BUBBLEWRAP)
        .stateDir(temp.resolve("state"))
        .commandRunner(
            (command, timeout) -> CommandResult.notStarted(command, "not on this machine"));
  }

  /** Records when it is asked anything. */
  final class Watched implements KeepAwakeProvider {
    final List<String> asked = new ArrayList<>();

    @Override
    public String name() {
      return "watched";
    }

    @Override
    public boolean isSupported() {
      asked.add("isSupported");
      return true;
    }

    @Override
    public KeepAwake create() {
      asked.add("create");
      return KeepAwake.noop();
    }
  }

  @Test
  void buildingTouchesNoProviderRunningDoes() {
    Watched provider = new Watched();
    Doctor doctor = doctor().keepAwakeProviders(List.of(provider)).build();
    assertThat(provider.asked).isEmpty();

    DoctorReport report = doctor.run();

    assertThat(provider.asked).contains("isSupported", "create");
    assertThat(report.keepAwake().provider()).contains(Watched.class.getName());
  }

  @Test
  void anExplicitKeepAwakeWinsAndTheProvidersFoundAreStillListed() {
    Watched provider = new Watched();

    DoctorReport report =
        doctor().keepAwakeProviders(List.of(provider)).keepAwake(KeepAwake.noop()).build().run();

    assertThat(provider.asked).doesNotContain("create");
    assertThat(report.keepAwake().provider()).isEmpty();
    assertThat(report.keepAwake().candidates())
        .singleElement()
        .satisfies(c -> assertThat(c.selected()).isFalse());
  }

  @Test
  void problemsAreListedInTheOrderOfTheChecksThatRaisedThem() throws Exception {
    Path notAFolder = Files.writeString(temp.resolve("state-file"), "x");
    OrchestrationConfig pluggedIn =
        OrchestrationConfig.builder(ConfigValue.of(temp.toString()))
            .constraints(
                new Constraints(
                    true,
                    false,
                    false,
                    Optional.empty(),
                    false,
                    false,
                    10,
                    UnknownPolicy.FAIL,
                    Duration.ofSeconds(2),
                    Duration.ofMinutes(1),
                    Map.of()))
            .build();

    DoctorReport report = doctor().config(pluggedIn, "test").stateDir(notAFolder).build().run();

    assertThat(report.problems())
        .extracting(p -> p.substring(0, p.indexOf(' ')))
        // plugged_in has no provider here and on_unknown is fail: no night can ever run.
        .containsExactly("constraint", "this", "git", "state");
    assertThat(report.warnings())
        .extracting(w -> w.substring(0, w.indexOf(' ')))
        .containsExactly("keep-awake", "no", "gh");
  }

  @Test
  void theSameDoctorRunsAgainFromScratch() {
    Doctor doctor = doctor().build();

    DoctorReport first = doctor.run();
    DoctorReport second = doctor.run();

    assertThat(second.problems()).isEqualTo(first.problems());
    assertThat(second.warnings()).isEqualTo(first.warnings());
  }

  @Test
  void aMissingListOrListElementIsNamed() {
    List<ConstraintCheckerProvider> withHole = Arrays.asList(null, null);

    assertThatThrownBy(() -> Doctor.builder().checkerProviders(withHole))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("checkerProviders: element 0 is null");
    assertThatThrownBy(() -> Doctor.builder().agentProviders(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("agentProviders: give an empty list for none");
    assertThatThrownBy(
            () -> Doctor.builder().keepAwakeProviders(Arrays.asList(new Watched(), null)))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("keepAwakeProviders: element 1 is null");
  }

  @Test
  void aConfigWithoutASourceIsRejected() {
    OrchestrationConfig config = OrchestrationConfig.builder(ConfigValue.of(".")).build();

    assertThatThrownBy(() -> Doctor.builder().config(config, " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the source is blank");
    assertThatThrownBy(() -> Doctor.builder().config(null, "defaults"))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("the configuration to examine is missing");
  }

  @Test
  void aDatabaseFileThatIsTheStateFolderIsRejected() {
    Path state = temp.resolve("state");

    assertThatThrownBy(() -> doctor().stateDir(state).databaseFile(state.resolve("x/..")).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("databaseFile and stateDir are both " + state);
  }
}
