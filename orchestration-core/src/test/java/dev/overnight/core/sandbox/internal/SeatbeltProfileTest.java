package dev.overnight.core.sandbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.core.sandbox.SandboxProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The macOS profile text a sandbox profile becomes. It runs only on macOS ({@code sandbox-exec});
 * what can be checked anywhere is the text and the command line.
 */
class SeatbeltProfileTest {
  @TempDir Path machine;

  @Test
  void writesOnlyWhereAllowedHidesWhatIsHiddenAndCutsTheNetwork() throws Exception {
    Path worktree = Files.createDirectories(machine.resolve("state/worktrees/task-1")).toRealPath();
    Path state = machine.resolve("state").toRealPath();
    Path netrc = Files.writeString(machine.resolve("netrc"), "secret").toRealPath();
    SandboxProfile profile =
        SandboxProfile.builder(worktree)
            .writable(worktree)
            .hidden(List.of(state, netrc, machine.resolve("missing")))
            .build();

    String text = SeatbeltProfile.text(profile);

    assertThat(text).startsWith("(version 1)\n(allow default)\n(deny file-write*)\n");
    int hide = text.indexOf("(deny file-read* file-write*");
    int write = text.indexOf("(allow file-read* file-write*");
    assertThat(hide).isPositive().isLessThan(write);
    assertThat(text.substring(hide, write))
        .contains("(subpath \"" + state + "\")", "(literal \"" + netrc + "\")")
        .doesNotContain("missing");
    assertThat(text.substring(write)).contains("(subpath \"" + worktree + "\")");
    assertThat(text).endsWith("(deny network*)\n");
    assertThat(SeatbeltProfile.text(profile.toBuilder().network(true).build()))
        .doesNotContain("network");
  }

  @Test
  void pathsAreQuotedAsProfileStrings() {
    assertThat(SeatbeltProfile.quote("/Users/me/we\"ird\\dir"))
        .isEqualTo("\"/Users/me/we\\\"ird\\\\dir\"");
  }

  @Test
  void theCommandRunsUnderSandboxExecWithTheProfile() {
    SandboxProfile profile = SandboxProfile.builder(machine).writable(machine).build();
    List<String> argv =
        new SandboxExecSandbox(Path.of("/usr/bin/sandbox-exec"))
            .wrap(List.of("make", "test"), profile);
    assertThat(argv)
        .containsExactly(
            "/usr/bin/sandbox-exec", "-p", SeatbeltProfile.text(profile), "make", "test");
  }
}
