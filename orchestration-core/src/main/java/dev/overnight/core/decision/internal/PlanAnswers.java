package dev.overnight.core.decision.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.overnight.api.agent.PermissionPolicy;
import dev.overnight.api.config.Focus;
import dev.overnight.api.decision.CandidateKind;
import dev.overnight.api.decision.PipelineProposal;
import dev.overnight.core.decision.AgentPlan.DroppedTask;
import dev.overnight.core.decision.AgentPlan.PlannedTask;
import dev.overnight.core.json.OvernightJson;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads a planning agent's answer and checks every task of it against {@code
 * docs/schema/plan-answer.schema.json} and the repository before anything is queued: the shape and
 * sizes the schema sets, files that exist inside the workspace, in focus and not excluded, no task
 * twice, no more than the configured count, and no change larger than the night allows. A task that
 * fails is dropped with its reason; an answer that is not a plan at all is refused whole.
 *
 * <p>The answer is data from a model that read the repository's text, so nothing in it is trusted:
 * unknown fields (an agent to use, permissions to grant) drop the task rather than being ignored.
 * Pure apart from reading whether files exist; thread-safe.
 */
public final class PlanAnswers {
  /** Answers larger than this are refused unread (the prompt asks for a few tasks). */
  public static final int MAX_ANSWER_CHARS = 256 * 1024;

  /** The fields of a task, as the schema names them. */
  static final List<String> FIELDS =
      List.of("kind", "files", "title", "prompt", "acceptance_check", "rationale", "expected_size");

  /** The fields a task may have beyond those it must. */
  static final List<String> OPTIONAL_FIELDS = List.of("pipeline");

  static final Set<String> SIZES = Set.of("small", "medium", "large");

  private static final int MAX_PIPELINE_INPUTS = 20;
  private static final int MAX_INPUT_CHARS = 500;

  /** A time budget shorter than this leaves no room for a task the agent calls large. */
  static final int LARGE_TASK_MIN_BUDGET_SEC = 3600;

  private static final Map<String, Integer> MAX_LENGTHS =
      Map.of(
          "title", 200, "prompt", 8000, "acceptance_check", 2000, "rationale", 4000, "file", 500);
  private static final int MAX_FILES = 10;

  private PlanAnswers() {}

  /** What an answer came to: a plan with what was dropped, or a refusal of the whole. */
  public sealed interface Result {}

  /**
   * The tasks kept, best first, and those dropped.
   *
   * @param kept valid tasks, at most the configured count
   * @param dropped every task that was not kept, with its reason
   */
  public record Plan(List<PlannedTask> kept, List<DroppedTask> dropped) implements Result {
    /** Copies the components. */
    public Plan {
      kept = List.copyOf(kept);
      dropped = List.copyOf(dropped);
    }
  }

  /**
   * The answer is not a plan.
   *
   * @param reason why, e.g. {@code "the answer is not JSON: …"}
   */
  public record Invalid(String reason) implements Result {}

  /**
   * What the repository and the config allow a task to be about.
   *
   * @param workspace the repository's folder; files must exist in it
   * @param focus the config's focus
   * @param excluded files no task may be about
   * @param maxTasks how many tasks are kept at most
   * @param timeBudgetSec the cycle's time budget
   */
  public record Rules(
      Path workspace, Focus focus, Set<String> excluded, int maxTasks, int timeBudgetSec) {
    /** Copies the components. */
    public Rules {
      excluded = Set.copyOf(excluded);
    }
  }

