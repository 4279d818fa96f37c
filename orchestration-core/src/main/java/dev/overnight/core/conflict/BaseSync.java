package dev.overnight.core.conflict;

import dev.overnight.api.agent.Usage;
import dev.overnight.api.config.ConflictSettings;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.config.QualityGate;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.core.process.CommandResult;
import dev.overnight.core.process.CommandRunner;
import dev.overnight.core.worktree.Git;
import dev.overnight.core.worktree.GitException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a task's branch up to date with its base, before its pull request is opened and while it
 * is open: the coordinator calls it when a task is done, before publishing (its worktree stepping
 * aside while the branch is synced), and the pull-request watcher at the start of each cycle.
 *
 * <p>One {@link #sync} fetches the base (and the branch, when it is on the remote), then, in a
 * fresh worktree of the branch:
 *
 * <ol>
 *   <li>takes in commits someone else pushed to the branch (fast-forward, else a merge): they are
 *       never dropped or rewritten;
 *   <li>stops when the branch already contains its base ({@link SyncOutcome#UP_TO_DATE});
 *   <li>asks {@link MergeProbe} whether the base merges cleanly; with {@code conflicts.strategy:
 *       rebase}, a branch holding only Overnight's commits and merging cleanly is rebased ({@link
 *       SyncOutcome#REBASED}); otherwise the base is merged ({@link SyncOutcome#MERGED});
 *   <li>when the merge conflicts, the task's agent gets one follow-up turn with the conflicted
 *       files and their marked hunks; markers left behind, or a turn that did not end, hand the
 *       branch to a human ({@link SyncOutcome#NEEDS_RESOLUTION}), else the merge is committed
 *       ({@link SyncOutcome#RESOLVED});
 *   <li>runs the quality gate; a failure gets one follow-up turn with its output, then the gate
 *       again; still failing, the branch is left as it was and a human is needed;
 *   <li>pushes when the branch is on the remote: a fast-forward, or for Overnight's own rebased
 *       branch {@code --force-with-lease} on the commit it fetched, so a commit pushed meanwhile is
 *       never lost.
 * </ol>
 *
 * "Overnight's own commits" are those up to the head Overnight last recorded on the task ({@link
 * TaskFacts#HEAD}); anything the remote branch holds beyond it is someone else's.
 *
 * <p>The user's checkout is never touched. Thread-safe for different tasks; {@link #sync} blocks on
 * git, the gate and the agent's turns.
 *
 * @since 0.1.0
 */
public final class BaseSync {
  private static final Logger LOG = LoggerFactory.getLogger(BaseSync.class);

  private final OrchestrationConfig config;
  private final Git repository;
  private final Path scratchRoot;
  private final ConflictResolver resolver;
  private final Gate gate;
  private final MergeProbe probe;
  private final BiConsumer<Task, SyncResult> needsHuman;
  private final boolean gated;

  private BaseSync(Builder b) {
    this.config = b.config;
    this.repository = new Git(config.workspaceRoot().path());
    this.scratchRoot = Objects.requireNonNull(b.scratchRoot, "scratchRoot");
    this.resolver = b.resolver;
    this.gate = b.gate.orElseGet(() -> Gate.of(config.qualityGate()));
    this.gated = b.gate.isPresent() || config.qualityGate().verifyCommand().isPresent();
    this.probe =
        b.trialMerge
            ? MergeProbe.withTrialMerge(repository, scratchRoot)
            : MergeProbe.of(repository, scratchRoot);
    this.needsHuman = b.needsHuman;
  }

  /** A builder for syncing branches of {@code config}'s workspace. */
  public static Builder builder(OrchestrationConfig config) {
    return new Builder(config);
  }

  /** Whether a sync runs a quality gate once the base is in (else every sync passes). */
  public boolean hasGate() {
    return gated;
  }

  /** The probe that tells conflicts apart. */
  public MergeProbe probe() {
    return probe;
  }

  /** Syncs the branch recorded on the task ({@link TaskFacts#BRANCH}). */
  public SyncResult sync(Task task) {
    return sync(
        task,
        TaskFacts.BRANCH
            .from(task)
            .orElseThrow(
                () -> new IllegalArgumentException("task " + task.id() + " has no branch")));
  }

  /**
   * Brings {@code branch} up to date with its base, as the class description says.
   *
   * @throws GitException if git fails for another reason than a conflict (no such branch, the base
   *     cannot be fetched, the branch is checked out in a running task's worktree)
   */
  public SyncResult sync(Task task, String branch) {
    String remote = config.prAutomation().remote();
    Base base = fetchBase();
    String baseName = base.name();
    String baseTip = base.commit();
    String remoteRef = "refs/remotes/" + remote + "/" + branch;
    Optional<String> remoteTip =
        repository
                .run("fetch", "--quiet", remote, "+refs/heads/" + branch + ":" + remoteRef)
                .succeeded()
            ? Optional.of(repository.revParse(remoteRef))
            : Optional.empty();
    if (!repository.branchExists(branch)) {
      String from =
          remoteTip.orElseThrow(
              () -> new GitException("no branch " + branch + " here or on " + remote));
      repository.check("branch", branch, from);
    }
    String tip = repository.revParse("refs/heads/" + branch);
    String own =
        TaskFacts.HEAD
            .from(task)
            .filter(h -> repository.run("cat-file", "-e", h + "^{commit}").succeeded())
            .orElse(tip);
    boolean othersCommits = remoteTip.isPresent() && !isAncestor(remoteTip.get(), own);

    Path path = scratchRoot.resolve("sync-" + task.id().shortId());
    discard(path);
    try {
      Files.createDirectories(scratchRoot);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    repository.check("worktree", "add", "--quiet", path.toString(), branch);
    try {
      return new Run(task, branch, baseName, baseTip, remote, remoteTip, othersCommits, path)
          .call();
    } finally {
      discard(path);
    }
  }

  /**
   * Fetches the base from the remote: what a sync would bring a branch up to now. Lets a watcher
   * sync only when the base moved.
   *
   * @throws GitException if the base cannot be fetched
   */
  public Base fetchBase() {
    String remote = config.prAutomation().remote();
    String name = config.prAutomation().baseBranch().orElseGet(() -> remoteHead(remote));
    String ref = "refs/remotes/" + remote + "/" + name;
    repository.check("fetch", "--quiet", remote, "+refs/heads/" + name + ":" + ref);
    return new Base(name, repository.revParse(ref));
  }

  /**
   * Whether {@code commit} already contains {@code base}'s commit; false when either is unknown
   * here.
   */
  public boolean contains(String commit, Base base) {
    return isAncestor(base.commit(), commit);
  }

  /**
   * The base branch and the commit it is at on the remote.
   *
   * @param name the base branch, e.g. {@code main}
   * @param commit its commit
   * @since 0.1.0
   */
  public record Base(String name, String commit) {
    /** Checks presence. */
    public Base {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(commit, "commit");
    }
  }

  /** One sync, in its worktree. */
  private final class Run {
    private final Task task;
    private final String branch;
    private final String baseName;
    private final String baseTip;
    private final String remote;
    private final Optional<String> remoteTip;
    private final boolean othersCommits;
    private final Path path;
    private final Git git;
    private final List<String> notes = new ArrayList<>();
    private ConflictResolver.Turn spent =
        new ConflictResolver.Turn(Optional.empty(), Usage.NONE, Duration.ZERO);

    Run(
        Task task,
        String branch,
        String baseName,
        String baseTip,
        String remote,
        Optional<String> remoteTip,
        boolean othersCommits,
        Path path) {
      this.task = task;
      this.branch = branch;
      this.baseName = baseName;
      this.baseTip = baseTip;
      this.remote = remote;
      this.remoteTip = remoteTip;
      this.othersCommits = othersCommits;
      this.path = path;
      this.git = new Git(path);
    }

    SyncResult call() {
      if (remoteTip.isPresent() && !isAncestor(remoteTip.get(), head())) {
        // Someone pushed to the branch: their commits come first, and are never rewritten.
        if (isAncestor(head(), remoteTip.get())) {
          git.check("merge", "--quiet", "--ff-only", remoteTip.get());
          notes.add("took in the commits pushed to " + remote + "/" + branch);
        } else {
          Optional<SyncResult> stuck = merge(remoteTip.get(), remote + "/" + branch);
          if (stuck.isPresent()) {
            return stuck.get();
          }
        }
      }
      String before = head();
      if (isAncestor(baseTip, before)) {
        // Pushes only what a merge of someone's diverged commits added.
        return result(SyncOutcome.UP_TO_DATE, List.of(), push(false));
      }
      List<String> conflicts = probe.conflicts(before, baseTip);
      boolean rebase =
          config.conflicts().strategy() == ConflictSettings.Strategy.REBASE
              && !othersCommits
              && conflicts.isEmpty();
      SyncOutcome outcome;
      if (rebase && git.run(identity("rebase", "--quiet", baseTip)).succeeded()) {
        outcome = SyncOutcome.REBASED;
        notes.add("rebased onto " + baseName + " " + shortSha(baseTip));
      } else {
        if (rebase) {
          // A commit on the way conflicts even though the end result would not: merge instead.
          git.run("rebase", "--abort");
        }
        if (othersCommits && config.conflicts().strategy() == ConflictSettings.Strategy.REBASE) {
          notes.add("merged rather than rebased: the branch holds commits Overnight did not make");
        }
        Optional<SyncResult> stuck = merge(baseTip, baseName);
        if (stuck.isPresent()) {
          return stuck.get();
        }
        outcome = conflicts.isEmpty() ? SyncOutcome.MERGED : SyncOutcome.RESOLVED;
      }
      Optional<String> failing = gate.failure(path);
      if (failing.isPresent()) {
        notes.add("the gate failed with the base taken in; the agent got one turn to fix it");
        Optional<String> turn = turn(ConflictPrompt.gateFails(baseName, failing.get()));
        commitLeftovers("Fix the build with " + baseName + " taken in");
        failing = turn.isPresent() ? failing : gate.failure(path);
        if (failing.isPresent()) {
          resetTo(before);
          return needsHuman(
              conflicts,
              "the quality gate fails with "
                  + baseName
                  + " taken in"
                  + turn.map(t -> " and the agent's turn did not end: " + t).orElse("")
                  + "\n"
                  + failing.get());
        }
      }
      return result(outcome, conflicts, push(outcome == SyncOutcome.REBASED));
    }

    /**
     * Merges {@code ref} into the branch; a conflict goes to the agent. Empty when the merge is
     * committed, else the result that hands the branch to a human.
     */
    private Optional<SyncResult> merge(String ref, String name) {
      String before = head();
      CommandResult merged =
          git.run(identity("merge", "--no-edit", "--no-verify", "-m", "Merge " + name, ref));
      if (merged.succeeded()) {
        notes.add("merged " + name + " " + shortSha(ref));
        return Optional.empty();
      }
      List<String> files = unmerged();
      if (files.isEmpty()) {
        git.run("merge", "--abort");
        throw new GitException("git merge " + name + " failed: " + merged.tail(5));
      }
      LOG.info(
          "Task {}: merging {} into {} conflicts in {}; asking the agent",
          task.id().shortId(),
          name,
          branch,
          files);
      Optional<String> turn = turn(ConflictPrompt.resolve(branch, name, ref, path, files));
      List<String> left =
          files.stream().filter(f -> ConflictPrompt.hasMarkers(path.resolve(f))).toList();
      if (turn.isPresent() || !left.isEmpty()) {
        resetTo(before);
        return Optional.of(
            needsHuman(
                files,
                turn.map(t -> "the agent could not resolve the conflict: " + t)
                    .orElse("the agent left conflict markers in " + String.join(", ", left))));
      }
      git.check("add", "-A");
      if (git.run("rev-parse", "-q", "--verify", "MERGE_HEAD").succeeded()) {
        git.check(identity("commit", "--no-edit", "--no-verify"));
      }
      if (!isAncestor(ref, head())) {
        resetTo(before);
        return Optional.of(needsHuman(files, "the agent's turn undid the merge of " + name));
      }
      notes.add("the agent resolved the conflict with " + name + " in " + String.join(", ", files));
      return Optional.empty();
    }

    /** One turn of the agent, its spending added to the sync's; why it did not end, if not. */
    private Optional<String> turn(String prompt) {
      ConflictResolver.Turn t = resolver.turn(task, path, prompt);
      spent = spent.plus(t);
      return t.failure();
    }

    private List<String> unmerged() {
      return git.check("diff", "--name-only", "--diff-filter=U").lines().sorted().toList();
    }

    private void commitLeftovers(String subject) {
      if (git.isDirty()) {
        git.check("add", "-A");
        git.check(identity("commit", "--quiet", "--no-verify", "-m", subject));
      }
    }

    /** Puts the branch back where it was before the step that could not finish. */
    private void resetTo(String commit) {
      git.run("merge", "--abort");
      git.run("rebase", "--abort");
      git.check("reset", "--quiet", "--hard", commit);
      git.run("clean", "-fdq");
    }

    private boolean push(boolean rebased) {
      if (remoteTip.isEmpty() || !config.prAutomation().push()) {
        return false; // Not published yet: the publisher pushes it with the pull request.
      }
      if (remoteTip.get().equals(head())) {
        return false;
      }
      List<String> args = new ArrayList<>(List.of("push", "--quiet", "--no-verify"));
      if (rebased) {
        args.add("--force-with-lease=refs/heads/" + branch + ":" + remoteTip.get());
      }
      args.addAll(List.of(remote, "HEAD:refs/heads/" + branch));
      CommandResult r = git.run(args.toArray(String[]::new));
      if (!r.succeeded()) {
        notes.add("push rejected: " + r.tail(3).replace('\n', ' ').trim());
        LOG.warn("Task {}: could not push {}: {}", task.id().shortId(), branch, r.describe());
      }
      return r.succeeded();
    }

    private SyncResult needsHuman(List<String> files, String why) {
      notes.add(why);
      SyncResult r = result(SyncOutcome.NEEDS_RESOLUTION, files, false);
      LOG.warn("Task {}: {} needs a human: {}", task.id().shortId(), branch, why);
      try {
        needsHuman.accept(task, r);
      } catch (RuntimeException e) {
        LOG.warn("Could not tell anyone that {} needs a human: {}", branch, e.toString());
      }
      return r;
    }

    private SyncResult result(SyncOutcome outcome, List<String> files, boolean pushed) {
      return new SyncResult(
          outcome,
          branch,
          head(),
          baseTip,
          files,
          pushed,
          String.join("; ", notes),
          spent.usage(),
          spent.agentTime());
    }

    private String head() {
      return git.revParse("HEAD");
    }

    private String[] identity(String... args) {
      List<String> all = new ArrayList<>();
      if (!git.hasIdentity()) {
        all.addAll(List.of("-c", "user.name=Overnight", "-c", "user.email=overnight@localhost"));
      }
      all.addAll(List.of(args));
      return all.toArray(String[]::new);
    }
  }

  private boolean isAncestor(String ancestor, String descendant) {
    return repository.run("merge-base", "--is-ancestor", ancestor, descendant).succeeded();
  }

  /** The remote's default branch, as its {@code HEAD} says; {@code main} when it says nothing. */
  private String remoteHead(String remote) {
    CommandResult r = repository.run("ls-remote", "--symref", remote, "HEAD");
    return r.stdout()
        .lines()
        .filter(l -> l.startsWith("ref: refs/heads/"))
        .map(l -> l.substring("ref: refs/heads/".length()).split("\\s")[0])
        .findFirst()
        .orElse("main");
  }

  private void discard(Path path) {
    if (Files.exists(path)) {
      repository.run("worktree", "remove", "--force", path.toString());
    }
    repository.run("worktree", "prune");
  }

  private static String shortSha(String sha) {
    return sha.substring(0, Math.min(12, sha.length()));
  }

  /**
   * The quality gate a sync runs once the base is in.
   *
   * @since 0.1.0
   */
  @FunctionalInterface
  public interface Gate {
    /** Why the gate fails in {@code worktree} (the command and its output's end), or empty. */
    Optional<String> failure(Path worktree);

    /** No gate: every sync passes. */
    static Gate none() {
      return worktree -> Optional.empty();
    }

    /** The configured verify command, when there is one, run with its timeout. */
    static Gate of(QualityGate settings) {
      if (settings.verifyCommand().isEmpty()) {
        return none();
      }
      String command = settings.verifyCommand().get();
      return worktree -> {
        CommandResult r =
            CommandRunner.system()
                .run(
                    List.of("sh", "-c", command),
                    worktree,
                    Map.of(),
                    Duration.ofSeconds(settings.timeoutSec()));
        return r.succeeded()
            ? Optional.empty()
            : Optional.of("`" + command + "` " + r.describe() + "\n" + r.tail(60));
      };
    }
  }

  /**
   * Builds a {@link BaseSync}. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final OrchestrationConfig config;
    private Path scratchRoot;
    private ConflictResolver resolver = ConflictResolver.none();
    private Optional<Gate> gate = Optional.empty();
    private boolean trialMerge;
    private BiConsumer<Task, SyncResult> needsHuman = (task, result) -> {};

    private Builder(OrchestrationConfig config) {
      this.config = Objects.requireNonNull(config, "config");
    }

    /** The folder the sync's worktrees go in (required), e.g. the state folder's worktrees. */
    public Builder scratchRoot(Path value) {
      scratchRoot = Objects.requireNonNull(value, "scratchRoot");
      return this;
    }

    /** Who resolves a conflict or fixes the gate: the task's agent; by default nobody. */
    public Builder resolver(ConflictResolver value) {
      resolver = Objects.requireNonNull(value, "resolver");
      return this;
    }

    /** The gate run once the base is in; by default the config's {@code quality_gate}. */
    public Builder gate(Gate value) {
      gate = Optional.of(value);
      return this;
    }

    /** Always try merges in a scratch worktree, as on git before 2.38. */
    public Builder trialMerge(boolean value) {
      trialMerge = value;
      return this;
    }

    /**
     * Called when a branch needs a human (e.g. {@code Notifications#conflictUnresolved}); its
     * failure is logged, never thrown.
     */
    public Builder onNeedsHuman(BiConsumer<Task, SyncResult> value) {
      needsHuman = Objects.requireNonNull(value, "needsHuman");
      return this;
    }

    /**
     * Builds the sync.
     *
     * @throws NullPointerException if no scratch root was set
     */
    public BaseSync build() {
      return new BaseSync(this);
    }
  }
}
