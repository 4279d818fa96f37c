package dev.overnight.api.queue;

import java.util.Set;

/**
 * The facts Overnight records on a task's metadata, typed: what the decision engine chose it for,
 * where it ran, what it cost and what became of its branch. Read them with {@code
 * TaskFacts.BRANCH.from(task)}; everything else in the metadata is the user's own.
 *
 * @since 0.1.0
 */
public final class TaskFacts {
  // Decided: why the task exists.

  /** The heuristic that proposed the task, e.g. {@code tests}. */
  public static final TaskFact<String> DECISION_PATH = TaskFact.text("decision_path");

  /** The decision's rationale, in words. */
  public static final TaskFact<String> RATIONALE = TaskFact.text("rationale");

  /** The file the task is about. */
  public static final TaskFact<String> TARGET_FILE = TaskFact.text("target_file");

  /** The most-touched file when the task was decided. */
  public static final TaskFact<String> TOP_FILE = TaskFact.text("top_file");

  /** How often that file was touched over the lookback. */
  public static final TaskFact<Long> FILE_TOUCHES = TaskFact.count("file_touches");

  /** The id of the configuration that decided the task. */
  public static final TaskFact<String> CONFIG_ID = TaskFact.text("config_id");

  /** A hash of the goals the task was decided under. */
  public static final TaskFact<String> GOALS_HASH = TaskFact.text("goals_hash");

  /**
   * What the task's candidate asked for ({@code CandidateKind#key()}, e.g. {@code
   * regression_test}), when an evidence-based engine decided it.
   */
  public static final TaskFact<String> CANDIDATE_KIND = TaskFact.text("candidate_kind");

  /** The candidate source that found the task, e.g. {@code todo}. */
  public static final TaskFact<String> CANDIDATE_SOURCE = TaskFact.text("candidate_source");

  // Where it may run.

  /**
   * The labels a worker must carry to claim the task (see {@link dev.overnight.api.fleet.Labels}),
   * e.g. its repository's {@code repo:github.com/acme/shop}, or {@code worker:<id>} for one
   * machine. Absent or empty: any worker may run it. The stores copy it into a column at enqueue,
   * so claims filter on it.
   */
  public static final TaskFact<Set<String>> REQUIRED_LABELS = TaskFact.labels("required_labels");

  /** How the result can be judged done, as the planning agent put it. */
  public static final TaskFact<String> ACCEPTANCE_CHECK = TaskFact.text("acceptance_check");

  /**
   * How large a change the planning agent expected: {@code small}, {@code medium}, {@code large}.
   */
  public static final TaskFact<String> EXPECTED_SIZE = TaskFact.text("expected_size");

  /** The agent that planned the task, when an agent-backed engine decided it. */
  public static final TaskFact<String> PLANNED_BY = TaskFact.text("planned_by");

  // Reviewed: what the reviewing agent judged ({@code review.enabled}).

  /**
   * The reviewer's verdict on the result: {@code done}, {@code partial}, {@code did_nothing} or
   * {@code harmful}; or {@code unreviewed} when no verdict could be had (the reasons say why).
   */
  public static final TaskFact<String> REVIEW_VERDICT = TaskFact.text("review_verdict");

  /** The reviewer's reasons, one a line. */
  public static final TaskFact<String> REVIEW_REASONS = TaskFact.text("review_reasons");

  // Ran: where and with whom.

  /** The agent that worked on it. */
  public static final TaskFact<String> AGENT = TaskFact.text("agent");

  /** The task's branch. */
  public static final TaskFact<String> BRANCH = TaskFact.text("branch");

  /** The task's worktree folder. */
  public static final TaskFact<String> WORKTREE = TaskFact.text("worktree");

  /** The agent session of the last attempt. */
  public static final TaskFact<String> SESSION_ID = TaskFact.text("session_id");

  /** The quality gate's result, in words. */
  public static final TaskFact<String> GATE = TaskFact.text("gate");

  /**
   * What the agent itself said when it last failed to start: its error (a JSON-RPC error, an exit
   * code) and the last lines it wrote on stderr.
   */
  public static final TaskFact<String> AGENT_ERROR = TaskFact.text("agent_error");