  /** Reads and checks {@code answer}. */
  public static Result read(String answer, Rules rules) {
    if (answer.length() > MAX_ANSWER_CHARS) {
      return new Invalid(
          "the answer is "
              + answer.length()
              + " characters long, more than the limit of "
              + MAX_ANSWER_CHARS);
    }
    Optional<String> json = jsonText(answer);
    if (json.isEmpty()) {
      return new Invalid("the answer holds no JSON object");
    }
    JsonNode root;
    try {
      root = OvernightJson.read(json.get());
    } catch (RuntimeException e) {
      return new Invalid("the answer is not JSON: " + firstLine(e.getMessage()));
    }
    if (!root.isObject()) {
      return new Invalid("the answer is not a JSON object");
    }
    JsonNode tasks = root.get("tasks");
    if (tasks == null || !tasks.isArray()) {
      return new Invalid("the answer has no \"tasks\" array (plan-answer.schema.json)");
    }
    List<String> extra = unknownFields(root, List.of("tasks"));
    if (!extra.isEmpty()) {
      return new Invalid("the answer has fields the schema does not allow: " + extra);
    }
    if (tasks.isEmpty()) {
      return new Invalid("the agent planned no task");
    }
    FocusMatcher focus = FocusMatcher.of(rules.focus());
    List<PlannedTask> kept = new ArrayList<>();
    List<DroppedTask> dropped = new ArrayList<>();
    Map<String, Integer> prompts = new HashMap<>();
    int rank = 0;
    for (JsonNode item : tasks) {
      rank++;
      String title = item.path("title").isTextual() ? item.get("title").asText() : "(untitled)";
      Optional<String> problem = shape(item);
      if (problem.isEmpty()) {
        problem = repository(item, rules, focus);
      }
      if (problem.isEmpty()) {
        Integer same = prompts.putIfAbsent(item.get("prompt").asText(), rank);
        if (same != null) {
          problem = Optional.of("the same task as task " + same + " of the plan");
        }
      }
      if (problem.isEmpty() && kept.size() >= rules.maxTasks()) {
        problem =
            Optional.of(
                "beyond the "
                    + rules.maxTasks()
                    + " tasks a plan may hold (decision.max_planned_tasks)");
      }
      if (problem.isPresent()) {
        dropped.add(new DroppedTask(rank, title, problem.get()));
      } else {
        kept.add(task(rank, item));
      }
    }
    if (kept.isEmpty()) {
      return new Invalid(
          "no task of the answer is valid ("
              + dropped.stream()
                  .map(d -> "task " + d.rank() + ": " + d.reason())
                  .limit(3)
                  .collect(Collectors.joining("; "))
              + (dropped.size() > 3 ? "; …" : "")
              + ")");
    }
    return new Plan(kept, dropped);
  }

  /**
   * The JSON object of an answer: the text itself, or the body of a fenced block, or what lies
   * between the first opening and the last closing brace (models often add a sentence around it).
   */
  public static Optional<String> jsonText(String answer) {
    String text = answer.strip();
    int fence = text.indexOf("```");
    if (fence >= 0) {
      int bodyStart = text.indexOf('\n', fence);
      int end = bodyStart < 0 ? -1 : text.indexOf("```", bodyStart);
      if (end > bodyStart) {
        text = text.substring(bodyStart + 1, end).strip();
      }
    }
    int open = text.indexOf('{');
    int close = text.lastIndexOf('}');
    if (open < 0 || close < open) {
      return Optional.empty();
    }
    return Optional.of(text.substring(open, close + 1));
  }

  /** Whether the task has the schema's shape; the first problem if not. */
  private static Optional<String> shape(JsonNode item) {
    if (!item.isObject()) {
      return Optional.of("not a JSON object");
    }
    List<String> allowed = new ArrayList<>(FIELDS);
    allowed.addAll(OPTIONAL_FIELDS);
    List<String> extra = unknownFields(item, allowed);
    if (!extra.isEmpty()) {
      return Optional.of("fields the schema does not allow: " + extra);
    }
    if (item.has("pipeline")) {
      Optional<String> problem = pipelineShape(item.get("pipeline"));
      if (problem.isPresent()) {
        return problem;
      }
    }
    for (String field : FIELDS) {
      JsonNode v = item.get(field);
      if (v == null || v.isNull()) {
        return Optional.of("\"" + field + "\" is missing");
      }
      if (field.equals("files")) {
        if (!v.isArray()) {
          return Optional.of("\"files\" is not an array");
        }
        continue;
      }
      if (!v.isTextual()) {
        return Optional.of("\"" + field + "\" is not a string");
      }
      if (v.asText().isBlank()) {
        return Optional.of("\"" + field + "\" is empty");
      }
      Integer max = MAX_LENGTHS.get(field);
      if (max != null && v.asText().length() > max) {
        return Optional.of(
            "\"" + field + "\" is " + v.asText().length() + " characters, more than " + max);
      }
    }
    if (kind(item.get("kind").asText()).isEmpty()) {
      return Optional.of(
          "\"kind\" is \""
              + item.get("kind").asText()
              + "\", not one of "
              + Arrays.stream(CandidateKind.values())
                  .map(CandidateKind::key)
                  .collect(Collectors.joining(", ")));
    }
    if (!SIZES.contains(item.get("expected_size").asText())) {
      return Optional.of(
          "\"expected_size\" is \""
              + item.get("expected_size").asText()
              + "\", not small, medium or large");
    }
    JsonNode files = item.get("files");
    if (files.size() > MAX_FILES) {
      return Optional.of(files.size() + " files, more than " + MAX_FILES);
    }
    for (JsonNode f : files) {
      if (!f.isTextual() || f.asText().isBlank()) {
        return Optional.of("a file is not a non-empty string");
      }
      if (f.asText().length() > MAX_LENGTHS.get("file")) {
        return Optional.of("a file name is longer than " + MAX_LENGTHS.get("file"));
      }
    }
    return Optional.empty();
  }

