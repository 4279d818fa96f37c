package dev.overnight.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ManifestSourceTest {
  @Test
  void readsUrlPathAndRef() {
    assertThat(ManifestSource.parse("https://example.org/team/p.git//ops/upgrade.yaml@v1.2"))
        .isEqualTo(
            new ManifestSource("https://example.org/team/p.git", "ops/upgrade.yaml", "v1.2"));
  }

  @Test
  void aFileUrlsEmptyHostIsNotThePathSeparator() {
    assertThat(ManifestSource.parse("file:///srv/repo//p.yaml@main"))
        .isEqualTo(new ManifestSource("file:///srv/repo", "p.yaml", "main"));
    assertThat(ManifestSource.parse("file:///srv/repo@main"))
        .isEqualTo(new ManifestSource("file:///srv/repo", ManifestSource.DEFAULT_PATH, "main"));
  }

  @Test
  void aUserInTheUrlIsNotTheRef() {
    assertThat(ManifestSource.parse("ssh://git@host/team/p.git@release/2"))
        .isEqualTo(new ManifestSource("ssh://git@host/team/p.git", "pipeline.yaml", "release/2"));
    assertThat(ManifestSource.parse("git@host:team/p.git//x.yaml@main"))
        .isEqualTo(new ManifestSource("git@host:team/p.git", "x.yaml", "main"));
    assertThatThrownBy(() -> ManifestSource.parse("ssh://git@host/team/p.git"))
        .hasMessageContaining("has no @ref");
    assertThatThrownBy(() -> ManifestSource.parse("git@host:team/p.git"))
        .hasMessageContaining("has no @ref");
  }

  @Test
  void roundTripsThroughItsText() {
    ManifestSource s = ManifestSource.parse("file:///srv/repo//a/b.yaml@v1");
    assertThat(ManifestSource.parse(s.toString())).isEqualTo(s);
  }

  @Test
  void refusesPathsOutsideTheRepositoryAndOptionLikeParts() {
    assertThatThrownBy(() -> ManifestSource.parse("file:///srv/repo//../etc/passwd@main"))
        .hasMessageContaining("not a path inside the repository");
    assertThatThrownBy(() -> ManifestSource.parse("file:///srv/repo///etc/passwd@main"))
        .hasMessageContaining("not a path inside the repository");
    assertThatThrownBy(() -> ManifestSource.parse("--upload-pack=evil//p.yaml@main"))
        .hasMessageContaining("no repository URL");
    assertThatThrownBy(() -> ManifestSource.parse("file:///srv/repo@--output=x"))
        .hasMessageContaining("not a branch or tag name");
    assertThatThrownBy(() -> ManifestSource.parse("file:///srv/repo@"))
        .hasMessageContaining("has no @ref");
  }
}
