package dev.overnight.core.decision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.config.Focus;
import dev.overnight.api.decision.FileActivity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitActivityTest {
  static final Instant SINCE = Instant.parse("2024-12-21T00:00:00Z");

  @TempDir Path dir;
  GitRepo repo;

  @BeforeEach
  void history() {
    repo =
        GitRepo.init(dir)
            .commit(
                "2024-10-01T12:00:00Z",
                "before the lookback",
                Map.of("docs/old.md", "old", "src/main/java/app/Parser.java", "v0"))
            .commit(
                "2025-01-02T12:00:00Z",
                "parser and readme",
                Map.of("src/main/java/app/Parser.java", "v1", "README.md", "r1"))
            .commit(
                "2025-01-05T12:00:00Z",
                "lexer",
                Map.of(
                    "src/main/java/app/Parser.java", "v2", "src/main/java/app/Lexer.java", "l1"));
    repo.git("2025-01-06T12:00:00Z", "checkout", "-q", "-b", "feature");
    repo.commit(
        "2025-01-06T12:00:00Z",
        "feature work",
        Map.of("src/main/java/app/Lexer.java", "l2", "notes/ü ber file.txt", "x"));
    repo.git("2025-01-07T12:00:00Z", "checkout", "-q", "main");
    repo.commit(
        "2025-01-07T12:00:00Z", "parser again", Map.of("src/main/java/app/Parser.java", "v3"));
    repo.git("2025-01-08T12:00:00Z", "merge", "-q", "--no-ff", "-m", "merge feature", "feature");
  }

  @Test
  void countsNonMergeCommitsPerFileOverTheLookback() {
    GitActivity.Result r = GitActivity.standard().read(dir, SINCE, Focus.everything());
    assertThat(r.problem()).isEmpty();
    assertThat(r.commits()).isEqualTo(4); // the merge and the old commit are left out
    assertThat(r.files())
        .containsExactly(
            new FileActivity("src/main/java/app/Parser.java", 3),
            new FileActivity("src/main/java/app/Lexer.java", 2),
            new FileActivity("README.md", 1),
            new FileActivity("notes/ü ber file.txt", 1));
  }

  @Test
  void appliesFocusGlobs() {
    GitActivity.Result r =
        GitActivity.standard()
            .read(dir, SINCE, new Focus(List.of("**/*.java", "**/*.md"), List.of("**/Lexer.java")));
    assertThat(r.files())
        .extracting(FileActivity::path)
        .containsExactly("src/main/java/app/Parser.java", "README.md");
  }

  @Test
  void pathsAreRelativeToAWorkspaceInsideTheRepository() {
    GitActivity.Result r =
        GitActivity.standard().read(dir.resolve("src/main"), SINCE, Focus.everything());
    assertThat(r.files())
        .containsExactly(
            new FileActivity("java/app/Parser.java", 3),
            new FileActivity("java/app/Lexer.java", 2));
  }

  @Test
  void readsWithoutChangingTheRepository() throws IOException {
    repo.write("src/main/java/app/Parser.java", "uncommitted edit");
    String before =
        repo.git(null, "status", "--porcelain") + repo.git(null, "log", "--all", "--format=%H");
    long indexBefore = Files.getLastModifiedTime(dir.resolve(".git/index")).toMillis();
    GitActivity.standard().read(dir, SINCE, Focus.everything());
    assertThat(Files.getLastModifiedTime(dir.resolve(".git/index")).toMillis())
        .isEqualTo(indexBefore);
    assertThat(
            repo.git(null, "status", "--porcelain") + repo.git(null, "log", "--all", "--format=%H"))
        .isEqualTo(before);
    assertThat(Files.readString(dir.resolve("src/main/java/app/Parser.java")))
        .isEqualTo("uncommitted edit");
  }

  @Test
  void aFolderThatIsNotARepositoryIsNoSignal(@TempDir Path plain) {
    GitActivity.Result r = GitActivity.standard().read(plain, SINCE, Focus.everything());
    assertThat(r.files()).isEmpty();
    assertThat(r.problem().orElseThrow()).startsWith("not a git repository");
  }

  @Test
  void aRepositoryWithoutCommitsIsNoSignal(@TempDir Path empty) {
    GitRepo.init(empty);
    GitActivity.Result r = GitActivity.standard().read(empty, SINCE, Focus.everything());
    assertThat(r.files()).isEmpty();
    assertThat(r.problem()).contains("the repository has no commits yet");
  }

  @Test
  void aMissingWorkspaceOrGitIsNoSignal() {
    assertThat(
            GitActivity.standard().read(dir.resolve("nope"), SINCE, Focus.everything()).problem())
        .hasValueSatisfying(p -> assertThat(p).startsWith("workspace folder not found"));
    GitActivity.Result r =
        GitActivity.of("no-such-git-" + ProcessHandle.current().pid(), Duration.ofSeconds(30))
            .read(dir, SINCE, Focus.everything());
    assertThat(r.problem())
        .hasValueSatisfying(p -> assertThat(p).startsWith("git could not be run"));
  }

  @Test
  void aGitThatHangsIsKilledAtTheTimeout(@TempDir Path bin) throws IOException {
    Path fake = bin.resolve("git");
    Files.writeString(fake, "#!/bin/sh\nexec sleep 600\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
    GitActivity.Result r =
        GitActivity.of(fake.toString(), Duration.ofMillis(300))
            .read(dir, SINCE, Focus.everything());
    assertThat(r.files()).isEmpty();
    assertThat(r.problem())
        .hasValueSatisfying(p -> assertThat(p).contains("did not finish within"));
  }
}
