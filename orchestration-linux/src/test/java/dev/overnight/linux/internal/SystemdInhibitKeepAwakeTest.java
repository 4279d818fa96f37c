package dev.overnight.linux.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.KeepAwake;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keep-awake through a child process. No system bus runs here, so {@code systemd-inhibit} is
 * replaced by scripts that act as it does: take (or refuse) the lock, then run the command.
 */
class SystemdInhibitKeepAwakeTest {
  @TempDir Path temp;

  /** Drops the options, as systemd-inhibit consumes them, and runs the command under the "lock". */
  private Path grantingInhibit() throws IOException {
    return script(
        "fake-inhibit",
        "for a in \"$@\"; do case \"$a\" in --*) shift ;; *) break ;; esac; done\nexec \"$@\"\n");
  }

  private Path script(String name, String body) throws IOException {
    Path file = temp.resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + body);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    return file;
  }

  private SystemdInhibitKeepAwake keepAwake(Path inhibit, boolean bus) {
    FakeTree tree = new FakeTree(temp);
    if (bus) {
      tree.systemBus();
    }
    return new SystemdInhibitKeepAwake(tree.host(), List.of(inhibit.toString()));
  }

  @Test
  void holdsTheLockUntilClosedThenTheChildEnds() throws Exception {
    KeepAwake keepAwake = keepAwake(grantingInhibit(), true);
    KeepAwake.Handle handle = keepAwake.acquire("cycle 3");
    assertThat(handle.held()).isTrue();
    SystemdInhibitKeepAwake.InhibitorHandle inhibitor =
        (SystemdInhibitKeepAwake.InhibitorHandle) handle;
    assertThat(inhibitor.what()).isEqualTo("idle:sleep");
    ProcessHandle child = inhibitor.process();
    assertThat(child.isAlive()).isTrue();

    handle.close();
    child.onExit().get(30, TimeUnit.SECONDS);
    assertThat(handle.held()).isFalse();
    handle.close(); // twice is harmless
  }

  @Test
  void passesWhatWhoWhyAndModeToSystemdInhibit() throws Exception {
    Path args = temp.resolve("args");
    Path inhibit =
        script(
            "recording-inhibit",
            "printf '%s\\n' \"$@\" > "
                + args
                + "\n"
                + "for a in \"$@\"; do case \"$a\" in --*) shift ;; *) break ;; esac; done\n"
                + "exec \"$@\"\n");
    try (KeepAwake.Handle handle = keepAwake(inhibit, true).acquire("nightly cycle")) {
      assertThat(handle.held()).isTrue();
    }
    assertThat(Files.readAllLines(args))
        .startsWith(
            "--what=idle:sleep", "--who=Overnight", "--why=nightly cycle", "--mode=block", "sh");
  }

  @Test
  void fallsBackToIdleOnlyWhenSleepIsRefused() throws Exception {
    Path inhibit =
        script(
            "picky-inhibit",
            "case \"$1\" in --what=idle:sleep) echo 'Failed to inhibit: Access denied' >&2; exit 1 ;; esac\n"
                + "for a in \"$@\"; do case \"$a\" in --*) shift ;; *) break ;; esac; done\n"
                + "exec \"$@\"\n");
    try (KeepAwake.Handle handle = keepAwake(inhibit, true).acquire("cycle")) {
      assertThat(handle.held()).isTrue();
      assertThat(((SystemdInhibitKeepAwake.InhibitorHandle) handle).what()).isEqualTo("idle");
    }
  }

  @Test
  void aRefusedLockHoldsNothing() throws Exception {
    Path inhibit =
        script("refusing-inhibit", "echo 'Failed to inhibit: Access denied' >&2\nexit 1\n");
    KeepAwake.Handle handle = keepAwake(inhibit, true).acquire("cycle");
    assertThat(handle.held()).isFalse();
    assertThat(handle.toString()).contains("Access denied");
  }

  @Test
  void withoutASystemBusNothingIsStarted() throws Exception {
    Path started = temp.resolve("started");
    Path inhibit = script("never-run", "touch " + started + "\nexec \"$@\"\n");
    SystemdInhibitKeepAwake keepAwake = keepAwake(inhibit, false);
    assertThat(keepAwake.describe()).startsWith("systemd-inhibit (unavailable: no system bus at ");
    try (KeepAwake.Handle handle = keepAwake.acquire("cycle")) {
      assertThat(handle.held()).isFalse();
    }
    assertThat(started).doesNotExist();
  }

  @Test
  void aMissingProgramHoldsNothing() {
    KeepAwake.Handle handle =
        keepAwake(temp.resolve("no-such-systemd-inhibit"), true).acquire("cycle");
    assertThat(handle.held()).isFalse();
    assertThat(handle.toString()).contains("cannot start");
  }

  @Test
  void onThisMachineAcquireNeverThrows() {
    try (KeepAwake.Handle handle = SystemdInhibitKeepAwake.system().acquire("test")) {
      if (!SysfsLinuxHost.system().systemBusAvailable()) {
        assertThat(handle.held()).isFalse();
      }
    }
  }
}
