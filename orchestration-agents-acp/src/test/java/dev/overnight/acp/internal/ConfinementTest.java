package dev.overnight.acp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfinementTest {
  @TempDir Path root;
  @TempDir Path elsewhere;

  private Confinement confinement() throws Exception {
    return new Confinement(root);
  }

  @Test
  void pathsInsideAreResolvedEvenWhenTheyDoNotExistYet() throws Exception {
    Path real = root.toRealPath();
    assertThat(confinement().resolve("a/b/../c.txt")).isEqualTo(real.resolve("a/c.txt"));
    assertThat(confinement().resolve(real.resolve("new/dir/file").toString()))
        .isEqualTo(real.resolve("new/dir/file"));
  }

  @Test
  void absoluteAndDotDotEscapesAreRefusedWithInvalidParams() throws Exception {
    for (String path : new String[] {"/etc/passwd", "../../x", "a/../../x", ""}) {
      assertThatThrownBy(() -> confinement().resolve(path))
          .isInstanceOf(RpcException.class)
          .satisfies(e -> assertThat(((RpcException) e).code()).isEqualTo(-32602));
    }
  }

  @Test
  void symbolicLinksAreFollowedBeforeDeciding() throws Exception {
    Files.writeString(elsewhere.resolve("secret"), "s");
    Files.createSymbolicLink(root.resolve("out"), elsewhere);
    Files.createSymbolicLink(root.resolve("file-out"), elsewhere.resolve("secret"));
    Files.createDirectories(root.resolve("inside"));
    Files.createSymbolicLink(root.resolve("in"), root.resolve("inside"));

    assertThatThrownBy(() -> confinement().resolve("out/secret"))
        .hasMessageContaining("leads outside the worktree");
    assertThatThrownBy(() -> confinement().resolve("file-out"))
        .hasMessageContaining("leads outside the worktree");
    assertThatThrownBy(() -> confinement().resolve("out/not-yet/x"))
        .hasMessageContaining("leads outside the worktree");
    assertThat(confinement().resolve("in/x")).isEqualTo(root.toRealPath().resolve("inside/x"));
  }

  @Test
  void aDanglingLinkIsRefused() throws Exception {
    Files.createSymbolicLink(root.resolve("dangling"), elsewhere.resolve("missing/target"));
    assertThatThrownBy(() -> confinement().resolve("dangling"))
        .isInstanceOf(RpcException.class)
        .hasMessageContaining("Access refused to dangling");
  }
}
