package dev.overnight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.core.pipeline.PipelineLoader;
import dev.overnight.core.worktree.Git;
import dev.overnight.fakes.ScriptedAgent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code overnight pipeline add|list|show|update|remove} against a real git repository: a manifest
 * installed from a tag or a branch is shown and pinned, runs only once its hash is accepted (and
 * then again without {@code --accept}), and a changed upstream is a diff that needs the new hash.
 */
class InstalledPipelineCommandTest {
  private static final String V1 =
      "name: tidy\ndescription: Tidy the changelog.\nsteps:\n"
          + "  - {id: tidy, op: agent_turn, with: {prompt: Tidy CHANGELOG.md.}}\n";
  private static final String V2 = V1.replace("Tidy CHANGELOG.md.", "Tidy and sort CHANGELOG.md.");

  @TempDir Path dir;
  Git upstream;
  String url;
  Path config;

  @BeforeEach
  void setUp() throws Exception {
    upstream = new Git(Files.createDirectories(dir.resolve("pipelines")));
    upstream.check("init", "-q", "-b", "main");
    commit("ops/tidy.yaml", V1);
    upstream.check("tag", "v1");
    url = dir.resolve("pipelines").toUri().toString();
    Git work = WorkerSetup.repository(dir.resolve("work"));
    config =
        WorkerSetup.config(
            dir,
            work.dir(),
            dir.resolve("state"),
            ScriptedAgent.argv("--script-json", "{\"steps\": [{\"message\": \"Done.\"}]}"));
  }

  private void commit(String path, String text) throws IOException {
    Path file = upstream.dir().resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    upstream.check("add", "-A");
    upstream.check("-c", "user.email=d@e", "-c", "user.name=D", "commit", "-q", "-m", path);
  }

  private CliRun pipeline(String... args) {
    List<String> all = new java.util.ArrayList<>(List.of("pipeline"));
    all.addAll(List.of(args));
    all.addAll(List.of("--config", config.toString()));
    return CliRun.of(all.toArray(String[]::new));
  }

  @Test
  void anInstalledManifestIsShownPinnedAndRunsOnlyOnceAccepted() {
    String hash = PipelineLoader.hash(V1);

    CliRun add = pipeline("add", url + "/ops/tidy.yaml@v1");
    assertThat(add.exitCode()).as(add.err()).isZero();
    assertThat(add.out())
        .contains("prompt: Tidy CHANGELOG.md.")
        .contains("Hash: " + hash)
        .contains("Installed tidy from " + url.replaceAll("/$", "") + "//ops/tidy.yaml@v1")
        .contains("pinned to commit " + upstream.revParse("v1").substring(0, 12));

    CliRun list = pipeline("list");
    assertThat(list.out()).contains("tidy  [" + hash.substring(0, 12) + "]  installed from ");

    CliRun show = pipeline("show", "tidy");
    assertThat(show.exitCode()).as(show.err()).isZero();
    assertThat(show.out())
        .contains("Hash: " + hash)
        .contains("pinned to " + upstream.revParse("v1"))
        .contains("Within this config's policy.")
        .doesNotContain("Accepted before");

    CliRun refused = pipeline("run", "tidy");
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.err()).contains("not accepted: its hash is " + hash.substring(0, 12));

    CliRun run = pipeline("run", "tidy", "--accept", hash.substring(0, 12));
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("Queued pipeline tidy");

    assertThat(pipeline("show", "tidy").out()).contains("Accepted before");
    CliRun again = pipeline("run", "tidy");
    assertThat(again.exitCode()).as("remembered: " + again.err()).isZero();
    assertThat(again.out()).contains("pipeline tidy");
  }

  @Test
  void aChangedUpstreamIsADiffAndNeedsItsNewHashAccepted() throws IOException {
    assertThat(pipeline("add", url + "/ops/tidy.yaml@main").exitCode()).isZero();
    String old = PipelineLoader.hash(V1);
    assertThat(pipeline("run", "tidy", "--accept", old.substring(0, 12)).exitCode()).isZero();

    CliRun unchanged = pipeline("update", "tidy");
    assertThat(unchanged.exitCode()).as(unchanged.err()).isZero();
    assertThat(unchanged.out()).contains("tidy is up to date");

    commit("ops/tidy.yaml", V2);
    String next = PipelineLoader.hash(V2);

    CliRun update = pipeline("update", "tidy");
    assertThat(update.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(update.out())
        .contains("-  - {id: tidy, op: agent_turn, with: {prompt: Tidy CHANGELOG.md.}}")
        .contains("+  - {id: tidy, op: agent_turn, with: {prompt: Tidy and sort CHANGELOG.md.}}")
        .contains("New hash: " + next)
        .contains("still pinned to " + old.substring(0, 12))
        .contains("overnight pipeline update tidy --accept " + next.substring(0, 12));
    assertThat(pipeline("show", "tidy").out()).contains("Hash: " + old);

    CliRun wrong = pipeline("update", "tidy", "--accept", old.substring(0, 12));
    assertThat(wrong.exitCode()).isNotZero();
    assertThat(wrong.err()).contains("changed upstream: its new hash is " + next.substring(0, 12));

    CliRun take = pipeline("update", "tidy", "--accept", next.substring(0, 12));
    assertThat(take.exitCode()).as(take.err()).isZero();
    assertThat(take.out())
        .contains("Updated tidy to commit " + upstream.revParse("main").substring(0, 12));
    assertThat(pipeline("show", "tidy").out()).contains("Hash: " + next);

    CliRun notYetAccepted = pipeline("run", "tidy");
    assertThat(notYetAccepted.exitCode()).isNotZero();
    assertThat(notYetAccepted.err()).contains("not accepted: its hash is " + next.substring(0, 12));
  }

  @Test
  void removeUninstallsAndBadInputIsAUsageError() {
    assertThat(pipeline("add", url + "/ops/tidy.yaml@v1", "--name", "tidy-v1").exitCode()).isZero();

    CliRun twice = pipeline("add", url + "/ops/tidy.yaml@v1", "--name", "tidy-v1");
    assertThat(twice.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(twice.err()).contains("installed already");

    CliRun noRef = pipeline("add", url + "/ops/tidy.yaml");
    assertThat(noRef.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(noRef.err()).contains("has no @ref");

    CliRun missing = pipeline("add", url + "/ops/tidy.yaml@v7");
    assertThat(missing.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(missing.err()).contains("cannot fetch v7");

    CliRun remove = pipeline("remove", "tidy-v1");
    assertThat(remove.exitCode()).as(remove.err()).isZero();
    assertThat(pipeline("list").out()).doesNotContain("tidy-v1");
    assertThat(pipeline("remove", "tidy-v1").exitCode()).isEqualTo(ExitCodes.USAGE);
  }
}
