package dev.overnight.core.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.overnight.api.Availability;
import dev.overnight.api.WakeScheduler;
import dev.overnight.api.WakeSchedulerProvider;
import dev.overnight.api.agent.AgentCapabilities;
import dev.overnight.api.agent.AgentProvider;
import dev.overnight.api.agent.AgentSession;
import dev.overnight.api.agent.AuthenticationRequiredException;
import dev.overnight.api.agent.QuotaWindow;
import dev.overnight.api.agent.SessionRequest;
import dev.overnight.api.config.AgentPreferences;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.Constraints;
import dev.overnight.api.config.Limits;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.PermissionMode;
import dev.overnight.api.config.Permissions;
import dev.overnight.api.config.PrAutomation;
import dev.overnight.api.config.SandboxMode;
import dev.overnight.api.config.Schedule;
import dev.overnight.api.config.SpendingLimit;
import dev.overnight.api.config.UnknownPolicy;
import dev.overnight.api.config.WorktreeSettings;
import dev.overnight.api.constraint.ConstraintChecker;
import dev.overnight.api.constraint.ConstraintCheckerProvider;
import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.api.constraint.ConstraintSettings;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskId;
import dev.overnight.api.queue.TaskPriority;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.core.doctor.Doctor;
import dev.overnight.core.json.OvernightJson;
import dev.overnight.core.rehearsal.RehearsalFinding.Severity;
import dev.overnight.core.worktree.Git;
import dev.overnight.fakes.ManualTimeSource;
import dev.overnight.fakes.RecordingWakeScheduler;
import dev.overnight.fakes.SmallDisk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rehearsal against a stand-in service: a unit whose PATH and environment file are not this
 * shell's, a real repository, a fake {@code gh} on the service's PATH, stand-in agents.
 */
class RehearsalTest {
  private static final Instant NOW = Instant.parse("2026-11-25T22:00:00Z");

  @TempDir Path temp;

  private final ManualTimeSource time = ManualTimeSource.at("2026-11-25T22:00:00Z");
  private Path workspace;
  private Path serviceBin;
  private Path shellBin;
  private Path unit;
  private Path envFile;
  private Map<String, String> shell;

  @BeforeEach
  void repositoryAndService() throws Exception {
    workspace = Files.createDirectories(temp.resolve("repo"));
    Git git = new Git(workspace);
    git.check("init", "-q", "-b", "main");
    git.check("config", "user.email", "night@example.com");
    git.check("config", "user.name", "Night");
    Files.writeString(workspace.resolve("README.md"), "hello\n");
    git.check("add", ".");
    git.check("commit", "-q", "-m", "first");
    serviceBin = Files.createDirectories(temp.resolve("service-bin"));
    shellBin = Files.createDirectories(temp.resolve("shell-bin"));
    unit = temp.resolve("overnight-test.service");
    Files.writeString(unit, "[Service]\n");
    envFile = temp.resolve("test.env");
    shell = new HashMap<>(System.getenv());
    shell.put("PATH", shellBin + ":/usr/bin:/bin");
  }

  private ServiceEnvironment service(Map<String, String> extra) {
    Map<String, String> vars = new HashMap<>();
    vars.put("HOME", temp.toString());
    vars.put("PATH", serviceBin + ":/usr/bin:/bin");
    vars.putAll(extra);
    return new ServiceEnvironment(
        "systemd unit " + unit, vars, temp, Optional.of(unit), Optional.of(envFile));
  }

  private OrchestrationConfig.Builder config() {
    return OrchestrationConfig.builder(ConfigValue.of(workspace.toString()))
        .permissions(new Permissions(PermissionMode.UNATTENDED, false, SandboxMode.OFF, false));
  }

  private Rehearsal.Builder rehearsal(OrchestrationConfig config, AgentProvider... agents) {
    return Rehearsal.builder(config, "overnight.json")
        .service(service(Map.of()))
        .processEnvironment(shell)
        .agentProviders(List.of(agents))
        .stateDir(temp.resolve("state"))
        .clock(time)
        .freeSpace(p -> 64L * 1024 * 1024 * 1024);
  }

