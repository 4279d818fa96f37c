package dev.overnight.api.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PermissionPolicyTest {

  @TempDir Path dir;

  private PermissionRequest request(Path worktree, ToolKind kind, String... locations) {
    return new PermissionRequest(
        "s1",
        worktree,
        "call_1",
        "title",
        kind,
        List.of(locations),
        Optional.empty(),
        List.of(new PermissionOption("allow", "Allow", "allow_once")));
  }

  @Test
  void unattendedAllowsEditsInsideTheWorktree() throws Exception {
    Path worktree = Files.createDirectories(dir.resolve("wt"));
    PermissionDecision d =
        PermissionPolicy.unattended()
            .decide(request(worktree, ToolKind.EDIT, worktree.resolve("src/A.java").toString()));
    assertThat(d.allowed()).isTrue();
    assertThat(d.reason()).isEqualTo("edit inside the worktree");
  }

  @Test
  void unattendedRejectsEscapesByDotDotAbsolutePathAndSymlink() throws Exception {
    Path worktree = Files.createDirectories(dir.resolve("wt"));
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.createSymbolicLink(worktree.resolve("link"), outside);
    PermissionPolicy policy = PermissionPolicy.unattended();

    assertThat(policy.decide(request(worktree, ToolKind.EDIT, "../outside/x")).allowed()).isFalse();
    assertThat(policy.decide(request(worktree, ToolKind.READ, "/etc/passwd")).allowed()).isFalse();
    assertThat(policy.decide(request(worktree, ToolKind.EDIT, "link/new-file")).allowed())
        .isFalse();
    assertThat(policy.decide(request(worktree, ToolKind.EDIT, "sub/../ok.txt")).allowed()).isTrue();
  }

  @Test
  void readingAllowsLookingInsideTheWorktreeAndNothingElse() throws Exception {
    Path worktree = Files.createDirectories(dir.resolve("wt"));
    PermissionPolicy reading = PermissionPolicy.reading();
    assertThat(reading.decide(request(worktree, ToolKind.READ, "README.md")).allowed()).isTrue();
    assertThat(reading.decide(request(worktree, ToolKind.SEARCH)).allowed()).isTrue();
    assertThat(reading.decide(request(worktree, ToolKind.READ, "/etc/passwd")).allowed()).isFalse();
    for (ToolKind kind :
        List.of(
            ToolKind.EDIT,
            ToolKind.DELETE,
            ToolKind.MOVE,
            ToolKind.EXECUTE,
            ToolKind.FETCH,
            ToolKind.OTHER)) {
      assertThat(reading.decide(request(worktree, kind, "README.md")).allowed())
          .as(kind.wireName())
          .isFalse();
    }
  }

  @Test
  void aPolicyHeldToReadingAllowsNoMoreThanBothAllow() throws Exception {
    Path worktree = Files.createDirectories(dir.resolve("wt"));
    PermissionPolicy held = PermissionPolicy.allowAll().readingOnly();
    assertThat(held.decide(request(worktree, ToolKind.READ, "a.txt")).allowed()).isTrue();
    assertThat(held.decide(request(worktree, ToolKind.EXECUTE)).reason())
        .isEqualTo("execute is not allowed in a read-only session");
    assertThat(
            PermissionPolicy.readOnly()
                .readingOnly()
                .decide(request(worktree, ToolKind.READ, "a.txt"))
                .allowed())
        .isFalse();
  }

  @Test
  void unattendedRejectsFetchUnlessAllowed() throws Exception {
    Path worktree = Files.createDirectories(dir.resolve("wt"));
    assertThat(PermissionPolicy.unattended().decide(request(worktree, ToolKind.FETCH)).reason())
        .isEqualTo("network fetch is not allowed in unattended runs");
    assertThat(
            PermissionPolicy.unattended(true).decide(request(worktree, ToolKind.FETCH)).allowed())
        .isTrue();
    assertThat(PermissionPolicy.unattended().decide(request(worktree, ToolKind.OTHER)).allowed())
        .isFalse();
  }

  @Test
  void readOnlyRejectsAndAllowAllAllows() throws Exception {
    Path worktree = Files.createDirectories(dir.resolve("wt"));
    assertThat(PermissionPolicy.readOnly().decide(request(worktree, ToolKind.READ)).allowed())
        .isFalse();
    assertThat(PermissionPolicy.allowAll().decide(request(worktree, ToolKind.FETCH)).allowed())
        .isTrue();
  }
}
