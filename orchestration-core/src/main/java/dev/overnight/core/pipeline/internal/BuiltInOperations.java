package dev.overnight.core.pipeline.internal;

import dev.overnight.api.config.PermissionMode;
import dev.overnight.api.pipeline.OperationParameters;
import dev.overnight.api.pipeline.PipelineOperation;
import dev.overnight.api.pipeline.PipelineOperations;
import dev.overnight.api.pipeline.StepContext;
import dev.overnight.api.pipeline.StepResult;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The operations Overnight ships. Each is a thin, stateless adapter over a {@link StepContext}
 * service, so the policy checks (allowed agents and programs, permission modes, budgets) live in
 * one place, the context, and apply to embedders' operations alike.
 */
public final class BuiltInOperations {
  private BuiltInOperations() {}

  /** Every built-in operation. */
  public static List<PipelineOperation> all() {
    return List.of(
        new AgentTurn(),
        new Command(),
        new QualityGate(),
        new Review(),
        new OpenPullRequest(),
        new Notify(),
        new WaitForCi());
  }

  /** One agent turn: {@code agent}, {@code role}, {@code prompt}. */
  public static final class AgentTurn implements PipelineOperation {
    @Override
    public String name() {
      return PipelineOperations.AGENT_TURN;
    }

    @Override
    public OperationParameters parameters() {
      return new OperationParameters(Set.of("prompt"), Set.of("agent", "role"));
    }

    @Override
    public StepResult run(StepContext c) {
      String prompt = c.parameters().get("prompt");
      String withRole =
          c.parameter("role").map(r -> "Your role: " + r + ".\n\n" + prompt).orElse(prompt);
      // The highest mode asked for; the context lowers it to the config's and the step's.
      return c.agentTurn(c.parameter("agent"), withRole, PermissionMode.ALLOW_ALL);
    }
  }

  /** A program run in the worktree: {@code run}, {@code timeout_sec}. */
  public static final class Command implements PipelineOperation {
    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);

    @Override
    public String name() {
      return PipelineOperations.COMMAND;
    }

    @Override
    public OperationParameters parameters() {
      return new OperationParameters(Set.of("run"), Set.of("timeout_sec"));
    }

    @Override
    public StepResult run(StepContext c) {
      List<String> words;
      try {
        words = CommandLine.split(c.parameters().get("run"));
      } catch (IllegalArgumentException e) {
        return StepResult.failed("cannot read the command: " + e.getMessage());
      }
      if (words.isEmpty()) {
        return StepResult.failed("the command is empty");
      }
      Duration timeout;
      try {
        timeout =
            c.parameter("timeout_sec")
                .map(s -> Duration.ofSeconds(Long.parseLong(s.strip())))
                .orElse(DEFAULT_TIMEOUT);
      } catch (NumberFormatException e) {
        return StepResult.failed(
            "timeout_sec is not a number of seconds: " + c.parameter("timeout_sec").get());
      }
      return c.command(words, timeout);
    }
  }

  /** The config's quality gate. */
  public static final class QualityGate implements PipelineOperation {
    @Override
    public String name() {
      return PipelineOperations.QUALITY_GATE;
    }

    @Override
    public OperationParameters parameters() {
      return OperationParameters.none();
    }

    @Override
    public StepResult run(StepContext c) {
      return c.qualityGate();
    }
  }

  /**
   * A read-only turn reviewing the branch: {@code agent} (default: another agent than the one that
   * wrote, when there is one), {@code prompt}.
   */
  public static final class Review implements PipelineOperation {
    static final String DEFAULT_PROMPT =
        "Review the changes on this branch against its base commit, as a careful reviewer: list"
            + " each problem you find (bugs, missing tests, unclear code) with its file and line,"
            + " most important first. Change nothing. If there is nothing to fix, say LGTM.";

    @Override
    public String name() {
      return PipelineOperations.REVIEW;
    }

    @Override
    public OperationParameters parameters() {
      return new OperationParameters(Set.of(), Set.of("agent", "prompt"));
    }

    @Override
    public StepResult run(StepContext c) {
      StepResult r =
          c.agentTurn(
              c.parameter("agent"),
              c.parameter("prompt").orElse(DEFAULT_PROMPT),
              PermissionMode.READ_ONLY);
      return new StepResult(r.status(), r.summary(), withReview(r), r.usage());
    }

    private static java.util.Map<String, String> withReview(StepResult r) {
      java.util.Map<String, String> out = new java.util.LinkedHashMap<>(r.outputs());
      Optional.ofNullable(r.outputs().get("message")).ifPresent(m -> out.put("review", m));
      return out;
    }
  }

  /** Push the branch and open a pull request, once: {@code title}, {@code body}. */
  public static final class OpenPullRequest implements PipelineOperation {
    @Override
    public String name() {
      return PipelineOperations.OPEN_PR;
    }

    @Override
    public OperationParameters parameters() {
      return new OperationParameters(Set.of(), Set.of("title", "body"));
    }

    @Override
    public boolean hasSideEffects() {
      return true;
    }

    @Override
    public StepResult run(StepContext c) {
      String title = c.parameter("title").orElse("");
      String body = c.parameter("body").orElse("");
      return c.once("open_pr:" + c.stepId(), () -> c.openPullRequest(title, body));
    }
  }

  /** A message for whoever follows the night, once: {@code message}. */
  public static final class Notify implements PipelineOperation {
    @Override
    public String name() {
      return PipelineOperations.NOTIFY;
    }

    @Override
    public OperationParameters parameters() {
      return new OperationParameters(Set.of("message"), Set.of());
    }

    @Override
    public boolean hasSideEffects() {
      return true;
    }

    @Override
    public StepResult run(StepContext c) {
      return c.once("notify:" + c.stepId(), () -> c.notify(c.parameters().get("message")));
    }
  }

  /**
   * Waits for the checks of the branch's pull request: {@code timeout_sec} (default {@value
   * #DEFAULT_CI_TIMEOUT_SEC}), never past the step's time budget. Succeeds when they passed; fails
   * when one failed, with {@code failing_check} and {@code check_summary} for later steps, or when
   * the time ran out.
   */
  public static final class WaitForCi implements PipelineOperation {
    /** How long it waits unless told: half an hour, what most CI runs take at most. */
    public static final int DEFAULT_CI_TIMEOUT_SEC = 1800;

    @Override
    public String name() {
      return PipelineOperations.WAIT_FOR_CI;
    }

    @Override
    public OperationParameters parameters() {
      return new OperationParameters(Set.of(), Set.of("timeout_sec"));
    }

    @Override
    public StepResult run(StepContext c) {
      Optional<String> given = c.parameter("timeout_sec");
      long seconds;
      try {
        seconds =
            given.map(String::strip).map(Long::parseLong).orElse((long) DEFAULT_CI_TIMEOUT_SEC);
      } catch (NumberFormatException e) {
        return StepResult.failed("timeout_sec \"" + given.get() + "\" is not a number of seconds");
      }
      if (seconds < 1) {
        return StepResult.failed("timeout_sec must be at least 1, was " + seconds);
      }
      return c.waitForChecks(java.time.Duration.ofSeconds(seconds));
    }
  }
}
