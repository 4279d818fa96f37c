package dev.overnight.core.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overnight.api.Availability;
import dev.overnight.api.KeepAwake;
import dev.overnight.api.KeepAwakeProvider;
import dev.overnight.api.agent.AgentCapabilities;
import dev.overnight.api.agent.AgentProvider;
import dev.overnight.api.agent.AgentSession;
import dev.overnight.api.agent.SessionRequest;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.Constraints;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.PermissionMode;
import dev.overnight.api.config.Permissions;
import dev.overnight.api.config.SandboxMode;
import dev.overnight.api.config.UnknownPolicy;
import dev.overnight.api.constraint.ConstraintChecker;
import dev.overnight.api.constraint.ConstraintCheckerProvider;
import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.api.constraint.ConstraintSettings;
import dev.overnight.api.constraint.ConstraintStatus;
import dev.overnight.core.platform.CheckerSettings;
import dev.overnight.core.process.CommandResult;
import dev.overnight.core.process.CommandRunner;
import dev.overnight.core.sandbox.Sandbox;
import dev.overnight.core.sandbox.SandboxProfile;
import dev.overnight.core.sandbox.Sandboxes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DoctorTest {
  private static final Instant AT = Instant.parse("2026-11-25T03:00:00Z");
  private final CountDownLatch neverReleased = new CountDownLatch(1);

  @TempDir Path temp;

  @AfterEach
  void releaseHungChecker() {
    neverReleased.countDown();
  }

  /** A provider with a fixed answer, support flag and order. */
  record Fixed(String name, boolean supported, int order, ConstraintResult answer)
      implements ConstraintCheckerProvider {
    @Override
    public boolean isSupported() {
      return supported;
    }

    @Override
    public ConstraintChecker create(ConstraintSettings settings) {
      CheckerSettings.requireFlag(settings);
      return new ConstraintChecker() {
        @Override
        public String name() {
          return name;
        }

        @Override
        public ConstraintResult check() {
          return answer;
        }
      };
    }
  }

  /** Another class, so that candidates differ by class name. */
  record Unsupported(String name) implements ConstraintCheckerProvider {
    @Override
    public boolean isSupported() {
      return false;
    }

    @Override
    public ConstraintChecker create(ConstraintSettings settings) {
      throw new AssertionError("never created: not supported");
    }
  }

  final class Hanging implements ConstraintCheckerProvider {
    @Override
    public String name() {
      return "hangs";
    }

    @Override
    public ConstraintChecker create(ConstraintSettings settings) {
      return new ConstraintChecker() {
        @Override
        public String name() {
          return "hangs";
        }

        @Override
        public ConstraintResult check() {
          try {
            neverReleased.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return ConstraintResult.satisfied("released");
        }
      };
    }
  }

  static final class RecordingKeepAwake implements KeepAwake {
    final AtomicBoolean released = new AtomicBoolean();
    final boolean holds;

    RecordingKeepAwake(boolean holds) {
      this.holds = holds;
    }

    @Override
    public Handle acquire(String reason) {
      return new Handle() {
        @Override
        public boolean held() {
          return holds;
        }

        @Override
        public void close() {
          released.set(true);
        }
      };
    }

    @Override
    public String describe() {
      return holds ? "test inhibitor" : "test inhibitor (no bus)";
    }
  }

  record Agent(String id, Availability availability) implements AgentProvider {
    @Override
    public AgentCapabilities capabilities() {
      throw new UnsupportedOperationException();
    }

    @Override
    public AgentSession open(SessionRequest request) {
      throw new UnsupportedOperationException();
    }
  }

  /** Answers git and gh as scripted, recording what was run. */
  static final class ScriptedCommands implements CommandRunner {
    final Map<String, CommandResult> answers;
    final List<String> ran = new ArrayList<>();

    ScriptedCommands(Map<String, CommandResult> answers) {
      this.answers = answers;
    }

    @Override
    public CommandResult run(List<String> command, Duration timeout) {
      String line = String.join(" ", command);
      ran.add(line);
      return answers.getOrDefault(
          line, CommandResult.notStarted(command, "command not found: " + command.get(0)));
    }
  }

  private static CommandResult ok(String out) {
    return CommandResult.exited(List.of("x"), 0, out, "");
  }

  private OrchestrationConfig config(Duration timeout, Map<String, Object> plugins) {
    Constraints c =
        new Constraints(
            true,
            false,
            false,
            Optional.of(75.0),
            false,
            false,
            10,
            UnknownPolicy.FAIL,
            timeout,
            Duration.ofMinutes(1),
            plugins);
    return OrchestrationConfig.builder(ConfigValue.of(temp.toString())).constraints(c).build();
  }

  /** A sandbox that can be used, whatever this machine has. */
  static final Sandbox BUBBLEWRAP =
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
          List<String> wrapped = new ArrayList<>(List.of("/usr/bin/bwrap", "--"));
          wrapped.addAll(argv);
          return wrapped;
        }
      };

  private Doctor.Builder doctor() {
    return Doctor.builder()
        .clock(InstantSource.fixed(AT))
        .sandbox(BUBBLEWRAP)
        .stateDir(temp.resolve("state"))
        .commandRunner(
            new ScriptedCommands(
                Map.of(
                    "git --version", ok("git version 2.39.5\n"),
                    "gh --version", ok("gh version 2.40.0 (2026-01-01)\n"),
                    "gh auth status",
                        CommandResult.exited(
                            List.of("gh"), 1, "", "You are not logged into any GitHub hosts.\n"))));
  }

  @Test
  void reportsEachCheckerWithTheProviderThatServedItAndWhyOthersDidNot() {
    DoctorReport report =
        doctor()
            .config(config(Duration.ofSeconds(5), Map.of()), "test config")
            .checkerProviders(
                List.of(
                    new Unsupported("plugged_in"),
                    new Fixed(
                        "plugged_in", true, 0, ConstraintResult.unsatisfied("on battery (58%)")),
                    new Fixed(
                        "wifi_only",
                        true,
                        0,
                        ConstraintResult.satisfied("primary interface en0 is Wi-Fi"))))
            .build()
            .run();

    assertThat(report.generatedAt()).isEqualTo(AT);
    assertThat(report.config().enabledCheckers())
        .containsExactly("plugged_in", "cpu_max_percentage");
    DoctorReport.CheckerReport plugged = checker(report, "plugged_in");
    assertThat(plugged.status()).isEqualTo(ConstraintStatus.UNSATISFIED);
    assertThat(plugged.reason()).isEqualTo("on battery (58%)");
    assertThat(plugged.enabled()).isTrue();
    assertThat(plugged.provider()).contains(Fixed.class.getName());
    assertThat(plugged.candidates())
        .extracting(DoctorReport.Candidate::className, DoctorReport.Candidate::selected)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Unsupported.class.getName(), false),
            org.assertj.core.groups.Tuple.tuple(Fixed.class.getName(), true));
    assertThat(plugged.candidates().get(0).note()).startsWith("not supported on ");

    DoctorReport.CheckerReport wifi = checker(report, "wifi_only");
    assertThat(wifi.enabled()).isFalse();
    assertThat(wifi.status()).isEqualTo(ConstraintStatus.SATISFIED);

    DoctorReport.CheckerReport cpu = checker(report, "cpu_max_percentage");
    assertThat(cpu.status()).isEqualTo(ConstraintStatus.UNKNOWN);
    assertThat(cpu.reason()).contains("no provider serves 'cpu_max_percentage'");
    assertThat(report.problems())
        .anySatisfy(
            p -> assertThat(p).startsWith("constraint 'cpu_max_percentage' is enabled but"));
    assertThat(report.warnings())
        .anySatisfy(w -> assertThat(w).contains("'plugged_in' holds cycles back right now"));
    assertThat(report.healthy()).isFalse();
  }

  @Test
  void aCheckerThatHangsIsReportedUnknownAfterTheCheckTimeout() {
    DoctorReport report =
        doctor()
            .config(config(Duration.ofMillis(200), Map.of("hangs", true)), "test")
            .checkerProviders(List.of(new Hanging()))
            .build()
            .run();
    DoctorReport.CheckerReport hangs = checker(report, "hangs");
    assertThat(hangs.status()).isEqualTo(ConstraintStatus.UNKNOWN);
    assertThat(hangs.reason()).isEqualTo("no answer within 200 ms (check_timeout)");
  }

  @Test
  void settingsAProviderRejectsAreAProblemNamingThePath() {
    DoctorReport report =
        doctor()
            .config(config(Duration.ofSeconds(5), Map.of("custom", "yes")), "test")
            .checkerProviders(
                List.of(new Fixed("custom", true, 0, ConstraintResult.satisfied("fine"))))
            .build()
            .run();
    assertThat(checker(report, "custom").reason())
        .contains("settings rejected")
        .contains("/constraints/checkers/custom");
    assertThat(report.problems()).anySatisfy(p -> assertThat(p).startsWith("constraint 'custom'"));
  }

  @Test
  void keepAwakeIsAcquiredAndReleasedFromTheLowestOrderSupportedProvider() {
    RecordingKeepAwake good = new RecordingKeepAwake(true);
    RecordingKeepAwake worse = new RecordingKeepAwake(true);
    DoctorReport report =
        doctor()
            .keepAwakeProviders(
                List.of(provider("worse", 5, true, worse), provider("good", 1, true, good)))
            .build()
            .run();
    assertThat(report.keepAwake().held()).isTrue();
    assertThat(report.keepAwake().detail()).isEqualTo("acquired and released");
    assertThat(good.released).isTrue();
    assertThat(worse.released).isFalse();
    assertThat(report.keepAwake().candidates()).hasSize(2);
  }

  @Test
  void aKeepAwakeThatHoldsNothingIsAWarning() {
    DoctorReport report = doctor().keepAwake(new RecordingKeepAwake(false)).build().run();
    assertThat(report.keepAwake().held()).isFalse();
    assertThat(report.warnings())
        .anySatisfy(
            w -> assertThat(w).startsWith("keep-awake is not held (test inhibitor (no bus))"));
  }

  @Test
  void noKeepAwakeProviderFallsBackToNoop() {
    DoctorReport report = doctor().build().run();
    assertThat(report.keepAwake().implementation()).isEqualTo(KeepAwake.noop().describe());
    assertThat(report.keepAwake().provider()).isEmpty();
  }

  @Test
  void agentsToolsAndStateAreReported() throws Exception {
    Path state = temp.resolve("state");
    Files.createDirectories(state);
    Files.write(state.resolve("overnight.db"), new byte[4096]);
    DoctorReport report =
        doctor()
            .agentProviders(
                List.of(
                    new Agent("claude-code", Availability.available("found at /usr/bin/claude")),
                    new Agent(
                        "codex",
                        Availability.unavailable("command not found: codex-acp", "npm i codex"))))
            .build()
            .run();
    assertThat(report.agents())
        .extracting(DoctorReport.AgentReport::id, DoctorReport.AgentReport::available)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("claude-code", true),
            org.assertj.core.groups.Tuple.tuple("codex", false));
    assertThat(report.tools())
        .extracting(DoctorReport.ToolReport::name, DoctorReport.ToolReport::ok)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("git", true),
            org.assertj.core.groups.Tuple.tuple("gh", true),
            org.assertj.core.groups.Tuple.tuple("gh auth", false));
    assertThat(report.tools().get(0).detail()).isEqualTo("git version 2.39.5");
    assertThat(report.tools().get(2).detail())
        .isEqualTo("exit 1: You are not logged into any GitHub hosts.");
    assertThat(report.state()).hasSize(2);
    assertThat(report.state().get(0).exists()).isTrue();
    assertThat(report.state().get(0).writable()).isTrue();
    assertThat(report.state().get(1).sizeBytes()).hasValue(4096);
    assertThat(report.problems()).isEmpty();
    assertThat(report.warnings()).anySatisfy(w -> assertThat(w).startsWith("gh is not logged in"));
  }

  @Test
  void missingGitIsAProblemAndAMissingStateFolderWillBeCreated() {
    DoctorReport report =
        Doctor.builder()
            .clock(InstantSource.fixed(AT))
            .stateDir(temp.resolve("a/b/state"))
            .commandRunner(new ScriptedCommands(Map.of()))
            .build()
            .run();
    assertThat(report.tools().get(0).detail()).isEqualTo("command not found: git");
    assertThat(report.tools().get(2).detail()).isEqualTo("not checked: gh does not work");
    assertThat(report.problems()).anySatisfy(p -> assertThat(p).startsWith("git does not work"));
    assertThat(report.state().get(0).exists()).isFalse();
    assertThat(report.state().get(0).writable()).isTrue();
    assertThat(report.state().get(0).note()).startsWith("does not exist yet; will be created");
  }

  @Test
  void aUsableSandboxIsReportedWithWhatTheConfigMakesOfIt() throws Exception {
    DoctorReport report = doctor().build().run();

    assertThat(report.sandbox().sandbox()).isEqualTo("bubblewrap");
    assertThat(report.sandbox().available()).isTrue();
    assertThat(report.sandbox().mode()).isEqualTo("required");
    assertThat(report.sandbox().effect())
        .isEqualTo("agents' commands run in bubblewrap 0.8.0 (/usr/bin/bwrap)");
    assertThat(report.problems()).noneSatisfy(p -> assertThat(p).contains("sandbox"));
    assertThat(report.warnings()).noneSatisfy(w -> assertThat(w).contains("sandbox"));
    assertThat(report.toText())
        .contains("\nSandbox\n")
        .contains("found         bubblewrap: bubblewrap 0.8.0 (/usr/bin/bwrap)");
    JsonNode json = new ObjectMapper().readTree(report.toJson()).get("sandbox");
    assertThat(json.get("available").asBoolean()).isTrue();
    assertThat(json.get("mode").asText()).isEqualTo("required");
  }

  @Test
  void noSandboxWhereOneIsRequiredIsAProblemThatSaysNoTaskWillStartAndHowToFixIt() {
    DoctorReport report =
        doctor()
            .sandbox(
                Sandbox.unavailable(
                    "bubblewrap (bwrap) is not installed", Sandboxes.INSTALL_BUBBLEWRAP))
            .build()
            .run();

    assertThat(report.sandbox().available()).isFalse();
    assertThat(report.sandbox().remedy()).contains(Sandboxes.INSTALL_BUBBLEWRAP);
    assertThat(report.sandbox().effect()).startsWith("no task starts");
    assertThat(report.healthy()).isFalse();
    assertThat(report.problems())
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith(
                        "permissions.sandbox is required, but no sandbox can be used here:"
                            + " bubblewrap (bwrap) is not installed: no task will start")
                    .contains("sudo apt-get install bubblewrap")
                    .contains("set permissions.sandbox to best_effort"));
  }

  @Test
  void commandsThatWouldRunUnconfinedAreAWarning() {
    OrchestrationConfig bestEffort =
        OrchestrationConfig.builder(ConfigValue.of(temp.toString()))
            .permissions(
                new Permissions(PermissionMode.UNATTENDED, false, SandboxMode.BEST_EFFORT, false))
            .build();
    DoctorReport noSandbox =
        doctor()
            .config(bestEffort, "test config")
            .sandbox(Sandbox.unavailable("bubblewrap (bwrap) is not installed", "install it"))
            .build()
            .run();
    assertThat(noSandbox.problems()).noneSatisfy(p -> assertThat(p).contains("sandbox"));
    assertThat(noSandbox.warnings())
        .contains(
            "agents' commands run unconfined: no sandbox can be used here (bubblewrap (bwrap) is"
                + " not installed; install it)");

    OrchestrationConfig off =
        bestEffort.toBuilder()
            .permissions(new Permissions(PermissionMode.UNATTENDED, false, SandboxMode.OFF, false))
            .build();
    DoctorReport turnedOff = doctor().config(off, "test config").build().run();
    assertThat(turnedOff.sandbox().effect())
        .isEqualTo("agents' commands run unconfined (permissions.sandbox is off)");
    assertThat(turnedOff.warnings())
        .anySatisfy(w -> assertThat(w).startsWith("permissions.sandbox is off"));
  }

  @Test
  void rendersTextAndJson() throws Exception {
    DoctorReport report =
        doctor()
            .config(config(Duration.ofSeconds(5), Map.of()), "/home/me/overnight.json")
            .checkerProviders(
                List.of(
                    new Fixed("plugged_in", true, 0, ConstraintResult.satisfied("on AC power"))))
            .keepAwake(new RecordingKeepAwake(true))
            .build()
            .run();
    String text = report.toText();
    assertThat(text)
        .contains("Overnight doctor")
        .contains("\nConstraint checkers\n")
        .contains("plugged_in          SATISFIED    on AC power")
        .contains("served by " + Fixed.class.getName())
        .contains("\nKeep-awake\n")
        .contains("git           ok: git version 2.39.5")
        .contains("PROBLEM  constraint 'cpu_max_percentage' is enabled but");

    JsonNode json = new ObjectMapper().readTree(report.toJson());
    assertThat(json.get("generated_at").asText()).isEqualTo(AT.toString());
    assertThat(json.get("system").get("java_version").asText())
        .isEqualTo(System.getProperty("java.version"));
    JsonNode first = json.get("checkers").get(0);
    assertThat(first.get("name").asText()).isEqualTo("plugged_in");
    assertThat(first.get("status").asText()).isEqualTo("SATISFIED");
    assertThat(first.get("reason").asText()).isEqualTo("on AC power");
    assertThat(first.get("provider").asText()).isEqualTo(Fixed.class.getName());
    for (JsonNode c : json.get("checkers")) {
      assertThat(c.get("status").asText()).isIn("SATISFIED", "UNSATISFIED", "UNKNOWN");
      assertThat(c.get("reason").asText()).isNotBlank();
    }
    assertThat(json.get("keep_awake").get("held").asBoolean()).isTrue();
    assertThat(json.get("config").get("source").asText()).isEqualTo("/home/me/overnight.json");
    assertThat(json.get("healthy").asBoolean()).isFalse();
  }

  private static KeepAwakeProvider provider(
      String name, int order, boolean supported, KeepAwake keepAwake) {
    return new KeepAwakeProvider() {
      @Override
      public String name() {
        return name;
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
        return keepAwake;
      }
    };
  }

  private static DoctorReport.CheckerReport checker(DoctorReport report, String name) {
    return report.checkers().stream()
        .filter(c -> c.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no checker " + name + " in " + report.checkers()));
  }

  /** A headless Linux box: logind has no session to say whether the user is active. */
  private static final ConstraintResult NO_SESSION =
      ConstraintResult.unknown(
          "cannot read logind's IdleHint (busctl: exit 1: No such device or address)");

  private OrchestrationConfig suspendIfActive(UnknownPolicy onUnknown) {
    Constraints c =
        new Constraints(
            false,
            false,
            false,
            Optional.empty(),
            false,
            true,
            10,
            onUnknown,
            Duration.ofSeconds(5),
            Duration.ofMinutes(1),
            Map.of());
    return OrchestrationConfig.builder(ConfigValue.of(temp.toString())).constraints(c).build();
  }

  @Test
  void aHeadlessBoxWithSuspendIfActiveAndOnUnknownFailWillNeverRunANight() throws Exception {
    DoctorReport report =
        doctor()
            .config(suspendIfActive(UnknownPolicy.FAIL), "test")
            .checkerProviders(List.of(new Fixed("suspend_if_active", true, 0, NO_SESSION)))
            .build()
            .run();

    assertThat(report.nightPossible()).isFalse();
    assertThat(report.healthy()).isFalse();
    assertThat(report.neverRuns())
        .singleElement()
        .satisfies(
            r ->
                assertThat(r)
                    .contains("constraint 'suspend_if_active' cannot be read on this machine")
                    .contains("cannot read logind's IdleHint")
                    .contains("fix: set constraints.on_unknown to \"pass\""));
    assertThat(report.problems())
        .anySatisfy(p -> assertThat(p).startsWith("this config will never run here: constraint"));
    assertThat(report.toText()).contains("PROBLEM  this config will never run here: ");
    JsonNode json = new ObjectMapper().readTree(report.toJson());
    assertThat(json.get("night_possible").asBoolean()).isFalse();
    assertThat(json.get("never_runs_here").get(0).asText()).contains("suspend_if_active");
  }

  @Test
  void theSameBoxRunsNightsWhenAnUnreadableConstraintPasses() {
    DoctorReport report =
        doctor()
            .config(suspendIfActive(UnknownPolicy.PASS), "test")
            .checkerProviders(List.of(new Fixed("suspend_if_active", true, 0, NO_SESSION)))
            .build()
            .run();

    assertThat(report.nightPossible()).isTrue();
    assertThat(report.problems()).noneMatch(p -> p.contains("never run here"));
    assertThat(report.warnings())
        .anySatisfy(w -> assertThat(w).contains("'suspend_if_active' cannot tell"));
  }

  @Test
  void aCheckerThatOnlyOverranItsTimeoutDoesNotCondemnEveryNight() {
    DoctorReport report =
        doctor()
            .config(config(Duration.ofMillis(200), Map.of("hangs", true)), "test")
            .checkerProviders(
                List.of(
                    new Fixed("plugged_in", true, 0, ConstraintResult.satisfied("on AC")),
                    new Hanging()))
            .build()
            .run();

    assertThat(checker(report, "hangs").status()).isEqualTo(ConstraintStatus.UNKNOWN);
    // cpu_max_percentage has no provider in this test, which does condemn every night.
    assertThat(report.neverRuns())
        .singleElement()
        .satisfies(r -> assertThat(r).contains("'cpu_max_percentage'").doesNotContain("hangs"));
  }

  @Test
  void aScheduleThatNeverFiresInsideItsWindowWillNeverRunANight() {
    OrchestrationConfig noon =
        OrchestrationConfig.builder(ConfigValue.of(temp.toString()))
            .schedule(
                dev.overnight.api.config.Schedule.cron("0 12 * * *")
                    .withWindow(java.time.LocalTime.of(1, 0), java.time.LocalTime.of(5, 0)))
            .build();

    DoctorReport report = doctor().config(noon, "test").build().run();

    assertThat(report.neverRuns())
        .singleElement()
        .satisfies(
            r ->
                assertThat(r)
                    .contains("the schedule \"0 12 * * *\" never fires inside the window")
                    .contains("fix: change schedule.cron or the window"));
    assertThat(report.healthy()).isFalse();
  }
}
