package dev.overnight.core.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The record of running agent groups in a state folder: entries come and go with their agents, and
 * only the groups of a dead owner are ended. Real processes.
 */
class ProcessLedgerTest {
  @TempDir Path dir;

  private final List<ProcessHandle> started = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    started.forEach(ProcessHandle::destroyForcibly);
  }

  /** A {@code sleep 40} leading a session of its own, as Overnight starts agents. */
  private ProcessIdentity agentGroup() throws Exception {
    Process p =
        new ProcessBuilder(ProcessGroups.detect("/usr/bin:/bin").wrap(List.of("sleep", "40")))
            .start();
    started.add(p.toHandle());
    return ProcessIdentity.of(p.toHandle());
  }

  /** An Overnight that has exited. */
  private static ProcessIdentity deadOwner() throws Exception {
    // Alive until its identity is read, start time included, then killed.
    Process p = new ProcessBuilder("sleep", "60").start();
    ProcessIdentity identity = ProcessIdentity.of(p.toHandle());
    assertThat(identity.started()).isPresent();
    p.destroyForcibly();
    p.onExit().get(30, TimeUnit.SECONDS);
    assertThat(identity.isAlive()).isFalse();
    return identity;
  }

  @Test
  void entriesAreRecordedAndForgottenWithTheirAgents() throws Exception {
    ProcessLedger ledger = new ProcessLedger(dir.resolve("processes"));
    ProcessIdentity group = agentGroup();

    ledger.record(group, "claude-code for task 1234abcd");
    assertThat(ledger.entries())
        .containsExactly(
            new ProcessLedger.Entry(
                group, ProcessIdentity.current(), "claude-code for task 1234abcd"));

    ledger.forget(group);
    assertThat(ledger.entries()).isEmpty();
    ledger.forget(group);
  }

  @Test
  void onlyTheGroupsOfADeadOwnerAreEndedAndForgotten() throws Exception {
    Path folder = dir.resolve("processes");
    ProcessIdentity orphaned = agentGroup();
    ProcessIdentity stillOwned = agentGroup();
    new ProcessLedger(folder, deadOwner()).record(orphaned, "left by a killed Overnight");
    new ProcessLedger(folder).record(stillOwned, "of a live Overnight");
    Files.writeString(folder.resolve("group-garbage"), "not = an entry\n");

    List<ProcessLedger.Entry> reaped = new ProcessLedger(folder).reapOrphans();

    assertThat(reaped).extracting(ProcessLedger.Entry::leader).containsExactly(orphaned);
    ProcessHandle orphan = ProcessHandle.of(orphaned.pid()).orElse(null);
    if (orphan != null) {
      assertThat(orphan.onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
    }
    assertThat(stillOwned.isAlive()).isTrue();
    assertThat(new ProcessLedger(folder).entries())
        .extracting(ProcessLedger.Entry::leader)
        .containsExactly(stillOwned);
  }
}
