package dev.overnight.core.decision;

import dev.overnight.api.decision.Decision;
import dev.overnight.api.decision.DecisionContext;
import dev.overnight.api.decision.DecisionEngine;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.core.pipeline.PipelineProgress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What {@code overnight once} would work on next, in order: the tasks running now, then the pending
 * tasks in the order the queue hands them out (a cycle takes every one of them before it asks the
 * decision engine), then what the engine would propose, each proposal counted as taken for the next
 * — as a cycle enqueues a decision before it asks again. Work the queue has seen (done, running,
 * waiting or cancelled) is never proposed again: the context's {@linkplain
 * DecisionContext#finishedOpHashes() finished op hashes} hold it.
 *
 * @param running tasks in progress now
 * @param queued pending tasks, in claim order, at most as many as were asked for
 * @param proposed the engine's proposals that follow them, in the order it would make them
 * @since 0.1.0
 */
public record UpcomingWork(List<Task> running, List<Task> queued, List<Decision> proposed) {

  /** Copies the lists. */
  public UpcomingWork {
    running = List.copyOf(running);
    queued = List.copyOf(queued);
    proposed = List.copyOf(proposed);
  }

  /**
   * The next {@code count} pieces of work.
   *
   * @param live the queue's pending and in-progress tasks in claim order (as {@code TaskQueue.list}
   *     returns them)
   * @param engine the engine a cycle would ask once the queue is empty; its {@linkplain
   *     DecisionEngine#explain explanations} are read, so proposals are listed whether or not an
   *     agent is available to run them
   * @param context what the engine is given, with every op hash the queue has seen as finished
   * @param count how many to list (at least 1); the engine is asked at most this often
   */
  public static UpcomingWork plan(
      List<Task> live, DecisionEngine engine, DecisionContext context, int count) {
    Objects.requireNonNull(engine, "engine");
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1: " + count);
    }
    List<Task> running = new ArrayList<>();
    List<Task> queued = new ArrayList<>();
    for (Task t : live) {
      if (t.status() == TaskStatus.IN_PROGRESS) {
        running.add(t);
      } else if (t.status() == TaskStatus.PENDING && queued.size() < count) {
        queued.add(t);
      }
    }
    List<Decision> proposed = new ArrayList<>();
    Set<String> taken = new HashSet<>(context.finishedOpHashes());
    live.forEach(t -> taken.add(t.opHash()));
    while (queued.size() + proposed.size() < count) {
      DecisionContext asked =
          new DecisionContext(
              context.config(),
              context.fileActivity(),
              context.sessions(),
              context.agents(),
              context.filesWithTests(),
              taken,
              context.now());
      // Explained rather than decided: a plan says what would be proposed even while no agent is
      // available to run it, as plan --explain does.
      Decision next = engine.explain(asked).decision().orElse(null);
      if (next == null || !taken.add(next.toTaskSpec().opHash())) {
        break; // Nothing more, or the engine repeats itself: a cycle would stop deciding too.
      }
      proposed.add(next);
    }
    return new UpcomingWork(running, queued, proposed);
  }

  /** Whether nothing runs, waits or would be proposed. */
  public boolean isEmpty() {
    return running.isEmpty() && queued.isEmpty() && proposed.isEmpty();
  }

  /**
   * The work as lines for people: what runs now, then the numbered next steps, e.g. {@code 1.
   * queued Tidy the parser [3f2a9c1e, priority high]} and {@code 2. proposed tests: Add tests for
   * Parser.java (codex)}.
   */
  public String toText() {
    StringBuilder sb = new StringBuilder();
    for (Task t : running) {
      sb.append("Running now: ")
          .append(t.title())
          .append("   [")
          .append(t.id().shortId())
          .append(t.agentId().map(a -> ", " + a).orElse(""))
          .append("]\n");
      PipelineProgress.line(t).ifPresent(p -> sb.append("    ").append(p).append('\n'));
    }
    int n = 0;
    for (Task t : queued) {
      sb.append(++n)
          .append(". queued    ")
          .append(t.title())
          .append("   [")
          .append(t.id().shortId())
          .append(", priority ")
          .append(t.priority().name().toLowerCase(java.util.Locale.ROOT))
          .append(t.attempts() > 0 ? ", " + t.attempts() + " attempts so far" : "")
          .append("]\n");
      PipelineProgress.line(t).ifPresent(p -> sb.append("    ").append(p).append('\n'));
    }
    for (Decision d : proposed) {
      sb.append(++n)
          .append(". proposed  ")
          .append(d.path().key())
          .append(": ")
          .append(d.title())
          .append("   [")
          .append(d.agentId())
          .append(", confidence ")
          .append(String.format(java.util.Locale.ROOT, "%.2f", d.confidence()))
          .append("]\n");
    }
    return sb.toString();
  }
}
