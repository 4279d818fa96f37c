package dev.overnight.fakes;

import dev.overnight.api.agent.AgentCrashedException;
import dev.overnight.api.agent.AgentException;
import dev.overnight.api.agent.AgentOutcome;
import dev.overnight.api.agent.ContentBlock;
import dev.overnight.api.agent.PermissionDecision;
import dev.overnight.api.agent.PermissionOption;
import dev.overnight.api.agent.PermissionRequest;
import dev.overnight.api.agent.PlanEntry;
import dev.overnight.api.agent.SessionUpdate;
import dev.overnight.api.agent.StopReason;
import dev.overnight.api.agent.ToolCallStatus;
import dev.overnight.api.agent.ToolKind;
import dev.overnight.api.agent.Usage;
import dev.overnight.api.agent.UsageLimitException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * What a {@link FakeAgent}'s session does with one prompt: its steps, played in order (files
 * written in the session's working folder, session updates published), then how the turn ends — a
 * stop reason with usage, a failure, or a hang until cancelled or closed.
 *
 * <pre>{@code
 * FakeTurn turn = FakeTurn.builder()
 *     .write("NOTES.md", "What I found.\n")
 *     .message("Wrote NOTES.md.")
 *     .usageUpdate(1200, 200_000, 0.02)
 *     .endTurn(new Usage(1000, 250, 0, 0, Optional.of(0.02)));
 * }</pre>
 *
 * <p>Steps run on the thread that calls {@link dev.overnight.api.agent.AgentSession#prompt}, before
 * it returns, so when a turn that does not hang has returned its future, its files are written and
 * its updates delivered. A step that fails (a path outside the working folder, an I/O error) ends
 * the turn with an {@link AgentException} saying which step. A cancel that arrives while steps run
 * ends the turn as cancelled, and the remaining steps are skipped.
 *
 * <p>Immutable and thread-safe: one turn may be played by many sessions at once.
 *
 * @since 0.1.0
 */
public final class FakeTurn {
  private final List<Step> steps;
  private final Ending ending;

  private FakeTurn(List<Step> steps, Ending ending) {
    this.steps = List.copyOf(steps);
    this.ending = ending;
  }

  /** Starts a turn with steps. */
  public static Builder builder() {
    return new Builder();
  }

  /** A turn that does nothing and ends with {@link StopReason#END_TURN}, reporting no usage. */
  public static FakeTurn endTurn() {
    return builder().endTurn();
  }

  /** A turn that does nothing and ends with {@link StopReason#END_TURN} and {@code usage}. */
  public static FakeTurn endTurn(Usage usage) {
    return builder().endTurn(usage);
  }

  /** A turn whose agent process dies: the prompt fails with {@link AgentCrashedException}. */
  public static FakeTurn crash(String message) {
    return builder().crash(message);
  }

  /** A turn refused for a usage limit that resets at {@code resetAt}. */
  public static FakeTurn usageLimit(String message, Instant resetAt) {
    return builder().usageLimit(message, resetAt);
  }

  /** A turn that hangs until it is cancelled or its session closed. */
  public static FakeTurn hang() {
    return builder().hang();
  }

  /** A turn that ignores cancellation and hangs until its session is closed (killed). */
  public static FakeTurn hangIgnoringCancel() {
    return builder().hangIgnoringCancel();
  }

  List<Step> steps() {
    return steps;
  }

  Ending ending() {
    return ending;
  }

  @Override
  public String toString() {
    return "FakeTurn[" + steps.size() + " steps, " + ending + "]";
  }

  /** One thing a turn does before it ends. */
  interface Step {
    void play(FakeSession session) throws IOException;

    /** What the step does, for the message of a step that fails. */
    String describe();
  }

  /** How a turn ends. */
  sealed interface Ending {}

  /** The turn ends with this outcome. */
  record Stop(AgentOutcome outcome) implements Ending {}

  /**
   * The prompt fails with a new exception from {@code failure}; {@code crash} also ends the agent
   * process.
   */
  record Fail(Supplier<AgentException> failure, boolean crash, String description)
      implements Ending {
    @Override
    public String toString() {
      return "Fail[" + description + "]";
    }
  }

  /** The turn hangs; {@code honoursCancel} says whether {@code cancel()} ends it. */
  record Hang(boolean honoursCancel) implements Ending {}

  /**
   * Builds a {@link FakeTurn}: step methods add steps, an ending method returns the turn. Not
   * thread-safe.
   */
  public static final class Builder {
    private final List<Step> steps = new ArrayList<>();

    private Builder() {}

    /**
     * Writes {@code content} to {@code path} (relative to the working folder), creating folders.
     */
    public Builder write(String path, String content) {
      Objects.requireNonNull(content, "content");
      return step(
          "write " + path,
          s -> {
            Path file = s.resolve(path);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
          });
    }

    /** Replaces the text of an existing file with what {@code change} makes of it. */
    public Builder modify(String path, UnaryOperator<String> change) {
      Objects.requireNonNull(change, "change");
      return step(
          "modify " + path,
          s -> {
            Path file = s.resolve(path);
            Files.writeString(file, change.apply(Files.readString(file)));
          });
    }

    /** Deletes a file of the working folder. */
    public Builder delete(String path) {
      return step("delete " + path, s -> Files.delete(s.resolve(path)));
    }

    /**
     * Does anything in the working folder, which {@code action} is given: what an agent's own tools
     * do, such as running {@code git commit}.
     */
    public Builder act(Consumer<Path> action) {
      Objects.requireNonNull(action, "action");
      return step("act", s -> action.accept(s.workingDirectory()));
    }

    /** Publishes a chunk of the agent's answer. */
    public Builder message(String text) {
      return update(new SessionUpdate.AgentMessageChunk(new ContentBlock.Text(text)));
    }

    /** Publishes a chunk of the agent's reasoning. */
    public Builder thought(String text) {
      return update(new SessionUpdate.AgentThoughtChunk(new ContentBlock.Text(text)));
    }

    /** Publishes a new tool call, in progress, touching {@code locations}. */
    public Builder toolCall(String toolCallId, String title, ToolKind kind, String... locations) {
      return update(
          new SessionUpdate.ToolCall(
              toolCallId,
              title,
              kind,
              Optional.of(ToolCallStatus.IN_PROGRESS),
              List.of(),
              List.of(locations),
              Optional.empty()));
    }

    /** Publishes a tool call's new status. */
    public Builder toolCallUpdate(String toolCallId, ToolCallStatus status) {
      return update(
          new SessionUpdate.ToolCallUpdate(
              toolCallId,
              Optional.empty(),
              Optional.of(status),
              Optional.empty(),
              Optional.empty(),
              Optional.empty()));
    }

    /**
     * Asks the session's permission policy, as an agent asks before a tool call, and publishes the
     * tool call only when it is allowed (a refused call never runs).
     */
    public Builder askPermission(
        String toolCallId, String title, ToolKind kind, String... locations) {
      return step(
          "ask permission for " + toolCallId,
          s -> {
            PermissionRequest request =
                new PermissionRequest(
                    s.sessionId(),
                    s.request().workingDirectory(),
                    toolCallId,
                    title,
                    kind,
                    List.of(locations),
                    Optional.empty(),
                    List.of(
                        new PermissionOption("allow", "Allow once", "allow_once"),
                        new PermissionOption("reject", "Reject once", "reject_once")));
            if (s.request().permissionPolicy().decide(request).allowed()) {
              s.publish(
                  new SessionUpdate.ToolCall(
                      toolCallId,
                      title,
                      kind,
                      Optional.of(ToolCallStatus.IN_PROGRESS),
                      List.of(),
                      List.of(locations),
                      Optional.empty()));
            }
          });
    }

    /**
     * Asks the session's permission policy for a {@code kind} tool call on {@code locations}, as an
     * agent does before it acts; the answer is kept in {@code answers} for the test to read.
     */
    public Builder askPermission(
        ToolKind kind, List<PermissionDecision> answers, String... locations) {
      Objects.requireNonNull(answers, "answers");
      return step(
          "ask permission for " + kind.wireName(),
          s ->
              answers.add(
                  s.request()
                      .permissionPolicy()
                      .decide(
                          new PermissionRequest(
                              s.sessionId(),
                              s.workingDirectory(),
                              "permission-" + answers.size(),
                              kind.wireName() + " " + String.join(" ", locations),
                              kind,
                              List.of(locations),
                              Optional.empty(),
                              List.of()))));
    }

    /** Publishes the agent's plan. */
    public Builder plan(PlanEntry... entries) {
      return update(new SessionUpdate.Plan(List.of(entries)));
    }

    /** Publishes context usage and the session's cumulative cost in US dollars. */
    public Builder usageUpdate(long used, long size, double costUsd) {
      return update(
          new SessionUpdate.UsageUpdate(used, size, Optional.of(costUsd), Optional.of("USD")));
    }

    /** Publishes any update. */
    public Builder update(SessionUpdate update) {
      Objects.requireNonNull(update, "update");
      return step("publish " + update.kind(), s -> s.publish(update));
    }

    private Builder step(String description, Action action) {
      steps.add(
          new Step() {
            @Override
            public void play(FakeSession session) throws IOException {
              action.play(session);
            }

            @Override
            public String describe() {
              return description;
            }
          });
      return this;
    }

    /** Ends the turn with {@code reason} and {@code usage}. */
    public FakeTurn end(StopReason reason, Usage usage) {
      return new FakeTurn(steps, new Stop(new AgentOutcome(reason, usage)));
    }

    /** Ends the turn with {@link StopReason#END_TURN}, reporting no usage. */
    public FakeTurn endTurn() {
      return end(StopReason.END_TURN, Usage.NONE);
    }

    /** Ends the turn with {@link StopReason#END_TURN} and {@code usage}. */
    public FakeTurn endTurn(Usage usage) {
      return end(StopReason.END_TURN, usage);
    }

    /**
     * The agent process dies: the prompt fails with {@link AgentCrashedException}, the session is
     * no longer alive and its update stream ends with that error.
     */
    public FakeTurn crash(String message) {
      Objects.requireNonNull(message, "message");
      return new FakeTurn(
          steps, new Fail(() -> new AgentCrashedException(message), true, "crash: " + message));
    }

    /** The prompt fails with a {@link UsageLimitException} that resets at {@code resetAt}. */
    public FakeTurn usageLimit(String message, Instant resetAt) {
      Objects.requireNonNull(resetAt, "resetAt");
      return usageLimit(message, Optional.of(resetAt));
    }

    /** The prompt fails with a {@link UsageLimitException} that does not say when it resets. */
    public FakeTurn usageLimit(String message) {
      return usageLimit(message, Optional.empty());
    }

    private FakeTurn usageLimit(String message, Optional<Instant> resetAt) {
      Objects.requireNonNull(message, "message");
      return new FakeTurn(
          steps,
          new Fail(
              () -> new UsageLimitException(message, resetAt), false, "usage limit: " + message));
    }

    /**
     * The prompt fails with a new exception from {@code failure} each time the turn is played (an
     * {@link dev.overnight.api.agent.AgentProtocolException}, say); the session stays alive.
     */
    public FakeTurn fail(Supplier<? extends AgentException> failure) {
      Objects.requireNonNull(failure, "failure");
      return new FakeTurn(steps, new Fail(failure::get, false, "failure"));
    }

    /**
     * The turn hangs: it ends as {@link StopReason#CANCELLED} when the session is cancelled, fails
     * when the session is closed, or ends as a test says through {@link FakeSession#finishTurn}.
     */
    public FakeTurn hang() {
      return new FakeTurn(steps, new Hang(true));
    }

    /**
     * The turn hangs and ignores {@code cancel()} (which is still recorded): only closing the
     * session (killing the agent) or {@link FakeSession#finishTurn} ends it.
     */
    public FakeTurn hangIgnoringCancel() {
      return new FakeTurn(steps, new Hang(false));
    }
  }

  @FunctionalInterface
  private interface Action {
    void play(FakeSession session) throws IOException;
  }
}
