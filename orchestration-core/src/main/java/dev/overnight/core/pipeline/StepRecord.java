package dev.overnight.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.api.pipeline.StepResult;
import dev.overnight.api.pipeline.StepStatus;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFact;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.core.json.OvernightJson;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One finished step of a pipeline as its task records it (under {@link TaskFacts#PIPELINE_STEPS}):
 * enough for templates of later steps, for the report, and for a resumed pipeline to skip it.
 *
 * @param status how it ended
 * @param summary one line
 * @param outputs its outputs (each cut to its last {@value #MAX_OUTPUT} characters)
 * @param attempts how many times it ran (0 when skipped)
 * @param tokens tokens its agent turns used
 * @param costUsd what its agent turns cost, when reported
 * @param seconds how long it took
 * @since 0.1.0
 */
public record StepRecord(
    StepStatus status,
    String summary,
    Map<String, String> outputs,
    int attempts,
    long tokens,
    Optional<Double> costUsd,
    long seconds) {

  /** The longest output kept: the end of a build's log is the part that says what broke. */
  public static final int MAX_OUTPUT = 4000;

  /** Validates and copies. */
  public StepRecord {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(summary, "summary");
    outputs = Map.copyOf(outputs);
    Objects.requireNonNull(costUsd, "costUsd");
  }

  /** The record of a step result. */
  public static StepRecord of(StepResult r, int attempts, long seconds) {
    Map<String, String> outputs = new LinkedHashMap<>();
    r.outputs().forEach((k, v) -> outputs.put(k, tail(v)));
    return new StepRecord(
        r.status(),
        r.summary(),
        outputs,
        attempts,
        r.usage().totalTokens(),
        r.usage().costUsd(),
        seconds);
  }

  /** What templates read as {@code ${steps.ID.KEY}}: its outputs, its status and its summary. */
  public Map<String, String> templateValues() {
    Map<String, String> values = new LinkedHashMap<>(outputs);
    values.put("status", status.wireName());
    values.put("summary", summary);
    return values;
  }

  /** The steps recorded on a task, by id in the order they ran. */
  public static Map<String, StepRecord> on(Task task) {
    return read(task.metadata(), TaskFacts.PIPELINE_STEPS);
  }

  /** The side effects recorded on a task, by idempotency key. */
  public static Map<String, StepRecord> effectsOn(Task task) {
    return read(task.metadata(), TaskFacts.PIPELINE_EFFECTS);
  }

  private static Map<String, StepRecord> read(Map<String, String> metadata, TaskFact<String> fact) {
    Map<String, StepRecord> out = new LinkedHashMap<>();
    Optional<String> json = fact.from(metadata);
    if (json.isEmpty()) {
      return out;
    }
    JsonNode root;
    try {
      root = OvernightJson.read(json.get());
    } catch (RuntimeException e) {
      return out;
    }
    root.fields()
        .forEachRemaining(e -> fromJson(e.getValue()).ifPresent(r -> out.put(e.getKey(), r)));
    return out;
  }

  /** The records as the metadata holds them. */
  public static String write(Map<String, StepRecord> records) {
    ObjectNode root = OvernightJson.object();
    records.forEach((id, r) -> root.set(id, r.toJson()));
    return OvernightJson.write(root);
  }

  /** This record as JSON, snake_case like every Overnight shape. */
  public ObjectNode toJson() {
    ObjectNode o = OvernightJson.object();
    o.put("status", status.wireName());
    o.put("summary", summary);
    ObjectNode out = o.putObject("outputs");
    outputs.forEach(out::put);
    o.put("attempts", attempts);
    o.put("tokens", tokens);
    costUsd.ifPresent(c -> o.put("cost_usd", c));
    o.put("seconds", seconds);
    return o;
  }

  private static Optional<StepRecord> fromJson(JsonNode n) {
    Optional<StepStatus> status =
        java.util.Arrays.stream(StepStatus.values())
            .filter(s -> s.wireName().equals(n.path("status").asText()))
            .findFirst();
    if (status.isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> outputs = new LinkedHashMap<>();
    n.path("outputs")
        .fields()
        .forEachRemaining(e -> outputs.put(e.getKey(), e.getValue().asText()));
    return Optional.of(
        new StepRecord(
            status.get(),
            n.path("summary").asText(""),
            outputs,
            n.path("attempts").asInt(0),
            n.path("tokens").asLong(0),
            n.has("cost_usd") ? Optional.of(n.get("cost_usd").asDouble()) : Optional.empty(),
            n.path("seconds").asLong(0)));
  }

  private static String tail(String text) {
    return text.length() <= MAX_OUTPUT ? text : "…" + text.substring(text.length() - MAX_OUTPUT);
  }
}
