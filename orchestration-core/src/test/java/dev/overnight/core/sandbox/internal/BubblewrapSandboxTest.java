package dev.overnight.core.sandbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.core.sandbox.OutsideSystemTemp;
import dev.overnight.core.sandbox.Sandbox;
import dev.overnight.core.sandbox.SandboxProfile;
import dev.overnight.core.sandbox.Sandboxes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The bubblewrap command line a profile becomes, and what a command in it sees for real. */
class BubblewrapSandboxTest {
  private static final Path BWRAP = Path.of("/usr/bin/bwrap");

  @TempDir(factory = OutsideSystemTemp.class)
  Path machine;

  private Path state;
  private Path worktree;
  private Path secret;
  private Path repoGit;

  @BeforeEach
  void aMachine() throws Exception {
    state = Files.createDirectories(machine.resolve("state"));
    Files.writeString(state.resolve("dashboard-token"), "token-0123");
    worktree = Files.createDirectories(state.resolve("worktrees/task-1"));
    secret = Files.writeString(machine.resolve("netrc"), "machine example.com password hunter2");
    repoGit = Files.createDirectories(machine.resolve("repo/.git/objects"));
  }

  private SandboxProfile.Builder profile() {
    return SandboxProfile.builder(worktree)
        .writable(worktree)
        .readable(List.of(repoGit.getParent()))
        .hidden(List.of(state, secret, machine.resolve("not-there")));
  }

  private static int at(List<String> argv, String... sequence) {
    for (int i = 0; i + sequence.length <= argv.size(); i++) {
      if (argv.subList(i, i + sequence.length).equals(List.of(sequence))) {
        return i;
      }
    }
    throw new AssertionError(String.join(" ", sequence) + " not in " + argv);
  }

  @Test
  void everythingReadOnlyWithTheProfilesMountsOnTopInOrder() {
    List<String> argv =
        new BubblewrapSandbox(BWRAP, "bubblewrap 0.8.0", false)
            .wrap(List.of("make", "test"), profile().build());

    assertThat(argv.get(0)).isEqualTo(BWRAP.toString());
    assertThat(argv)
        .contains("--unshare-user", "--unshare-pid", "--unshare-net", "--die-with-parent");
    int root = at(argv, "--ro-bind", "/", "/");
    int privateTmp = at(argv, "--tmpfs", "/tmp");
    int coverState = at(argv, "--tmpfs", state.toString());
    int showWorktree = at(argv, "--bind", worktree.toString(), worktree.toString());
    int sealState = at(argv, "--remount-ro", state.toString());
    assertThat(root).isLessThan(privateTmp);
    assertThat(privateTmp).isLessThan(coverState);
    assertThat(coverState).isLessThan(showWorktree);
    assertThat(showWorktree).isLessThan(sealState);
    at(argv, "--ro-bind", "/dev/null", secret.toString());
    at(argv, "--ro-bind", repoGit.getParent().toString(), repoGit.getParent().toString());
    assertThat(String.join(" ", argv)).doesNotContain("not-there");
    assertThat(argv.subList(argv.size() - 5, argv.size()))
        .containsExactly("--chdir", worktree.toString(), "--", "make", "test");
  }

  @Test
  void networkAndCapabilitiesFollowTheProfileAndWhoRunsIt() {
    SandboxProfile online = profile().network(true).build();
    assertThat(new BubblewrapSandbox(BWRAP, "", false).wrap(List.of("x"), online))
        .doesNotContain("--unshare-net", "--cap-drop", "--cap-add");

    List<String> asRoot = new BubblewrapSandbox(BWRAP, "", true).wrap(List.of("x"), online);
    at(asRoot, "--cap-drop", "ALL");
    assertThat(asRoot).doesNotContain("--cap-add");

    List<String> nested =
        new BubblewrapSandbox(BWRAP, "", true)
            .wrap(List.of("x"), online.toBuilder().nestedSandboxes(true).build());
    at(nested, "--cap-drop", "ALL", "--cap-add", "CAP_SETFCAP");
    assertThat(
            new BubblewrapSandbox(BWRAP, "", false)
                .wrap(List.of("x"), online.toBuilder().nestedSandboxes(true).build()))
        .doesNotContain("--cap-add");
  }

  @Test
  void aPathAskedForAsWritableAndHiddenIsWritable() {
    List<String> argv =
        new BubblewrapSandbox(BWRAP, "", false)
            .wrap(List.of("x"), profile().hidden(List.of(worktree)).build());
    at(argv, "--bind", worktree.toString(), worktree.toString());
    assertThat(argv).doesNotContain("--remount-ro " + worktree);
    assertThat(argv.stream().filter(worktree.toString()::equals).count()).isEqualTo(3);
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void aCommandSeesTheWorktreeWritableTheRestReadOnlyAndNothingHidden() throws Exception {
    Path marker = Files.createTempFile("overnight-host-tmp-", ".marker");
    try {
      Sandbox sandbox = Sandboxes.forThisMachine();
      String script =
          "echo made > made.txt && cat made.txt;"
              + " ls -A "
              + state
              + " | grep -v worktrees | wc -l;"
              + " cat "
              + secret
              + " | wc -c;"
              + " ls /tmp | grep -c overnight-host-tmp;"
              + " touch /tmp/scratch && echo scratch-ok;"
              + " touch "
              + machine.resolve("outside")
              + " || echo read-only";
      List<String> argv = sandbox.wrap(List.of("sh", "-c", script), profile().build());
      Process p =
          new ProcessBuilder(argv).directory(worktree.toFile()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

      assertThat(out.lines())
          .as(out)
          .containsSubsequence("made", "0", "0", "0", "scratch-ok", "read-only");
      assertThat(worktree.resolve("made.txt")).hasContent("made");
      assertThat(machine.resolve("outside")).doesNotExist();
    } finally {
      Files.delete(marker);
    }
  }
}