  /**
   * What the permission policy refused the agent in an attempt that did not finish the task: the
   * first refusal's reason, e.g. {@code /etc/hosts is outside the worktree}. A human decides
   * whether the policy or the task should change.
   */
  public static final TaskFact<String> REFUSED_PERMISSION = TaskFact.text("refused_permission");

  // Done: what the agent changed and said, for the morning report.

  /** Files the task's branch changed, beyond its base. */
  public static final TaskFact<Long> FILES_CHANGED = TaskFact.count("files_changed");

  /** Lines the task's branch added. */
  public static final TaskFact<Long> INSERTIONS = TaskFact.count("insertions");

  /** Lines the task's branch removed. */
  public static final TaskFact<Long> DELETIONS = TaskFact.count("deletions");

  /** The files the task's branch changed, one path a line (at most the first 50). */
  public static final TaskFact<String> CHANGED_FILES = TaskFact.text("changed_files");

  /** The agent's final message: what it said after its last action (at most 2,000 characters). */
  public static final TaskFact<String> FINAL_MESSAGE = TaskFact.text("final_message");

  /** The last lines of the quality gate's output. */
  public static final TaskFact<String> GATE_OUTPUT = TaskFact.text("gate_output");

  /**
   * Why the work does not look like what the task's kind asks, when it does not: an empty diff, a
   * tests task that changed no test file.
   */
  public static final TaskFact<String> KIND_MISMATCH = TaskFact.text("kind_mismatch");

  /**
   * Why a completed task is judged to have changed nothing, from the evidence rather than the
   * agent's exit: the diff, and the turns, tool calls and refused permission requests behind it.
   * Present only on a task completed with no change.
   */
  public static final TaskFact<String> NO_CHANGE = TaskFact.text("no_change");

  /** How many prompt turns the last attempt took. */
  public static final TaskFact<Long> TURNS = TaskFact.count("turns");

  /** How many tool calls the agent made in the last attempt. */
  public static final TaskFact<Long> TOOL_CALLS = TaskFact.count("tool_calls");

  /** How many of the agent's permission requests the last attempt refused. */
  public static final TaskFact<Long> PERMISSIONS_REFUSED = TaskFact.count("permissions_refused");

  // Spent.

  /** Seconds the agent worked in the last attempt. */
  public static final TaskFact<Long> AGENT_SECONDS = TaskFact.count("agent_seconds");

  /** Tokens the agent used in the last attempt. */
  public static final TaskFact<Long> TOKENS = TaskFact.count("tokens");

  /** What the last attempt cost, in US dollars. */
  public static final TaskFact<Double> COST_USD = TaskFact.dollars("cost_usd");

  // Published: what became of the branch.

  /** Commits on the branch beyond its base. */
  public static final TaskFact<Long> COMMITS = TaskFact.count("commits");

  /** The branch's head commit. */
  public static final TaskFact<String> HEAD = TaskFact.text("head");

  /** Whether the branch was pushed. */
  public static final TaskFact<Boolean> PUSHED = TaskFact.flag("pushed");

  /** Why the branch was not pushed, or what the remote said. */
  public static final TaskFact<String> PUSH_NOTE = TaskFact.text("push_note");

  /** The pull request opened for the task. */
  public static final TaskFact<String> PR_URL = TaskFact.text("pr_url");

  /** Why no pull request was opened. */
  public static final TaskFact<String> PR_NOTE = TaskFact.text("pr_note");

  // Pipelines: a task that runs a manifest's steps instead of one prompt.

  /**
   * The pipeline manifest the task runs, as its reference: {@code builtin:NAME} or a file path. A
   * task with this fact is a pipeline.
   */
  public static final TaskFact<String> PIPELINE = TaskFact.text("pipeline");

  /** The SHA-256 of the manifest's content when it was accepted; a changed manifest is refused. */
  public static final TaskFact<String> PIPELINE_HASH = TaskFact.text("pipeline_hash");

  /** The pipeline's inputs, as a JSON object of strings. */
  public static final TaskFact<String> PIPELINE_INPUTS = TaskFact.text("pipeline_inputs");

  /**
   * Each finished step's outcome, as a JSON object by step id: {@code status}, {@code summary},
   * {@code outputs}, {@code attempts}; recorded before the next step starts.
   */
  public static final TaskFact<String> PIPELINE_STEPS = TaskFact.text("pipeline_steps");

