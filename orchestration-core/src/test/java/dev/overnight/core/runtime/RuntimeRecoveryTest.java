package dev.overnight.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.OrchestrationException;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.DecisionSettings;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.Schedule;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskEvent;
import dev.overnight.api.queue.TaskEventType;
import dev.overnight.api.queue.TaskQueue;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.api.schedule.SchedulerState;
import dev.overnight.api.store.StoreLostException;
import dev.overnight.core.process.ProcessGroups;
import dev.overnight.core.process.ProcessIdentity;
import dev.overnight.core.process.ProcessLedger;
import dev.overnight.core.queue.InMemoryTaskQueue;
import dev.overnight.core.worktree.Git;
import dev.overnight.fakes.ManualTimeSource;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a runtime does about a dead predecessor and a lost store: a runtime holding the state
 * folder's lock takes back at once what a killed Overnight left behind there (its tasks, its
 * agents' processes) and nothing of anyone alive; a runtime whose store is lost stops and says why.
 * On virtual time that never moves: nothing here waits for a lease to run out.
 */
class RuntimeRecoveryTest {
  private static final Instant ONE_AM = Instant.parse("2026-11-25T01:00:00Z");
  private static final Duration LEASE = Duration.ofMinutes(5);

  @TempDir Path dir;

  private final ManualTimeSource time = new ManualTimeSource(ONE_AM);
  private final List<OvernightRuntime> runtimes = new ArrayList<>();
  private final List<ProcessHandle> started = new ArrayList<>();
  private Path workspace;
  private StatePaths paths;
  private InMemoryTaskQueue queue;

  @BeforeEach
  void aRepositoryAndAQueue() throws IOException {
    workspace = Files.createDirectories(dir.resolve("repo"));
    Git git = new Git(workspace);
    git.check("init", "-q", "-b", "main");
    git.check(
        "-c",
        "user.name=Dev",
        "-c",
        "user.email=dev@example.com",
        "commit",
        "-q",
        "--allow-empty",
        "-m",
        "Start");
    paths = new StatePaths(dir.resolve("state"));
    queue = InMemoryTaskQueue.builder(time).build();
  }

  @AfterEach
  void close() {
    runtimes.forEach(OvernightRuntime::close);
    started.forEach(ProcessHandle::destroyForcibly);
  }

  private OrchestrationConfig config() {
    return OrchestrationConfig.builder(ConfigValue.of(workspace.toString()))
        .id("recovery-test")
        .schedule(Schedule.cron("*/30 * * * *").withTimezone(ZoneOffset.UTC))
        .decision(new DecisionSettings(30, 20, List.of()))
        .build();
  }

  private OvernightRuntime.Builder runtime(TaskQueue taskQueue) {
    return OvernightRuntime.builder(config())
        .statePaths(paths)
        .timeSource(time)
        .taskQueue(taskQueue)
        .environment(Map.of())
        .homeDirectory(dir.resolve("home"))
        .shutdownHook(false)
        .cycleExecutor(Runnable::run)
        .decisionEngine(context -> Optional.empty());
  }

  private OvernightRuntime build(OvernightRuntime.Builder builder) {
    OvernightRuntime runtime = builder.build();
    runtimes.add(runtime);
    return runtime;
  }

  /** An Overnight process that has exited. */
  private static ProcessIdentity deadProcess() throws Exception {
    // Alive until its identity is read, start time included, then killed.
    Process p = new ProcessBuilder("sleep", "60").start();
    ProcessIdentity identity = ProcessIdentity.of(p.toHandle());
    assertThat(identity.started()).isPresent();
    p.destroyForcibly();
    p.onExit().get(30, TimeUnit.SECONDS);
    assertThat(identity.isAlive()).isFalse();
    return identity;
  }

  /** A live process: another Overnight on the same store. */
  private ProcessIdentity liveProcess() throws Exception {
    Process p =
        new ProcessBuilder(ProcessGroups.detect("/usr/bin:/bin").wrap(List.of("sleep", "40")))
            .start();
    started.add(p.toHandle());
    return ProcessIdentity.of(p.toHandle());
  }

  /** The lock file as the daemon {@code holder} left it, working as {@code worker}. */
  private void heldBy(ProcessIdentity holder, String worker) throws IOException {
    Files.createDirectories(paths.root());
    Files.writeString(
        paths.daemonLock(),
        holder.pid() + "\nstarted=" + holder.started().orElseThrow() + "\nworker=" + worker + "\n");
  }

  private Task claimedBy(String title, String worker) {
    queue.enqueue(TaskSpec.builder("Do " + title).title(title).build());
    Task task = queue.claimNext(worker, LEASE).orElseThrow();
    assertThat(task.title()).isEqualTo(title);
    return task;
  }

  private TaskStatus status(Task task) {
    return queue.get(task.id()).orElseThrow().status();
  }

