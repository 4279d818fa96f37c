package dev.overnight.core.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.core.platform.OsFamily;
import dev.overnight.core.process.CommandResult;
import dev.overnight.core.process.CommandRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** How the sandbox of a machine is found, and why none is. */
class SandboxesTest {
  @TempDir Path bin;

  /** Answers {@code bwrap --version} and the trial run as told; records what was run. */
  static final class Bwrap implements CommandRunner {
    final List<List<String>> ran = new ArrayList<>();
    private final CommandResult trial;

    Bwrap(CommandResult trial) {
      this.trial = trial;
    }

    @Override
    public CommandResult run(List<String> command, Duration timeout) {
      ran.add(command);
      if (command.contains("--version")) {
        return CommandResult.exited(command, 0, "bubblewrap 0.8.0\n", "");
      }
      return trial;
    }
  }

  private Map<String, String> pathWithBwrap() throws Exception {
    Path bwrap = bin.resolve("bwrap");
    Files.writeString(bwrap, "#!/bin/sh\n");
    Files.setPosixFilePermissions(bwrap, PosixFilePermissions.fromString("rwxr-xr-x"));
    return Map.of("PATH", bin.toString());
  }

  @Test
  void onLinuxBubblewrapIsUsedOnceATrialRunWorked() throws Exception {
    Bwrap runner = new Bwrap(CommandResult.exited(List.of("bwrap"), 0, "", ""));

    Sandbox found = Sandboxes.detect(OsFamily.LINUX, pathWithBwrap(), runner, false);

    assertThat(found.name()).isEqualTo("bubblewrap");
    assertThat(found.confines()).isTrue();
    assertThat(found.availability().reason())
        .isEqualTo("bubblewrap 0.8.0 (" + bin.resolve("bwrap") + ")");
    List<String> trial = runner.ran.get(1);
    assertThat(trial).contains("--unshare-user", "--unshare-pid", "--unshare-net");
    assertThat(trial).doesNotContain("--cap-drop");
  }

  @Test
  void asRootTheTrialRunDropsCapabilitiesAsEverySandboxWill() throws Exception {
    Bwrap runner = new Bwrap(CommandResult.exited(List.of("bwrap"), 0, "", ""));

    Sandboxes.detect(OsFamily.LINUX, pathWithBwrap(), runner, true);

    assertThat(runner.ran.get(1)).containsSequence("--cap-drop", "ALL");
  }

  @Test
  void bubblewrapThatCannotMakeASandboxIsNotUsedAndTheReasonIsKept() throws Exception {
    Bwrap runner =
        new Bwrap(
            CommandResult.exited(
                List.of("bwrap"),
                1,
                "",
                "bwrap: No permissions to creating new namespace, likely because the kernel does"
                    + " not allow non-privileged user namespaces\n"));

    Sandbox found = Sandboxes.detect(OsFamily.LINUX, pathWithBwrap(), runner, false);

    assertThat(found.confines()).isFalse();
    assertThat(found.availability().available()).isFalse();
    assertThat(found.availability().reason())
        .contains("cannot create a sandbox here (exit 1: bwrap: No permissions to creating new");
    assertThat(found.availability().remedy().orElseThrow())
        .contains("allow unprivileged user namespaces");
  }

  @Test
  void withoutBubblewrapOnPathTheAnswerSaysHowToInstallIt() {
    Sandbox found =
        Sandboxes.detect(
            OsFamily.LINUX,
            Map.of("PATH", bin.toString()),
            (command, timeout) -> {
              throw new AssertionError("nothing to run: " + command);
            },
            false);

    assertThat(found.availability().available()).isFalse();
    assertThat(found.availability().reason())
        .isEqualTo("bubblewrap (bwrap) is not installed, or not on PATH");
    assertThat(found.availability().remedy()).contains(Sandboxes.INSTALL_BUBBLEWRAP);
  }

  @Test
  void otherSystemsHaveNoSandbox() {
    Sandbox found = Sandboxes.detect(OsFamily.WINDOWS, Map.of(), CommandRunner.system(), false);
    assertThat(found.availability().available()).isFalse();
    assertThat(found.availability().reason()).isEqualTo("no sandbox is supported on WINDOWS");
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void onThisLinuxMachineBubblewrapIsFoundAndWorks() {
    // The escape tests of orchestration-agents-acp run in it; .ci/run installs it.
    Sandbox found = Sandboxes.forThisMachine();
    assertThat(found.availability().available())
        .as("bubblewrap on this machine: %s", found.availability())
        .isTrue();
    assertThat(found.name()).isEqualTo("bubblewrap");
  }
}