  private static void script(Path file, String body) throws Exception {
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private static RehearsalFinding finding(RehearsalReport report, String area) {
    return report.findings().stream()
        .filter(f -> f.area().equals(area) && f.severity() != Severity.OK)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no finding for " + area + ": " + report.toText()));
  }

  /** A stand-in agent: available or not, and a probe that works or fails as told. */
  static final class StandIn implements AgentProvider {
    final String id;
    final Availability availability;
    final Optional<RuntimeException> probeFailure;
    final List<Path> probedIn = new ArrayList<>();
    final AtomicInteger prompts = new AtomicInteger();

    StandIn(String id, Availability availability, Optional<RuntimeException> probeFailure) {
      this.id = id;
      this.availability = availability;
      this.probeFailure = probeFailure;
    }

    static StandIn working(String id) {
      return new StandIn(id, Availability.available(id + " found"), Optional.empty());
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public Availability availability() {
      return availability;
    }

    @Override
    public AgentCapabilities capabilities() {
      return AgentCapabilities.baseline();
    }

    @Override
    public AgentSession open(SessionRequest request) {
      throw new AssertionError("a rehearsal probes; it never opens a session to prompt");
    }

    @Override
    public void probe(SessionRequest request) {
      probedIn.add(request.workingDirectory());
      probeFailure.ifPresent(
          e -> {
            throw e;
          });
    }
  }

  @Test
  void aNightThatWouldRunIsSaidSoAndLeavesNothingBehind() throws Exception {
    Path log = temp.resolve("setup.log");
    StandIn agent = StandIn.working("stand-in");
    OrchestrationConfig config =
        config()
            .worktree(
                new WorktreeSettings(
                    Optional.of("pwd >> " + log),
                    List.of(),
                    WorktreeSettings.DEFAULT_MAX_DISK_MB,
                    false))
            .build();

    RehearsalReport report = rehearsal(config, agent).build().run();

    assertThat(report.problems()).as(report.toText()).isEmpty();
    assertThat(report.nightWouldRun()).isTrue();
    assertThat(report.toText()).contains("A night would run.");
    // The setup ran in the scratch worktree, where the agent was probed; both are gone now.
    Path scratch = Path.of(Files.readString(log).strip());
    assertThat(scratch.getParent()).isEqualTo(temp.resolve("state/worktrees"));
    assertThat(agent.probedIn).singleElement().isEqualTo(scratch);
    assertThat(scratch).doesNotExist();
    Git git = new Git(workspace);
    assertThat(git.check("worktree", "list").lines()).hasSize(1);
    assertThat(git.check("branch", "--list").strip()).isEqualTo("* main");
    assertThat(report.findings())
        .contains(
            RehearsalFinding.ok("service", "rehearsed in the context of the systemd unit " + unit));
  }

  /** A wake scheduler provider whose scheduler is the given one. */
  private static WakeSchedulerProvider wakes(WakeScheduler scheduler) {
    return new WakeSchedulerProvider() {
      @Override
      public String name() {
        return "stand-in";
      }

      @Override
      public boolean isSupported() {
        return true;
      }

      @Override
      public WakeScheduler create() {
        return scheduler;
      }
    };
  }

  @Test
  void wakesTurnedOnWhereNoneCanBeScheduledIsAProblemWithItsFix() {
    RecordingWakeScheduler refused = new RecordingWakeScheduler();
    refused.refuse("rtcwake needs root or CAP_SYS_TIME (grant AmbientCapabilities=CAP_SYS_TIME)");
    OrchestrationConfig config =
        config()
            .schedule(Schedule.cron("0 2 * * *").withWake(new Schedule.Wake(true, 120)))
            .build();

    RehearsalReport report =
        rehearsal(config, StandIn.working("stand-in"))
            .doctor(Doctor.builder().wakeSchedulerProviders(List.of(wakes(refused))))
            .build()
            .run();

    RehearsalFinding wake = finding(report, "wake");
    assertThat(wake.severity()).isEqualTo(Severity.PROBLEM);
    assertThat(wake.what())
        .contains("schedule.wake is on, but this machine cannot be woken")
        .contains("AmbientCapabilities=CAP_SYS_TIME");
    assertThat(wake.fix()).hasValueSatisfying(f -> assertThat(f).contains("schedule.wake.enabled"));
    assertThat(report.nightWouldRun()).isFalse();
    assertThat(refused.calls()).as("nothing is scheduled by a rehearsal").isEmpty();
  }

  @Test
  void wakesThatWorkAreSaidWithTheirMechanism() {
    OrchestrationConfig config =
        config()
            .schedule(Schedule.cron("0 2 * * *").withWake(new Schedule.Wake(true, 300)))
            .build();

    RehearsalReport report =
        rehearsal(config, StandIn.working("stand-in"))
            .doctor(
                Doctor.builder()
                    .wakeSchedulerProviders(List.of(wakes(new RecordingWakeScheduler()))))
            .build()
            .run();

    assertThat(report.findings())
        .filteredOn(f -> f.area().equals("wake"))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.severity()).isEqualTo(Severity.OK);
              assertThat(f.what())
                  .isEqualTo(
                      "the machine is woken 300 s before each wake through recording (wakes"
                          + " nothing)");
            });
  }

  @Test
  void copyFilesAreInTheScratchWorktreeBeforeItsSetupCommandRuns() throws Exception {
    Files.writeString(workspace.resolve(".env"), "TOKEN=local\n");
    OrchestrationConfig config =
        config()
            .worktree(
                new WorktreeSettings(
                    Optional.of("grep -q TOKEN=local .env"),
                    List.of(".env", "config/missing.yml"),
                    WorktreeSettings.DEFAULT_MAX_DISK_MB,
                    false))
            .build();

    RehearsalReport report = rehearsal(config, StandIn.working("stand-in")).build().run();

    assertThat(report.problems()).as(report.toText()).isEmpty();
    assertThat(report.findings())
        .filteredOn(f -> f.area().equals("worktree"))
        .extracting(RehearsalFinding::what)
        .contains(
            "worktree.copy_files copied in: .env",
            "a task's worktree was made and worktree.setup_command ran in it: grep -q"
                + " TOKEN=local .env");
    RehearsalFinding missing = finding(report, "worktree");
    assertThat(missing.severity()).isEqualTo(Severity.WARNING);
    assertThat(missing.what()).contains("config/missing.yml");
  }

  @Test
  void aProgramOnlyThisShellFindsIsAMissingPathEntryWithItsFolder() throws Exception {
    script(shellBin.resolve("make-deps"), "exit 0");
    OrchestrationConfig config =
        config()
            .worktree(
                new WorktreeSettings(
                    Optional.of("make-deps --frozen"),
                    List.of(),
                    WorktreeSettings.DEFAULT_MAX_DISK_MB,
                    false))
            .build();

    RehearsalReport report = rehearsal(config, StandIn.working("stand-in")).build().run();

    RehearsalFinding path = finding(report, "PATH");
    assertThat(path.severity()).isEqualTo(Severity.PROBLEM);
    assertThat(path.what()).contains("`make-deps` is not on the service's PATH");
    assertThat(path.fix())
        .hasValue(
            "add "
                + shellBin
                + " to the service's PATH (the PATH line in "
                + unit
                + "), or run `overnight install-service` again from a shell that finds it");
    assertThat(finding(report, "worktree").what())
        .contains("worktree.setup_command failed in a fresh worktree");
    assertThat(report.nightWouldRun()).isFalse();
  }

  @Test
  void aKeyOnlyThisShellHasGoesInTheServicesEnvironmentFile() {
    shell.put("STUB_API_KEY", "sk-stub-0123456789");
    StandIn agent =
        new StandIn(
            "stub",
            Availability.unavailable(
                "stub: stub-agent found, but no credentials: none of STUB_API_KEY",
                "set STUB_API_KEY, or log in once with `stub login`"),
            Optional.empty());

    RehearsalReport report = rehearsal(config().build(), agent).build().run();

    RehearsalFinding key = finding(report, "agent stub");
    assertThat(key.severity()).isEqualTo(Severity.PROBLEM);
    assertThat(key.what())
        .contains("cannot start in the service's context")
        .contains("STUB_API_KEY");
    assertThat(key.fix())
        .hasValue(
            "put STUB_API_KEY=… in "
                + envFile
                + " (the service reads it at start), then restart it");
    assertThat(agent.probedIn).as("an unavailable agent is not started").isEmpty();
  }

  @Test
  void anAgentThatCannotAuthenticateIsAProblemWithWhatToDo() {
    StandIn agent =
        new StandIn(
            "stand-in",
            Availability.available("stand-in found"),
            Optional.of(
                new AuthenticationRequiredException(
                    "stand-in is not logged in: the agent asked to authenticate")));

    RehearsalReport report = rehearsal(config().build(), agent).build().run();

    RehearsalFinding auth = finding(report, "agent stand-in");
    assertThat(auth.what())
        .isEqualTo(
            "cannot log in as the service: stand-in is not logged in: the agent asked to"
                + " authenticate");
    assertThat(auth.fix())
        .hasValue(
            "log stand-in in as the user the service runs as, or put its key in the service's"
                + " environment");
    assertThat(report.nightWouldRun()).isFalse();
  }

  @Test
  void ghLoggedOutIsAProblemWhenPullRequestsAreOnAndAPushIsTriedDry() throws Exception {
    script(
        serviceBin.resolve("gh"),
        "echo 'You are not logged into any GitHub hosts. To log in, run: gh auth login' >&2\n"
            + "exit 1");
    Path remote = temp.resolve("remote.git");
    new Git(temp).check("init", "-q", "--bare", "-b", "main", remote.toString());
    new Git(workspace).check("remote", "add", "origin", remote.toString());
    OrchestrationConfig config =
        config()
            .prAutomation(
                new PrAutomation(true, true, "overnight/", Optional.empty(), true, "origin"))
            .build();

    RehearsalReport report = rehearsal(config, StandIn.working("stand-in")).build().run();

    RehearsalFinding gh = finding(report, "gh");
    assertThat(gh.severity()).isEqualTo(Severity.PROBLEM);
    assertThat(gh.what())
        .startsWith("gh is not logged in for the service")
        .contains("You are not logged into any GitHub hosts");
    assertThat(gh.fix()).hasValue("run `gh auth login` as the user the service runs as");
    assertThat(report.findings())
        .anySatisfy(
            f -> {
              assertThat(f.area()).isEqualTo("git push");
              assertThat(f.severity()).isEqualTo(Severity.OK);
            });
    assertThat(new Git(remote).check("branch", "--list")).as("a dry run pushes nothing").isEmpty();
  }

  @Test
  void anUnwritableDiskForWorktreesIsAProblem() throws Exception {
    Path state = temp.resolve("state");
    try (SmallDisk disk = SmallDisk.mount(state, 8L * 1024 * 1024)) {
      disk.readOnly();
      StandIn agent = StandIn.working("stand-in");

      RehearsalReport report = rehearsal(config().build(), agent).build().run();

      RehearsalFinding f = finding(report, "disk");
      assertThat(f.severity()).isEqualTo(Severity.PROBLEM);
      assertThat(f.what()).startsWith("worktrees cannot be made in " + state.resolve("worktrees"));
      assertThat(f.fix())
          .hasValue(
              "make "
                  + state.resolve("worktrees")
                  + " writable by the service's user (and its disk writable), or set state_dir to"
                  + " a folder on a disk it can write");
      assertThat(agent.probedIn).as("probed elsewhere, in a folder of its own").hasSize(1);
      assertThat(report.nightWouldRun()).isFalse();
    }
  }

  @Test
  void tooLittleFreeSpaceIsAProblem() {
    RehearsalReport report =
        rehearsal(config().build(), StandIn.working("stand-in"))
            .freeSpace(p -> 100L * 1024 * 1024)
            .build()
            .run();

    RehearsalFinding f = finding(report, "disk");
    assertThat(f.what()).startsWith("only 100 MiB free on the disk holding");
    assertThat(f.fix()).hasValueSatisfying(fix -> assertThat(fix).contains("at least 1024 MiB"));
  }

  /** suspend_if_active as a headless Linux box answers it. */
  record NoSession() implements ConstraintCheckerProvider {
    @Override
    public String name() {
      return "suspend_if_active";
    }

    @Override
    public ConstraintChecker create(ConstraintSettings settings) {
      return new ConstraintChecker() {
        @Override
        public String name() {
          return "suspend_if_active";
        }

        @Override
        public ConstraintResult check() {
          return ConstraintResult.unknown("cannot read logind's IdleHint (busctl: exit 1)");
        }
      };
    }
  }

  @Test
  void aConfigThatCanNeverRunHereIsSaidSoWithWhyAndTheFix() throws Exception {
    Constraints suspend =
        new Constraints(
            false,
            false,
            false,
            Optional.empty(),
            false,
            true,
            10,
            UnknownPolicy.FAIL,
            Duration.ofSeconds(5),
            Duration.ofMinutes(1),
            Map.of());
    OrchestrationConfig config = config().constraints(suspend).build();

    RehearsalReport report =
        rehearsal(config, StandIn.working("stand-in"))
            .doctor(Doctor.builder().checkerProviders(List.of(new NoSession())))
            .build()
            .run();

    assertThat(report.neverRunsHere()).isTrue();
    RehearsalFinding never = finding(report, "this config will never run here");
    assertThat(never.what())
        .contains("constraint 'suspend_if_active' cannot be read on this machine")
        .contains("cannot read logind's IdleHint");
    assertThat(never.fix())
        .hasValue("set constraints.on_unknown to \"pass\", or turn 'suspend_if_active' off");
    assertThat(report.toText()).contains("This config will never run here");
    JsonNode json = OvernightJson.read(report.toJson());
    assertThat(json.get("never_runs_here").asBoolean()).isTrue();
    assertThat(json.get("night_would_run").asBoolean()).isFalse();
  }

  private static Task completed(double cost, long tokens) {
    Map<String, String> facts = new HashMap<>();
    TaskFacts.COST_USD.put(facts, cost);
    TaskFacts.TOKENS.put(facts, tokens);
    return Task.builder()
        .id(TaskId.of(UUID.randomUUID().toString()))
        .title("Add tests")
        .prompt("Write tests")
        .agentId(Optional.of("stand-in"))
        .priority(TaskPriority.MEDIUM)
        .opHash(UUID.randomUUID().toString().replace("-", "").substring(0, 16))
        .status(TaskStatus.COMPLETED)
        .attempts(1)
        .maxAttempts(3)
        .workerId(Optional.empty())
        .leaseExpiresAt(Optional.empty())
        .createdAt(NOW.minusSeconds(7200))
        .updatedAt(NOW.minusSeconds(3600))
        .startedAt(Optional.of(NOW.minusSeconds(7000)))
        .finishedAt(Optional.of(NOW.minusSeconds(3600)))
        .lastError(Optional.empty())
        .metadata(facts)
        .build();
  }

  @Test
  void theProjectionIsCappedByWhatTheNightsCyclesAndLimitsCanFit() {
    OrchestrationConfig config =
        config()
            .schedule(Schedule.cron("0 2 * * *"))
            .timeBudgetSec(3600)
            .maxConcurrent(2)
            .limits(
                new Limits(
                    new SpendingLimit(Optional.empty(), Optional.of(7.0), Optional.empty()),
                    SpendingLimit.unbounded(),
                    Limits.DEFAULT_STUCK_AFTER_SEC,
                    Limits.DEFAULT_CANCEL_GRACE_SEC))
            .build();
    // Each task: $1.50 and 20 minutes. One cycle of an hour, two at once: 6 fit; $7 stops at 5.
    Task done = completed(1.5, 1000);
    Map<String, String> facts = new HashMap<>(done.metadata());
    TaskFacts.AGENT_SECONDS.put(facts, 1200L);
    done = done.toBuilder().metadata(facts).build();

    RehearsalReport report =
        rehearsal(config, StandIn.working("stand-in"))
            .plan(new NightPlan(20, "20 pending tasks in the queue"))
            .history(List.of(done))
            .build()
            .run();

    CostProjection cost = report.cost();
    assertThat(cost.projected().costUsd()).hasValue(30.0);
    assertThat(cost.fit().tasks()).isEqualTo(5);
    assertThat(cost.fit().spend().costUsd()).hasValue(7.5);
    assertThat(cost.fit().bounds())
        .containsExactly(
            "6 fit in the night's 1 cycle of 3600 s with 2 at once, at 1200 s a task",
            "limits.per_night.cost_usd stops the night after 5 tasks");
    RehearsalFinding f = finding(report, "cost");
    assertThat(f.severity()).isEqualTo(Severity.WARNING);
    assertThat(f.what())
        .contains("20 tasks")
        .contains("of which about 5 would start")
        .contains("$7.50");
    assertThat(report.toText()).contains("of which about 5 would start");
  }

  @Test
  void tonightsPlanIsProjectedFromWhatTasksCostAgainstTheNightsLimit() throws Exception {
    OrchestrationConfig config =
        config()
            .limits(
                new Limits(
                    new SpendingLimit(Optional.empty(), Optional.of(5.0), Optional.empty()),
                    SpendingLimit.unbounded(),
                    Limits.DEFAULT_STUCK_AFTER_SEC,
                    Limits.DEFAULT_CANCEL_GRACE_SEC))
            .agentPreferences(new AgentPreferences(List.of(), List.of("stand-in")))
            .build();

    RehearsalReport report =
        rehearsal(config, StandIn.working("stand-in"), StandIn.working("not-allowed"))
            .plan(new NightPlan(3, "3 pending tasks in the queue"))
            .history(List.of(completed(1.0, 1000), completed(3.0, 3000)))
            .build()
            .run();

    CostProjection cost = report.cost();
    assertThat(cost.perTask().costUsd()).hasValue(2.0);
    assertThat(cost.projected().costUsd()).hasValue(6.0);
    assertThat(cost.projected().tokens()).hasValue(6000L);
    assertThat(cost.overruns()).containsExactly("cost $6.00 > limits.per_night.cost_usd $5.00");
    RehearsalFinding f = finding(report, "cost");
    assertThat(f.severity()).isEqualTo(Severity.WARNING);
    assertThat(f.what()).contains("3 tasks (3 pending tasks in the queue) would go over");
    assertThat(f.fix()).hasValueSatisfying(fix -> assertThat(fix).startsWith("raise limits"));
    assertThat(cost.quotas())
        .singleElement()
        .satisfies(
            q -> {
              assertThat(q.agent()).isEqualTo("stand-in");
              assertThat(q.remaining()).isEmpty();
            });
    assertThat(report.toText()).contains("quota of stand-in: unknown");
    JsonNode json = OvernightJson.read(report.toJson());
    assertThat(json.at("/cost/projected/cost_usd").asDouble()).isEqualTo(6.0);
    assertThat(json.at("/cost/quotas/0/remaining").asText()).isEqualTo("unknown");
  }

  @Test
  void theRemainingQuotaIsReadFromTheLedger() throws Exception {
    OrchestrationConfig config =
        config().agentPreferences(new AgentPreferences(List.of(), List.of("a", "b", "c"))).build();
    Instant reset = time.instant().plus(Duration.ofHours(2));
    List<QuotaWindow> ledger =
        List.of(
            new QuotaWindow(
                "a",
                time.instant().minus(Duration.ofHours(3)),
                Optional.of(time.instant().minus(Duration.ofHours(1))),
                9000,
                OptionalLong.of(9000),
                true),
            new QuotaWindow(
                "a",
                time.instant().minus(Duration.ofHours(1)),
                Optional.of(reset),
                1000,
                OptionalLong.of(9000),
                false),
            new QuotaWindow(
                "b",
                time.instant().minus(Duration.ofHours(1)),
                Optional.of(reset),
                500,
                OptionalLong.of(500),
                true),
            new QuotaWindow(
                "c",
                time.instant().minusSeconds(60),
                Optional.empty(),
                42,
                OptionalLong.empty(),
                false));

    RehearsalReport report =
        rehearsal(config, StandIn.working("a"), StandIn.working("b"), StandIn.working("c"))
            .quotaWindows(ledger)
            .build()
            .run();

    assertThat(report.cost().quotas())
        .extracting(q -> q.agent() + ": " + q.remaining().orElse("unknown"))
        .containsExactly(
            "a: 8000 of 9000 tokens until " + reset,
            "b: none: the window is spent until " + reset,
            "c: 42 tokens used so far; the window's size unknown");
  }
}
