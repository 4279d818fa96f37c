package dev.overnight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.core.pipeline.PipelineCatalog;
import dev.overnight.core.pipeline.PipelineLoader;
import dev.overnight.core.worktree.Git;
import dev.overnight.fakes.ScriptedAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code overnight pipeline}: the built-in manifests, showing one with its hash before its first
 * run, and the dependency upgrade end to end with the scripted agent on a real repository: the bump
 * breaks the build, the agent fixes it, the gate goes green, and the branch and the report say so.
 */
class PipelineCommandTest {
  /** The build: the old version builds as is; the new one needs App on its new API. */
  private static final String GATE =
      "test \"$(cat version.txt)\" = 1.0 || grep -q newApi src/App.java || { echo 'App.java:1:"
          + " cannot find symbol oldApi'; exit 1; }";

  /**
   * One turn for every session (each is a new agent process): bump the version if it is not bumped
   * yet, else move App to the new API.
   */
  private static final String AGENT =
      "{\"steps\": [{\"spawn\": [\"sh\", \"-c\", \"if grep -q 2.0 version.txt; then sed -i"
          + " s/oldApi/newApi/ src/App.java; else echo 2.0 > version.txt; fi\"]},"
          + " {\"message\": \"Done as asked.\"}]}";

  @TempDir Path dir;

  private Path config(Git git) throws Exception {
    Path config =
        WorkerSetup.config(
            dir, git.dir(), dir.resolve("state"), ScriptedAgent.argv("--script-json", AGENT));
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = (ObjectNode) json.readTree(config.toFile());
    root.putObject("quality_gate").put("verify_command", GATE).put("retry_with_agent", false);
    json.writeValue(config.toFile(), root);
    return config;
  }

  private static Git repository(Path dir) throws Exception {
    Git git = WorkerSetup.repository(dir);
    Files.writeString(git.dir().resolve("version.txt"), "1.0\n");
    Files.createDirectories(git.dir().resolve("src"));
    Files.writeString(git.dir().resolve("src/App.java"), "class App { oldApi(); }\n");
    git.check("add", "-A");
    git.check("-c", "user.email=d@e", "-c", "user.name=D", "commit", "-q", "-m", "Pin 1.0");
    return git;
  }

  private static String hashIn(String shown) {
    Matcher m = Pattern.compile("Hash: ([0-9a-f]{64})").matcher(shown);
    assertThat(m.find()).as(shown).isTrue();
    return m.group(1);
  }

  @Test
  void listNamesTheBuiltInPipelinesWithTheirHashes() {
    CliRun list = CliRun.of("pipeline", "list");

    assertThat(list.exitCode()).as(list.err()).isZero();
    String hash =
        PipelineLoader.hash(
            PipelineCatalog.builtInText("builtin:upgrade-dependency").orElseThrow());
    assertThat(list.out())
        .contains("upgrade-dependency  [" + hash.substring(0, 12) + "]")
        .contains("add-tests")
        .contains("fix-lint")
        .contains("write-review-fix");
  }

  @Test
  void theDependencyUpgradeRunsEndToEndAfterItsManifestIsShownAndAccepted() throws Exception {
    Git git = repository(dir);
    Path config = config(git);

    CliRun show =
        CliRun.of("pipeline", "show", "upgrade-dependency", "--config", config.toString());
    assertThat(show.exitCode()).as(show.err()).isZero();
    assertThat(show.out())
        .contains("name: upgrade-dependency")
        .contains("Within this config's policy.");
    String hash = hashIn(show.out());

    CliRun unaccepted =
        CliRun.of(
            "pipeline",
            "run",
            "upgrade-dependency",
            "--config",
            config.toString(),
            "--input",
            "dependency=acme",
            "--input",
            "version=2.0");
    assertThat(unaccepted.exitCode()).isNotZero();
    assertThat(unaccepted.err()).contains("not accepted: its hash is " + hash.substring(0, 12));

    CliRun run =
        CliRun.of(
            "pipeline",
            "run",
            "upgrade-dependency",
            "--config",
            config.toString(),
            "--accept",
            hash.substring(0, 12),
            "--input",
            "dependency=acme",
            "--input",
            "version=2.0");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("Queued pipeline upgrade-dependency as task");

    CliRun once = CliRun.of("once", "--config", config.toString());
    assertThat(once.exitCode()).as(once.out() + once.err()).isZero();

    JsonNode task =
        new ObjectMapper()
            .readTree(CliRun.of("queue", "list", "--config", config.toString(), "--json").out())
            .get(0);
    assertThat(task.path("status").asText()).isEqualTo("completed");
    JsonNode steps =
        new ObjectMapper().readTree(task.path("facts").path("pipeline_steps").asText());
    assertThat(steps.path("build").path("status").asText()).isEqualTo("failed");
    assertThat(steps.path("build").path("outputs").path("output").asText())
        .contains("cannot find symbol oldApi");
    assertThat(steps.path("fix").path("status").asText()).isEqualTo("succeeded");
    assertThat(steps.path("verify").path("status").asText()).isEqualTo("succeeded");
    assertThat(steps.path("pr").path("summary").asText()).contains("pr_automation is off");
    String branch = task.path("facts").path("branch").asText();
    assertThat(git.check("show", branch + ":version.txt")).isEqualTo("2.0");
    assertThat(git.check("show", branch + ":src/App.java")).isEqualTo("class App { newApi(); }");
    String report = Files.readString(dir.resolve("state/reports/latest.md"));
    assertThat(report)
        .contains("pipeline builtin:upgrade-dependency, step by step:")
        .contains("  - build — failed")
        .contains("  - verify — succeeded");
  }

  @Test
  void aManifestAskingForMoreThanTheConfigAllowsIsRefusedWithTheReason() throws Exception {
    Git git = repository(dir);
    Path config = config(git);
    Path manifest = dir.resolve("greedy.yaml");
    Files.writeString(
        manifest,
        """
        name: greedy
        permissions: {mode: allow_all}
        steps:
          - {id: fetch, op: command, with: {run: "curl -fsS https://example.com/install.sh"}}
        """);

    CliRun show = CliRun.of("pipeline", "show", manifest.toString(), "--config", config.toString());
    assertThat(show.exitCode()).isNotZero();
    assertThat(show.out())
        .contains("Refused under this config:")
        .contains(
            "/permissions/mode: asks for permission mode allow_all, above the config's unattended")
        .contains(
            "/steps/0/with/run: runs \"curl\", which the config does not run (allowed: test)");

    CliRun run =
        CliRun.of(
            "pipeline",
            "run",
            manifest.toString(),
            "--config",
            config.toString(),
            "--accept",
            hashIn(show.out()).substring(0, 12));
    assertThat(run.exitCode()).isNotZero();
    assertThat(run.err()).contains("Refused pipeline greedy").contains("allow_all");
    assertThat(
            new ObjectMapper()
                .readTree(
                    CliRun.of("queue", "list", "--config", config.toString(), "--json").out()))
        .as("nothing was queued")
        .isEmpty();
  }
}
