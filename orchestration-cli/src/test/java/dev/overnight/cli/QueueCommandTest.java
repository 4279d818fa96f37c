package dev.overnight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.store.Store;
import dev.overnight.core.runtime.OvernightRuntime;
import dev.overnight.core.runtime.StatePaths;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueueCommandTest {
  @TempDir Path dir;

  private CliRun queue(String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "queue";
    System.arraycopy(args, 0, all, 1, args.length);
    all[args.length + 1] = "--state-dir";
    all[args.length + 2] = dir.toString();
    return CliRun.of(all);
  }

  @Test
  void addListShowCancelRetry() throws Exception {
    CliRun added =
        queue("add", "--prompt", "Add tests for Parser", "--agent", "codex", "--priority", "high");
    assertThat(added.exitCode()).as(added.err()).isZero();
    assertThat(added.out())
        .startsWith("Queued ")
        .contains("pending      high    codex         Add tests for Parser");
    String id = added.out().substring("Queued ".length(), "Queued ".length() + 8);

    assertThat(queue("add", "--prompt", "Add tests for Parser", "--agent", "codex").out())
        .startsWith("Already queued ");
    CliRun addedJson = queue("add", "--prompt", "Tidy the build", "--json");
    assertThat(ShapeSchemas.errors("cli.schema.json#/$defs/queue_add", addedJson.out())).isEmpty();
    assertThat(new ObjectMapper().readTree(addedJson.out()).at("/metadata/source").asText())
        .isEqualTo("cli");
    CliRun listed = queue("list", "--json");
    assertThat(ShapeSchemas.errors("cli.schema.json#/$defs/queue_list", listed.out())).isEmpty();
    assertThat(new ObjectMapper().readTree(listed.out()))
        .extracting(t -> t.get("agent_id") == null ? "-" : t.get("agent_id").asText())
        .containsExactly("codex", "-");
    assertThat(queue("list").out()).contains("ID        STATUS").contains(id);
    assertThat(queue("list", "--status", "COMPLETED").out()).contains("No tasks.");

    CliRun shown = queue("show", id);
    assertThat(shown.out()).contains("Add tests for Parser").contains("enqueued by api");
    assertThat(queue("cancel", id).out()).startsWith("Cancelled " + id);
    assertThat(queue("retry", id).out()).startsWith("Retrying " + id);
    CliRun shownJson = queue("show", id, "--json");
    assertThat(shownJson.out())
        .contains("\"status\" : \"pending\"")
        .contains("\"kind\" : \"retried\"");
    assertThat(ShapeSchemas.errors("cli.schema.json#/$defs/queue_show", shownJson.out())).isEmpty();
    CliRun missing = queue("show", "zzzzzzzz");
    assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(missing.err()).contains("No task zzzzzzzz");
  }

  @Test
  void showNamesTheAgentOnceSayingWhoWorkedOnTheTask() {
    String chosen = shortId(queue("add", "--prompt", "Tidy the build"));
    String asked = shortId(queue("add", "--prompt", "Add tests", "--agent", "claude-code"));
    try (Store store = openStore()) {
      for (String id : List.of(chosen, asked)) {
        Task t = store.taskQueue().claimNext("worker-1", Duration.ofMinutes(5)).orElseThrow();
        assertThat(t.id().shortId()).isEqualTo(id);
        store.taskQueue().annotate(t.id(), "worker-1", Map.of(TaskFacts.AGENT.key(), "codex"));
      }
    }

    assertThat(agentLines(queue("show", chosen)))
        .containsExactly("  agent     codex (the coordinator's choice)");
    assertThat(agentLines(queue("show", asked)))
        .containsExactly("  agent     codex (asked for claude-code)");
  }

  @Test
  void aTaskQueuedForAConfigurationSaysWhose() throws Exception {
    Path repo = WorkerSetup.repository(dir).dir();
    Path config = WorkerSetup.config(dir, repo, dir.resolve("state"), List.of("true"));

    CliRun added =
        CliRun.of("queue", "add", "--config", config.toString(), "--prompt", "Tidy", "--json");

    assertThat(added.exitCode()).as(added.err()).isZero();
    assertThat(new ObjectMapper().readTree(added.out()).at("/facts/config_id").asText())
        .isEqualTo("worker-test");
  }

  private static String shortId(CliRun added) {
    assertThat(added.exitCode()).as(added.err()).isZero();
    return added.out().substring("Queued ".length(), "Queued ".length() + 8);
  }

  private static List<String> agentLines(CliRun shown) {
    assertThat(shown.exitCode()).as(shown.err()).isZero();
    return shown.out().lines().filter(l -> l.startsWith("  agent")).toList();
  }

  private Store openStore() {
    return OvernightRuntime.openStore(
        OrchestrationConfig.builder(ConfigValue.of(dir.toString())).build(), new StatePaths(dir));
  }

  @Test
  void reportPrintsMarkdownOrJsonButNotTwoFormatsAtOnce() throws Exception {
    queue("add", "--prompt", "Tidy the build", "--agent", "codex");

    assertThat(CliRun.of("report", "--state-dir", dir.toString()).out())
        .contains("**0 completed, 0 failed, 1 still queued, 0 cancelled**")
        .contains("| Tidy the build | pending | codex |");
    CliRun json = CliRun.of("report", "--json", "--state-dir", dir.toString());
    assertThat(json.exitCode()).as(json.err()).isZero();
    JsonNode root = new ObjectMapper().readTree(json.out());
    assertThat(root.at("/counts/pending").asInt()).isEqualTo(1);
    assertThat(root.at("/tasks/0/title").asText()).isEqualTo("Tidy the build");
    assertThat(root.at("/tasks/0/status").asText()).isEqualTo("pending");
    assertThat(root.at("/tasks/0/agent_id").asText()).isEqualTo("codex");
    assertThat(root.at("/tasks/0/facts/branch").isMissingNode()).isTrue();
    assertThat(ShapeSchemas.errors("report.schema.json", json.out())).isEmpty();

    CliRun both = CliRun.of("report", "--json", "--html", "--state-dir", dir.toString());
    assertThat(both.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(both.err()).contains("mutually exclusive");
  }

  @Test
  void reportOfAnEmptyFolderSaysNothingRan() {
    CliRun r = CliRun.of("report", "--state-dir", dir.toString());
    assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.err()).contains("nothing has run");
  }
}
