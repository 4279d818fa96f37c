package dev.overnight.macos.internal;

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

class MacKeepAwakeTest {
  final FakeMacSystem mac = new FakeMacSystem();
  @TempDir Path temp;

  /** Stands in for caffeinate: waits until it is stopped. */
  private Path fakeCaffeinate() throws IOException {
    Path file = temp.resolve("caffeinate");
    Files.writeString(file, "#!/bin/sh\nexec sleep 600\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    return file;
  }

  @Test
  void anAssertionIsCreatedAndReleasedOnce() {
    MacKeepAwake keepAwake = new MacKeepAwake(mac, List.of("caffeinate"), 42);
    KeepAwake.Handle handle = keepAwake.acquire("cycle 7");
    assertThat(handle.held()).isTrue();
    assertThat(mac.assertionNames).containsExactly("PreventUserIdleSystemSleep/Overnight: cycle 7");
    handle.close();
    handle.close();
    assertThat(handle.held()).isFalse();
    assertThat(mac.released).containsExactly(4711);
  }

  @Test
  void whenTheAssertionIsRefusedCaffeinateHoldsTheMachineUntilClosed() throws Exception {
    mac.assertion = new MacSystem.AssertionResult(0xE00002C2, 0);
    KeepAwake.Handle handle =
        new MacKeepAwake(mac, List.of(fakeCaffeinate().toString()), 4242).acquire("cycle");
    assertThat(handle).isInstanceOf(MacKeepAwake.CaffeinateHandle.class);
    ProcessHandle child = ((MacKeepAwake.CaffeinateHandle) handle).process();
    assertThat(handle.held()).isTrue();
    handle.close();
    child.onExit().get(30, TimeUnit.SECONDS);
    assertThat(handle.held()).isFalse();
    assertThat(((MacKeepAwake.CaffeinateHandle) handle).command()).endsWith("-i", "-w", "4242");
  }

  @Test
  void whenIoKitDoesNotLoadCaffeinateIsTriedAndItsAbsenceHoldsNothing() {
    mac.assertionFailure = new UnsatisfiedLinkError("Unable to load library 'IOKit'");
    KeepAwake.Handle handle =
        new MacKeepAwake(mac, List.of(temp.resolve("no-caffeinate").toString()), 1)
            .acquire("cycle");
    assertThat(handle.held()).isFalse();
    assertThat(handle.toString()).contains("IOKit").contains("could not start");
  }

  @Test
  void describesTheAssertionAndTheFallback() {
    assertThat(new MacKeepAwake(mac, List.of("caffeinate"), 99).describe())
        .isEqualTo("IOPMAssertion PreventUserIdleSystemSleep (fallback: caffeinate -i -w 99)");
  }
}