  @Test
  void theTasksOfTheDeadHolderAreBackToPendingAtOnceAndNoOneElsesAre() throws Exception {
    ProcessIdentity killed = deadProcess();
    ProcessIdentity other = liveProcess();
    heldBy(killed, "overnight-" + killed.pid());
    Task abandoned = claimedBy("Abandoned", "overnight-" + killed.pid());
    Task othersTask = claimedBy("Someone else's", "overnight-" + other.pid());

    build(runtime(queue).lockStateFolder(true));

    assertThat(time.instant()).as("no lease ran out").isEqualTo(ONE_AM);
    assertThat(status(abandoned)).isEqualTo(TaskStatus.PENDING);
    TaskEvent recovery = queue.events(abandoned.id()).get(queue.events(abandoned.id()).size() - 1);
    assertThat(recovery.type()).isEqualTo(TaskEventType.LEASE_EXPIRED);
    assertThat(recovery.reason())
        .contains("overnight-" + killed.pid(), "pid " + killed.pid(), "is gone");
    assertThat(status(othersTask)).isEqualTo(TaskStatus.IN_PROGRESS);
    // The lock now names this process, for whoever comes next.
    assertThat(Files.readString(paths.daemonLock()))
        .startsWith(ProcessHandle.current().pid() + "\n")
        .contains("worker=overnight-" + ProcessHandle.current().pid());
  }

  @Test
  void aPreviousHolderThatIsStillAliveKeepsItsTasks() throws Exception {
    ProcessIdentity alive = liveProcess();
    heldBy(alive, "overnight-" + alive.pid());
    Task held = claimedBy("Held", "overnight-" + alive.pid());

    build(runtime(queue).lockStateFolder(true));

    assertThat(status(held)).isEqualTo(TaskStatus.IN_PROGRESS);
  }

  @Test
  void aRecordedWorkerIdIsTheOneRecovered() throws Exception {
    ProcessIdentity killed = deadProcess();
    heldBy(killed, "nightly-worker");
    Task abandoned = claimedBy("Abandoned", "nightly-worker");

    build(runtime(queue).lockStateFolder(true));

    assertThat(status(abandoned)).isEqualTo(TaskStatus.PENDING);
  }

  @Test
  void withoutTheLockNothingIsTakenBack() throws Exception {
    ProcessIdentity killed = deadProcess();
    heldBy(killed, "overnight-" + killed.pid());
    Task abandoned = claimedBy("Abandoned", "overnight-" + killed.pid());

    build(runtime(queue));

    assertThat(status(abandoned)).isEqualTo(TaskStatus.IN_PROGRESS);
  }

  @Test
  void theAgentsADeadOvernightLeftRunningAreKilledAndALiveOnesAreNot() throws Exception {
    ProcessIdentity orphanedAgent = liveProcess();
    ProcessIdentity runningAgent = liveProcess();
    new ProcessLedger(paths.processes(), deadProcess()).record(orphanedAgent, "orphaned agent");
    new ProcessLedger(paths.processes(), liveProcess()).record(runningAgent, "another's agent");

    build(runtime(queue).lockStateFolder(true));

    ProcessHandle orphan = ProcessHandle.of(orphanedAgent.pid()).orElse(null);
    if (orphan != null) {
      assertThat(orphan.onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
    }
    assertThat(runningAgent.isAlive()).isTrue();
    assertThat(new ProcessLedger(paths.processes()).entries())
        .extracting(ProcessLedger.Entry::leader)
        .containsExactly(runningAgent);
  }

  @Test
  void aLostStoreStopsTheScheduleAndSaysWhy() {
    AtomicBoolean lost = new AtomicBoolean();
    TaskQueue losable = losable(queue, lost);
    List<OrchestrationException> heard = new CopyOnWriteArrayList<>();
    OvernightRuntime runtime = build(runtime(losable));
    runtime.onFatalError(heard::add);
    runtime.start();
    time.advance(Duration.ofMinutes(30));
    assertThat(runtime.fatalError()).isEmpty();

    lost.set(true);
    time.advance(Duration.ofMinutes(30));

    assertThat(runtime.fatalError())
        .hasValueSatisfying(e -> assertThat(e).isInstanceOf(StoreLostException.class));
    assertThat(heard).hasSize(1);
    assertThat(heard.get(0).getMessage()).contains("was deleted");
    assertThat(runtime.scheduler().state()).isInstanceOf(SchedulerState.Stopped.class);
    // Later listeners hear it at once.
    List<OrchestrationException> late = new ArrayList<>();
    runtime.onFatalError(late::add);
    assertThat(late).hasSize(1);
  }

  /** {@code queue}, failing every call with a lost store once {@code lost} is set. */
  private static TaskQueue losable(TaskQueue queue, AtomicBoolean lost) {
    return (TaskQueue)
        Proxy.newProxyInstance(
            TaskQueue.class.getClassLoader(),
            new Class<?>[] {TaskQueue.class},
            (proxy, method, args) -> {
              if (lost.get() && !method.getName().equals("close")) {
                throw new StoreLostException("the test's store was deleted");
              }
              try {
                return method.invoke(queue, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}