  /** Whether a task's {@code pipeline} has the schema's shape; the first problem if not. */
  private static Optional<String> pipelineShape(JsonNode p) {
    if (!p.isObject()) {
      return Optional.of("\"pipeline\" is not an object");
    }
    List<String> extra = unknownFields(p, List.of("name", "inputs"));
    if (!extra.isEmpty()) {
      return Optional.of("pipeline fields the schema does not allow: " + extra);
    }
    JsonNode name = p.get("name");
    if (name == null || !name.isTextual() || name.asText().isBlank()) {
      return Optional.of("\"pipeline.name\" is missing or empty");
    }
    if (name.asText().length() > 100) {
      return Optional.of("\"pipeline.name\" is longer than 100");
    }
    JsonNode inputs = p.get("inputs");
    if (inputs == null || !inputs.isObject()) {
      return Optional.of("\"pipeline.inputs\" is missing or not an object");
    }
    if (inputs.size() > MAX_PIPELINE_INPUTS) {
      return Optional.of(inputs.size() + " pipeline inputs, more than " + MAX_PIPELINE_INPUTS);
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = inputs.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        return Optional.of("pipeline input \"" + e.getKey() + "\" is not a string");
      }
      if (e.getValue().asText().length() > MAX_INPUT_CHARS) {
        return Optional.of(
            "pipeline input \"" + e.getKey() + "\" is longer than " + MAX_INPUT_CHARS);
      }
    }
    return Optional.empty();
  }

  /** Whether the task's files are ones a task may be about; the first problem if not. */
  private static Optional<String> repository(JsonNode item, Rules rules, FocusMatcher focus) {
    CandidateKind kind = kind(item.get("kind").asText()).orElseThrow();
    JsonNode files = item.get("files");
    if (files.isEmpty() && kind != CandidateKind.EXPLORATION) {
      return Optional.of("names no file (only an exploration may)");
    }
    for (JsonNode f : files) {
      String file = f.asText();
      if (file.startsWith("/") || file.startsWith("~") || file.contains("\\")) {
        return Optional.of(file + " is not a path relative to the repository");
      }
      if (Arrays.asList(file.split("/")).contains("..")) {
        return Optional.of(file + " leads outside the repository");
      }
      if (!PermissionPolicy.isInside(rules.workspace(), file)) {
        return Optional.of(file + " leads outside the repository");
      }
      if (!exists(rules.workspace(), file)) {
        return Optional.of(file + " does not exist");
      }
      if (file.equals(".git") || file.startsWith(".git/")) {
        return Optional.of(file + " is git's own data");
      }
      if (rules.excluded().contains(file)) {
        return Optional.of(file + " is excluded");
      }
      if (!focus.inFocus(file)) {
        return Optional.of(file + " is outside focus");
      }
    }
    if (item.get("expected_size").asText().equals("large")
        && rules.timeBudgetSec() < LARGE_TASK_MIN_BUDGET_SEC) {
      return Optional.of(
          "a large change does not fit a time budget of "
              + rules.timeBudgetSec() / 60
              + " min (large needs "
              + LARGE_TASK_MIN_BUDGET_SEC / 60
              + ")");
    }
    return Optional.empty();
  }

  private static boolean exists(Path workspace, String file) {
    try {
      return Files.isRegularFile(workspace.resolve(file), LinkOption.NOFOLLOW_LINKS);
    } catch (InvalidPathException e) {
      return false;
    }
  }

  private static PlannedTask task(int rank, JsonNode item) {
    List<String> files = new ArrayList<>();
    item.get("files").forEach(f -> files.add(f.asText()));
    return new PlannedTask(
        rank,
        kind(item.get("kind").asText()).orElseThrow(),
        files,
        item.get("title").asText().strip(),
        item.get("prompt").asText().strip(),
        item.get("acceptance_check").asText().strip(),
        item.get("rationale").asText().strip(),
        item.get("expected_size").asText(),
        Optional.ofNullable(item.get("pipeline")).map(PlanAnswers::proposal));
  }

  private static PipelineProposal proposal(JsonNode p) {
    Map<String, String> inputs = new java.util.LinkedHashMap<>();
    p.get("inputs").fields().forEachRemaining(e -> inputs.put(e.getKey(), e.getValue().asText()));
    return new PipelineProposal(p.get("name").asText().strip(), inputs);
  }

  static Optional<CandidateKind> kind(String key) {
    for (CandidateKind k : CandidateKind.values()) {
      if (k.key().equals(key.toLowerCase(Locale.ROOT))) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  private static List<String> unknownFields(JsonNode object, List<String> allowed) {
    List<String> extra = new ArrayList<>();
    for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!allowed.contains(name)) {
        extra.add(name);
      }
    }
    return extra;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    String line = message.lines().findFirst().orElse(message);
    return line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }
}
