package dev.overnight.core.coordinator;

import dev.overnight.api.config.PrAutomation;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.core.conflict.BaseSync;
import dev.overnight.core.conflict.SyncResult;
import dev.overnight.core.worktree.Git;
import dev.overnight.core.worktree.Worktree;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a finished task's branch up to date with its base just before its pull request is opened,
 * so that the pull request opens on a branch that merges cleanly and passes the gate with the base
 * in. The base may have moved while the agent worked; {@link BaseSync} does the work by the same
 * rules as for an open pull request (rebase Overnight's own commits or merge the base, one agent
 * turn on a conflict or a failing gate, the gate again), on the task's branch while its worktree
 * stands aside.
 *
 * <p>A sync that cannot bring the branch up to date leaves it at the task's own commits: the pull
 * request is opened from them all the same, and the facts say a human is needed. Tasks stacked on
 * another task's branch are not synced here: their base is that branch, not the configured base.
 *
 * <p>Thread-safe for different tasks; {@link #sync} blocks on git, the gate and the agent's turn.
 */
final class SyncBeforeOpening {
  private static final Logger LOG = LoggerFactory.getLogger(SyncBeforeOpening.class);

  private final BaseSync sync;
  private final PrAutomation settings;
  private final BiConsumer<Task, SyncResult> told;

  SyncBeforeOpening(BaseSync sync, PrAutomation settings, BiConsumer<Task, SyncResult> told) {
    this.sync = Objects.requireNonNull(sync, "sync");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.told = Objects.requireNonNull(told, "told");
  }

  /**
   * What a sync of a task's branch came to, and the facts to record on the task for it.
   *
   * @param result what the sync did
   * @param ownHead the branch's head before the sync: the task's own work
   * @param ownCommits the task's own commits, without those of the base taken in
   * @param facts its facts ({@link TaskFacts#BASE_SYNC}, {@link TaskFacts#CONFLICT_FILES}, {@link
   *     TaskFacts#BASE_SYNCS}, the new head)
   */
  record Synced(SyncResult result, String ownHead, int ownCommits, Map<String, String> facts) {
    Synced {
      Objects.requireNonNull(result, "result");
      Objects.requireNonNull(ownHead, "ownHead");
      facts = Map.copyOf(facts);
    }

    /** {@code published} counting the task's own commits only. */
    PublishResult ownCommitsOf(PublishResult published) {
      return new PublishResult(
          published.branch(),
          ownCommits,
          published.head(),
          published.pushed(),
          published.pushNote(),
          published.prUrl(),
          published.prNote());
    }

    /** {@code task} with these facts, as the publisher should see it. */
    Task on(Task task) {
      Map<String, String> metadata = new java.util.LinkedHashMap<>(task.metadata());
      metadata.putAll(facts);
      return task.toBuilder().metadata(metadata).build();
    }
  }

  /**
   * Commits what the agent left in {@code worktree}, then brings its branch up to date with the
   * base when the base moved since the branch started. Empty when nothing was to be done (pull
   * requests are not pushed, the agent changed nothing, the task is stacked, the branch already
   * holds the base) or the sync could not run (logged: the branch is published as it is).
   *
   * @param task the task as stored now (its agent noted), whose turn resolves a conflict
   * @param at when the sync happens, for the follow-ups' bounds
   */
  Optional<Synced> sync(Worktree worktree, Task task, Instant at) {
    if (!settings.enabled() || !settings.push() || task.fact(TaskFacts.STACKED_ON).isPresent()) {
      return Optional.empty();
    }
    Git git = worktree.git();
    worktree.commitLeftovers(task, "");
    String head = git.revParse("HEAD");
    if (head.equals(git.revParse(worktree.base()))) {
      return Optional.empty();
    }
    String branch = worktree.branch();
    int ownCommits = Integer.parseInt(git.check("rev-list", "--count", worktree.base() + "..HEAD"));
    try {
      BaseSync.Base base = sync.fetchBase();
      if (sync.contains(head, base)) {
        return Optional.empty();
      }
      // The branch cannot be synced while it is checked out: the worktree steps aside meanwhile.
      git.check("checkout", "--quiet", "--detach");
      SyncResult result;
      try {
        result = sync.sync(task, branch);
      } finally {
        git.check("checkout", "--quiet", branch);
      }
      LOG.info(
          "Task {}: {} brought up to date with {} before its pull request opens: {}",
          task.id().shortId(),
          branch,
          base.name(),
          result.outcome());
      return result.countsAsFollowUp()
          ? Optional.of(new Synced(result, head, ownCommits, result.facts(task, at, base.name())))
          : Optional.empty();
    } catch (RuntimeException e) {
      LOG.warn(
          "Task {}: could not bring {} up to date with its base; publishing it as it is: {}",
          task.id().shortId(),
          branch,
          e.toString());
      return Optional.empty();
    }
  }

  /**
   * Tells of a sync that changed the branch or needs a human, with the task as completed (its pull
   * request noted); what the receiver throws is logged.
   */
  void tell(Task task, SyncResult result) {
    try {
      told.accept(task, result);
    } catch (RuntimeException e) {
      LOG.warn("Could not tell of the sync of {}: {}", result.branch(), e.toString());
    }
  }
}
