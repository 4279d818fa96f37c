package dev.overnight.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overnight.api.config.ConfigException;
import dev.overnight.core.pipeline.internal.BuiltInOperations;
import dev.overnight.core.worktree.Git;
import dev.overnight.core.worktree.GitException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstalledPipelinesTest {
  private static final PipelineLoader LOADER = PipelineLoader.of(BuiltInOperations.all());

  static String manifest(String name, String prompt) {
    return "name: "
        + name
        + "\ndescription: Tidy the changelog.\nsteps:\n  - id: tidy\n    op: agent_turn\n"
        + "    with:\n      prompt: "
        + prompt
        + "\n";
  }

  @TempDir Path tmp;
  Path upstream;
  Git git;
  InstalledPipelines installed;
  String url;

  @BeforeEach
  void upstreamRepository() throws IOException {
    upstream = tmp.resolve("upstream");
    Files.createDirectories(upstream);
    git = new Git(upstream);
    git.check("init", "-q", "-b", "main");
    git.check("config", "user.email", "dev@example.com");
    git.check("config", "user.name", "Dev");
    git.check("config", "commit.gpgsign", "false");
    commit("ops/tidy.yaml", manifest("tidy", "Tidy CHANGELOG.md."));
    git.check("tag", "v1");
    installed = InstalledPipelines.at(tmp.resolve("state/catalog"), LOADER);
    url = upstream.toUri().toString().replaceAll("/$", "");
  }

  void commit(String path, String text) throws IOException {
    Path file = upstream.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    git.check("add", "-A");
    git.check("commit", "-q", "-m", "change " + path);
  }

  @Test
  void addPinsTheCommitAndTheHashAndKeepsTheText() {
    InstalledPipeline p =
        installed.add(ManifestSource.parse(url + "//ops/tidy.yaml@v1"), Optional.empty());

    assertThat(p.name()).isEqualTo("tidy");
    assertThat(p.revision()).isEqualTo(git.revParse("v1"));
    assertThat(p.hash()).isEqualTo(PipelineLoader.hash(manifest("tidy", "Tidy CHANGELOG.md.")));
    assertThat(installed.list()).containsExactly(p);
    assertThat(installed.text(p)).isEqualTo(manifest("tidy", "Tidy CHANGELOG.md."));
    assertThat(LOADER.load(Path.of(installed.reference(p))).hash()).isEqualTo(p.hash());
    // A second catalog over the same folder sees the same: it is kept on disk.
    assertThat(InstalledPipelines.at(tmp.resolve("state/catalog"), LOADER).find("tidy"))
        .contains(p);
  }

  @Test
  void aTagStaysPinnedWhileTheBranchMovesAndUpdateShowsTheDiff() throws IOException {
    InstalledPipeline byTag =
        installed.add(ManifestSource.parse(url + "//ops/tidy.yaml@v1"), Optional.of("tidy-v1"));
    InstalledPipeline byBranch =
        installed.add(ManifestSource.parse(url + "//ops/tidy.yaml@main"), Optional.empty());
    commit("ops/tidy.yaml", manifest("tidy", "Tidy CHANGELOG.md and sort it."));

    assertThat(installed.check("tidy-v1").changed()).isFalse();
    InstalledPipelines.Update update = installed.check("tidy");
    assertThat(update.changed()).isTrue();
    assertThat(update.commit()).isEqualTo(git.revParse("main"));
    assertThat(update.diff())
        .contains("--- a/ops_tidy.yaml", "+++ b/ops_tidy.yaml")
        .contains("-      prompt: Tidy CHANGELOG.md.")
        .contains("+      prompt: Tidy CHANGELOG.md and sort it.");
    // Fetching again changes nothing until the new hash is accepted.
    assertThat(installed.find("tidy")).contains(byBranch);

    assertThatThrownBy(() -> installed.take(update, ""))
        .isInstanceOf(PipelineRefusedException.class)
        .hasMessageContaining("changed upstream: its new hash is " + update.shortHash());
    assertThatThrownBy(() -> installed.take(update, byBranch.shortHash()))
        .isInstanceOf(PipelineRefusedException.class);
    assertThat(installed.find("tidy")).contains(byBranch);

    InstalledPipeline taken = installed.take(update, update.shortHash());
    assertThat(taken.hash()).isEqualTo(update.hash());
    assertThat(taken.revision()).isEqualTo(git.revParse("main"));
    assertThat(installed.text(taken)).contains("and sort it");
    assertThat(installed.find("tidy-v1")).contains(byTag);
    assertThat(installed.text(byTag)).doesNotContain("sort it");
  }

  @Test
  void aNewCommitThatLeavesTheManifestAloneIsTakenWithoutAcceptance() throws IOException {
    installed.add(ManifestSource.parse(url + "//ops/tidy.yaml@main"), Optional.empty());
    commit("README.md", "unrelated\n");

    InstalledPipelines.Update update = installed.check("tidy");
    assertThat(update.changed()).isFalse();
    assertThat(update.diff()).isEmpty();
    assertThat(installed.take(update, "").revision()).isEqualTo(git.revParse("main"));
  }

  @Test
  void anInvalidManifestIsNotPinnedAndEveryProblemIsNamed() throws IOException {
    commit("bad.yaml", "name: bad\nsteps:\n  - id: x\n    op: launch_rockets\n");

    assertThatThrownBy(
            () -> installed.add(ManifestSource.parse(url + "//bad.yaml@main"), Optional.empty()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("launch_rockets");
    assertThat(installed.list()).isEmpty();
  }

  @Test
  void whatCannotBeFetchedSaysWhy() {
    assertThatThrownBy(
            () -> installed.add(ManifestSource.parse(url + "//ops/tidy.yaml@v9"), Optional.empty()))
        .isInstanceOf(GitException.class)
        .hasMessageContaining("cannot fetch v9 from " + url);
    assertThatThrownBy(
            () -> installed.add(ManifestSource.parse(url + "//nope.yaml@main"), Optional.empty()))
        .isInstanceOf(GitException.class)
        .hasMessageContaining("no file nope.yaml at main");
  }

  @Test
  void namesAreUniqueAndNeverABuiltInsName() {
    ManifestSource source = ManifestSource.parse(url + "//ops/tidy.yaml@v1");
    installed.add(source, Optional.empty());

    assertThatThrownBy(() -> installed.add(source, Optional.empty()))
        .hasMessageContaining("installed already");
    assertThatThrownBy(() -> installed.add(source, Optional.of("fix-lint")))
        .hasMessageContaining("built-in pipeline's name");
    assertThatThrownBy(() -> installed.add(source, Optional.of("../x")))
        .hasMessageContaining("is not a pipeline name");
  }

  @Test
  void removeForgetsThePipelineAndItsPinnedText() {
    InstalledPipeline p =
        installed.add(ManifestSource.parse(url + "//ops/tidy.yaml@v1"), Optional.empty());
    Path file = Path.of(installed.reference(p));

    assertThat(installed.remove("tidy")).isTrue();
    assertThat(installed.list()).isEmpty();
    assertThat(file).doesNotExist();
    assertThat(installed.remove("tidy")).isFalse();
  }

  @Test
  void acceptedHashesAreRemembered() {
    String hash = PipelineLoader.hash("x");
    assertThat(installed.accepted(hash)).isFalse();

    installed.accept(hash);

    assertThat(InstalledPipelines.at(tmp.resolve("state/catalog"), LOADER).accepted(hash)).isTrue();
    assertThat(installed.accepted(PipelineLoader.hash("y"))).isFalse();
    assertThatThrownBy(() -> installed.accept("abc")).hasMessageContaining("not a full SHA-256");
  }
}
