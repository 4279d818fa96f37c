package dev.overnight.core.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.core.process.ProcessGroups.Launcher;
import dev.overnight.core.process.ProcessGroups.SessionLauncher;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A command started as the leader of its own session can be ended with everything it started, even
 * once it has exited and its children were left to init: what a restarted Overnight does to the
 * agents of one that was killed. Real processes; the children are {@code sleep}s that would outlive
 * the test.
 */
class ProcessGroupsTest {
  @TempDir Path dir;

  private final List<ProcessHandle> started = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    started.forEach(ProcessHandle::destroyForcibly);
  }

  /** A command that starts a {@code sleep 40} of its own, prints its pid and exits. */
  private static final List<String> ORPHANING =
      List.of("/bin/sh", "-c", "sleep 40 >/dev/null 2>&1 & echo $!");

  /** Starts {@code argv}; returns its identity and the orphaned child it reported. */
  private Started start(List<String> argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    ProcessIdentity leader = ProcessIdentity.of(p.toHandle());
    started.add(p.toHandle());
    String line;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      line = out.readLine();
    }
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("the leader exits at once").isTrue();
    assertThat(line).as("the leader's output").matches("\\d+");
    ProcessHandle child = ProcessHandle.of(Long.parseLong(line)).orElseThrow();
    started.add(child);
    return new Started(leader, child);
  }

  private record Started(ProcessIdentity leader, ProcessHandle child) {}

  private static SessionLauncher launcher(Launcher kind) {
    String name = kind == Launcher.SETSID ? "setsid" : "perl";
    SessionLauncher found = ProcessGroups.detect("/usr/bin:/bin");
    Path program =
        found.launcher() == kind
            ? found.program().orElseThrow()
            : Path.of(kind == Launcher.SETSID ? "/usr/bin/setsid" : "/usr/bin/perl");
    assertThat(program).as("this test needs " + name + " installed").isExecutable();
    return new SessionLauncher(kind, Optional.of(program));
  }

  @ParameterizedTest
  @EnumSource(
      value = Launcher.class,
      names = {"SETSID", "PERL"})
  void whatALeaderStartedIsKilledWithItsGroupAfterTheLeaderIsGone(Launcher kind) throws Exception {
    SessionLauncher launcher = launcher(kind);
    Started s = start(launcher.wrap(ORPHANING));
    assertThat(s.child().isAlive()).as("the orphan outlives its parent").isTrue();

    assertThat(ProcessGroups.kill(s.leader())).isTrue();

    assertThat(s.child().onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
    assertThat(ProcessGroups.kill(s.leader())).as("the group is gone").isFalse();
  }

  @ParameterizedTest
  @EnumSource(
      value = Launcher.class,
      names = {"SETSID", "PERL"})
  void theWrappedCommandKeepsItsPidAndItsArguments(Launcher kind) throws Exception {
    SessionLauncher launcher = launcher(kind);
    Process p =
        new ProcessBuilder(
                launcher.wrap(
                    List.of(
                        "/bin/sh",
                        "-c",
                        "echo $$ \"$1\"; cut -d' ' -f5 /proc/$$/stat",
                        "sh",
                        "-not an option")))
            .redirectErrorStream(true)
            .start();
    started.add(p.toHandle());
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    // The pid Java knows is the shell's own, and it leads its process group.
    assertThat(output.lines().toList())
        .containsExactly(p.pid() + " -not an option", Long.toString(p.pid()));
  }

  @Test
  void withoutASessionOfItsOwnNothingIsKilledAndTheOrphanLivesOn() throws Exception {
    Started s = start(new SessionLauncher(Launcher.NONE, Optional.empty()).wrap(ORPHANING));

    assertThat(ProcessGroups.kill(s.leader())).isFalse();

    assertThat(s.child().isAlive()).isTrue();
  }

  @Test
  void aReusedPidIsNeverKilled() throws Exception {
    Process alive =
        new ProcessBuilder(launcher(Launcher.SETSID).wrap(List.of("sleep", "40"))).start();
    started.add(alive.toHandle());
    // The pid as a process that started at another time recorded it: not this process.
    ProcessIdentity recorded =
        new ProcessIdentity(alive.pid(), Optional.of(Instant.parse("2020-01-01T00:00:00Z")));

    assertThat(recorded.isAlive()).isFalse();
    assertThat(ProcessGroups.kill(recorded)).isFalse();

    assertThat(alive.isAlive()).isTrue();
  }

  @Test
  void detectionPrefersSetsidThenPerl() throws IOException {
    Path both = Files.createDirectories(dir.resolve("both"));
    Path perlOnly = Files.createDirectories(dir.resolve("perl-only"));
    Path none = Files.createDirectories(dir.resolve("none"));
    executable(both.resolve("setsid"));
    executable(both.resolve("perl"));
    executable(perlOnly.resolve("perl"));
    Files.writeString(none.resolve("setsid"), "not executable");

    assertThat(ProcessGroups.detect(none + ":" + both))
        .isEqualTo(new SessionLauncher(Launcher.SETSID, Optional.of(both.resolve("setsid"))));
    assertThat(ProcessGroups.detect(perlOnly.toString()))
        .isEqualTo(new SessionLauncher(Launcher.PERL, Optional.of(perlOnly.resolve("perl"))));
    assertThat(ProcessGroups.detect(none.toString()).launcher()).isEqualTo(Launcher.NONE);
    assertThat(ProcessGroups.detect(none.toString()).leadsAGroup()).isFalse();
  }

  private static void executable(Path file) throws IOException {
    Files.writeString(file, "#!/bin/sh\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
