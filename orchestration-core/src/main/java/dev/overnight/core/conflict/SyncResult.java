package dev.overnight.core.conflict;

import dev.overnight.api.agent.Usage;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a sync with the base came to.
 *
 * @param outcome what was done to the branch
 * @param branch the task's branch
 * @param head the branch's head afterwards (unchanged when the sync needs a human)
 * @param base the base commit the branch was brought up to
 * @param conflictedFiles the files that conflicted with the base, empty when none did
 * @param pushed whether the branch was pushed to the remote
 * @param note what happened, in words, for the report and the pull request's comment
 * @param usage what the agent's turns at a conflict or a failing gate used, {@link Usage#NONE} when
 *     none ran or none said
 * @param agentTime how long the agent's turns took, zero when none ran
 * @since 0.1.0
 */
public record SyncResult(
    SyncOutcome outcome,
    String branch,
    String head,
    String base,
    List<String> conflictedFiles,
    boolean pushed,
    String note,
    Usage usage,
    Duration agentTime) {

  /** Checks presence and copies the files. */
  public SyncResult {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(branch, "branch");
    Objects.requireNonNull(head, "head");
    Objects.requireNonNull(base, "base");
    conflictedFiles = List.copyOf(conflictedFiles);
    Objects.requireNonNull(note, "note");
    Objects.requireNonNull(usage, "usage");
    Objects.requireNonNull(agentTime, "agentTime");
  }

  /** A result no agent's turn went into. */
  public SyncResult(
      SyncOutcome outcome,
      String branch,
      String head,
      String base,
      List<String> conflictedFiles,
      boolean pushed,
      String note) {
    this(outcome, branch, head, base, conflictedFiles, pushed, note, Usage.NONE, Duration.ZERO);
  }

  /** Whether an agent's turn ran (and spent something) during the sync. */
  public boolean spent() {
    return !agentTime.isZero() || usage.totalTokens() > 0 || usage.costUsd().isPresent();
  }

  /** Whether a human has to take the base in. */
  public boolean needsHuman() {
    return outcome == SyncOutcome.NEEDS_RESOLUTION;
  }

  /** The facts to record on the task: the outcome, the conflicted files, the new head. */
  public Map<String, String> facts() {
    Map<String, String> facts = new LinkedHashMap<>();
    TaskFacts.BASE_SYNC.put(facts, outcome.key());
    if (!conflictedFiles.isEmpty()) {
      TaskFacts.CONFLICT_FILES.put(facts, String.join("\n", conflictedFiles));
    }
    if (outcome.inSync()) {
      TaskFacts.HEAD.put(facts, head);
    }
    return facts;
  }

  /**
   * Whether this sync counts as a follow-up on the task's pull request ({@code
   * pr_automation.follow_ups}): it changed the branch, or an agent's turn was spent and a human is
   * needed.
   */
  public boolean countsAsFollowUp() {
    return outcome != SyncOutcome.UP_TO_DATE;
  }

  /**
   * The facts to record on {@code task} after this sync with the base named {@code baseName} at
   * {@code at}: {@link #facts()}, and a sync that {@linkplain #countsAsFollowUp counts} added to
   * the task's {@link TaskFacts#BASE_SYNCS}, which the follow-ups' bounds count.
   */
  public Map<String, String> facts(Task task, Instant at, String baseName) {
    Map<String, String> facts = facts();
    if (countsAsFollowUp()) {
      String line = String.join(" ", at.toString(), outcome.key(), baseName, base);
      TaskFacts.BASE_SYNCS.put(
          facts, TaskFacts.BASE_SYNCS.from(task).map(l -> l + "\n" + line).orElse(line));
    }
    return facts;
  }

  /** The first conflicted file, if any: the one a short message names. */
  public Optional<String> firstConflict() {
    return conflictedFiles.stream().findFirst();
  }
}
