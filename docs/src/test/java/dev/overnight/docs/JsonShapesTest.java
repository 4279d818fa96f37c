package dev.overnight.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.core.json.OvernightJson;
import dev.overnight.core.queue.InMemoryTaskQueue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/json.md: its snippet, compiled and run, and that it lists every schema of docs/schema/, each
 * a draft 2020-12 schema whose {@code $id} names its file — the address the others refer to it by —
 * and that core's jar carries it.
 */
class JsonShapesTest {
  @Test
  void aTaskAsJson() {
    InMemoryTaskQueue queue =
        InMemoryTaskQueue.builder(InstantSource.fixed(Instant.parse("2026-11-25T23:30:00Z")))
            .build();
    // tag::task-json[]
    Task task =
        queue
            .enqueue(
                TaskSpec.builder("Write the changelog")
                    .agentId("codex")
                    .metadata(TaskFacts.BRANCH.key(), "overnight/changelog")
                    .build())
            .task();
    ObjectNode json = OvernightJson.task(task); // the shape the CLI, the API and reports share
    System.out.println(OvernightJson.write(json)); // {"id":"…","short_id":…,"agent_id":"codex",…}
    // end::task-json[]
    assertThat(json.get("agent_id").asText()).isEqualTo("codex");
    assertThat(json.get("status").asText()).isEqualTo("pending");
    assertThat(json.at("/facts/branch").asText()).isEqualTo("overnight/changelog");
    assertThat(json.has("last_error")).isFalse();
  }

  @Test
  void everySchemaIsDocumentedAndShipped() throws IOException {
    String page = Files.readString(SnippetsTest.ROOT.resolve("docs/json.md"));
    List<Path> schemas;
    try (Stream<Path> files = Files.list(SnippetsTest.ROOT.resolve("docs/schema"))) {
      schemas = files.filter(p -> p.toString().endsWith(".schema.json")).sorted().toList();
    }
    assertThat(schemas).hasSizeGreaterThan(8);
    for (Path file : schemas) {
      String name = file.getFileName().toString();
      JsonNode schema = OvernightJson.read(Files.readString(file));
      assertThat(schema.get("$schema").asText())
          .isEqualTo("https://json-schema.org/draft/2020-12/schema");
      assertThat(schema.get("$id").asText()).isEqualTo("https://overnight.dev/schema/" + name);
      assertThat(page).as("docs/json.md links %s", name).contains("schema/" + name);
      if (!name.equals("overnight-config.schema.json")) {
        assertThat(OvernightJson.class.getResource(OvernightJson.SCHEMA_FOLDER + name))
            .as("core's jar carries %s", name)
            .isNotNull();
      }
    }
  }
}
