package dev.overnight.core.json.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.api.queue.Page;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskEvent;
import dev.overnight.api.queue.TaskFact;
import dev.overnight.api.queue.TaskFacts;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The canonical JSON of a task, a task's event and a page of tasks. */
public final class TaskShapes {
  /**
   * Every fact of {@link TaskFacts}, in the order a task's {@code facts} object lists them. A test
   * keeps this list and the class in step.
   */
  public static final List<TaskFact<?>> FACTS =
      List.of(
          TaskFacts.DECISION_PATH,
          TaskFacts.RATIONALE,
          TaskFacts.TARGET_FILE,
          TaskFacts.TOP_FILE,
          TaskFacts.FILE_TOUCHES,
          TaskFacts.CONFIG_ID,
          TaskFacts.GOALS_HASH,
          TaskFacts.CANDIDATE_KIND,
          TaskFacts.CANDIDATE_SOURCE,
          TaskFacts.REQUIRED_LABELS,
          TaskFacts.ACCEPTANCE_CHECK,
          TaskFacts.EXPECTED_SIZE,
          TaskFacts.PLANNED_BY,
          TaskFacts.REVIEW_VERDICT,
          TaskFacts.REVIEW_REASONS,
          TaskFacts.AGENT,
          TaskFacts.BRANCH,
          TaskFacts.WORKTREE,
          TaskFacts.SESSION_ID,
          TaskFacts.GATE,
          TaskFacts.AGENT_ERROR,
          TaskFacts.REFUSED_PERMISSION,
          TaskFacts.FILES_CHANGED,
          TaskFacts.INSERTIONS,
          TaskFacts.DELETIONS,
          TaskFacts.CHANGED_FILES,
          TaskFacts.FINAL_MESSAGE,
          TaskFacts.GATE_OUTPUT,
          TaskFacts.KIND_MISMATCH,
          TaskFacts.NO_CHANGE,
          TaskFacts.TURNS,
          TaskFacts.TOOL_CALLS,
          TaskFacts.PERMISSIONS_REFUSED,
          TaskFacts.AGENT_SECONDS,
          TaskFacts.TOKENS,
          TaskFacts.COST_USD,
          TaskFacts.COMMITS,
          TaskFacts.HEAD,
          TaskFacts.PUSHED,
          TaskFacts.PUSH_NOTE,
          TaskFacts.PR_URL,
          TaskFacts.PR_NOTE,
          TaskFacts.PIPELINE,
          TaskFacts.PIPELINE_HASH,
          TaskFacts.PIPELINE_INPUTS,
          TaskFacts.PIPELINE_STEPS,
          TaskFacts.PIPELINE_STEP,
          TaskFacts.PIPELINE_EFFECTS,
          TaskFacts.FOLLOW_UP_OF,
          TaskFacts.FOLLOW_UP_ANSWERS,
          TaskFacts.FOLLOW_UP_ANSWERING,
          TaskFacts.FOLLOW_UP_FROM,
          TaskFacts.PR_STATE,
          TaskFacts.ISSUE,
          TaskFacts.ISSUE_NUMBER,
          TaskFacts.ISSUE_URL,
          TaskFacts.BASE_SYNC,
          TaskFacts.CONFLICT_FILES,
          TaskFacts.BASE_SYNCS,
          TaskFacts.PREDICTED_FILES,
          TaskFacts.OVERLAPS_TASK,
          TaskFacts.STACKED_ON,
          TaskFacts.STACK_DROPPED);

  private TaskShapes() {}

  /** A task: its fields, its well-formed facts typed, and the rest of its metadata as text. */
  public static ObjectNode task(Task t) {
    ObjectNode node = Nodes.object();
    node.put("id", t.id().value());
    node.put("short_id", t.id().shortId());
    node.put("title", t.title());
    node.put("prompt", t.prompt());
    Nodes.text(node, "agent_id", t.agentId());
    node.put("priority", Nodes.key(t.priority()));
    node.put("op_hash", t.opHash());
    node.put("status", Nodes.key(t.status()));
    node.put("attempts", t.attempts());
    node.put("max_attempts", t.maxAttempts());
    Nodes.text(node, "worker_id", t.workerId());
    Nodes.instant(node, "lease_expires_at", t.leaseExpiresAt());
    Nodes.instant(node, "created_at", t.createdAt());
    Nodes.instant(node, "updated_at", t.updatedAt());
    Nodes.instant(node, "started_at", t.startedAt());
    Nodes.instant(node, "finished_at", t.finishedAt());
    Nodes.text(node, "last_error", t.lastError());
    ObjectNode facts = node.putObject("facts");
    Map<String, String> rest = new TreeMap<>(t.metadata());
    for (TaskFact<?> fact : FACTS) {
      Optional<?> value = fact.from(t.metadata());
      if (value.isPresent()) {
        put(facts, fact.key(), value.get());
        rest.remove(fact.key());
      }
    }
    node.set("metadata", Nodes.texts(rest));
    return node;
  }

  private static void put(ObjectNode node, String field, Object value) {
    if (value instanceof Long l) {
      node.put(field, l);
    } else if (value instanceof Double d) {
      node.put(field, d);
    } else if (value instanceof Boolean b) {
      node.put(field, b);
    } else if (value instanceof Collection<?> values) {
      ArrayNode array = node.putArray(field);
      values.forEach(v -> array.add(v.toString()));
    } else {
      node.put(field, value.toString());
    }
  }

  /** One change to a task. */
  public static ObjectNode taskEvent(TaskEvent e) {
    ObjectNode node = Nodes.object();
    node.put("sequence", e.sequence());
    node.put("task_id", e.taskId().value());
    Nodes.instant(node, "at", e.at());
    node.put("actor", e.actor());
    node.put("kind", Nodes.key(e.type()));
    e.from().ifPresent(f -> node.put("from", Nodes.key(f)));
    node.put("to", Nodes.key(e.to()));
    node.put("reason", e.reason());
    return node;
  }

  /** Task events, oldest first. */
  public static ArrayNode taskEvents(List<TaskEvent> events) {
    ArrayNode array = Nodes.array();
    events.forEach(e -> array.add(taskEvent(e)));
    return array;
  }

  /** Tasks, in their order. */
  public static ArrayNode tasks(List<Task> tasks) {
    ArrayNode array = Nodes.array();
    tasks.forEach(t -> array.add(task(t)));
    return array;
  }

  /** A page of tasks with its position in the whole list. */
  public static ObjectNode taskPage(Page<Task> page) {
    ObjectNode node = Nodes.object();
    node.set("items", tasks(page.items()));
    node.put("total", page.total());
    node.put("offset", page.offset());
    node.put("has_more", page.hasMore());
    return node;
  }
}