  /** The step running now, or the one that was running when the pipeline stopped. */
  public static final TaskFact<String> PIPELINE_STEP = TaskFact.text("pipeline_step");

  /**
   * The side effects already done, as a JSON object by idempotency key of their outcomes, so a
   * resumed pipeline never repeats one.
   */
  public static final TaskFact<String> PIPELINE_EFFECTS = TaskFact.text("pipeline_effects");

  // Follow-ups: turns that answer what the checks and reviewers of a task's pull request asked.

  /**
   * The id of the task whose pull request this task follows up, on that task's branch. A task with
   * this fact is a follow-up.
   */
  public static final TaskFact<String> FOLLOW_UP_OF = TaskFact.text("follow_up_of");

  /**
   * What a follow-up answers, one key a line ({@code check:NAME@SHA}, {@code status:CONTEXT@SHA},
   * {@code review:ID}): recorded when it is queued, so the same failure is never answered twice.
   */
  public static final TaskFact<String> FOLLOW_UP_ANSWERS = TaskFact.text("follow_up_answers");

  /** What a follow-up answers, in words, e.g. {@code the failing check build}. */
  public static final TaskFact<String> FOLLOW_UP_ANSWERING = TaskFact.text("follow_up_answering");

  /** The pull request's head commit when the follow-up was queued. */
  public static final TaskFact<String> FOLLOW_UP_FROM = TaskFact.text("follow_up_from");

  /**
   * Where the task's pull request stands, as last read from the forge: {@code open}, {@code
   * checks_failing}, {@code changes_requested}, {@code merged} or {@code closed}. Merged or closed
   * ends the task's follow-ups. Noted on the finished task ({@link TaskQueue#note}).
   */
  public static final TaskFact<String> PR_STATE = TaskFact.text("pr_state");

  // From an issue: the GitHub issue a task was queued for ({@code issues.enabled}).

  /**
   * The issue the task resolves, as {@code owner/repo#N}: its pull request says it fixes the issue,
   * and the issue gets one comment with the outcome.
   */
  public static final TaskFact<String> ISSUE = TaskFact.text("issue");

  /** The issue's number in its repository, as {@code #N} names it. */
  public static final TaskFact<Long> ISSUE_NUMBER = TaskFact.count("issue_number");

  /** The issue's page. */
  public static final TaskFact<String> ISSUE_URL = TaskFact.text("issue_url");

  // Conflicts: keeping the branch mergeable with its base and apart from overlapping tasks.

  /**
   * What the last sync with the base did to the branch: {@code up_to_date}, {@code rebased}, {@code
   * merged}, {@code resolved} (the agent resolved a conflict) or {@code needs_resolution}.
   */
  public static final TaskFact<String> BASE_SYNC = TaskFact.text("base_sync");

  /** The files that conflicted with the base at the last sync, one a line. */
  public static final TaskFact<String> CONFLICT_FILES = TaskFact.text("conflict_files");

  /**
   * The syncs with the base that changed the branch or needed a human, oldest first, one a line:
   * when, the outcome ({@link #BASE_SYNC}), the base branch and the base commit, separated by
   * spaces. They count as follow-ups on the pull request, and a base commit already tried is not
   * tried again.
   */
  public static final TaskFact<String> BASE_SYNCS = TaskFact.text("base_syncs");

  /**
   * The files the task is predicted to touch (its target files and those that change with them),
   * one a line.
   */
  public static final TaskFact<String> PREDICTED_FILES = TaskFact.text("predicted_files");

  /** The task whose predicted files overlap this one's, which it waits for or stacks on. */
  public static final TaskFact<String> OVERLAPS_TASK = TaskFact.text("overlaps_task");

  /** The branch this task started from instead of the base: the overlapping task's. */
  public static final TaskFact<String> STACKED_ON = TaskFact.text("stacked_on");

  /**
   * Why a task meant to stack on another ({@link #STACKED_ON}) started from the base instead, its
   * pull request based on the base too: the task it was to stack on failed or was cancelled.
   */
  public static final TaskFact<String> STACK_DROPPED = TaskFact.text("stack_dropped");

  private TaskFacts() {}
}
