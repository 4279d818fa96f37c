package dev.overnight.core.decision;

import dev.overnight.api.decision.CandidateKind;
import dev.overnight.api.decision.DecisionUsage;
import dev.overnight.api.decision.PipelineProposal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the planning agent answered and what became of it: the tasks kept after validation, ranked,
 * each task dropped with its reason, and, when the plan could not be used at all, why the evidence
 * engine's plan was used instead. {@code overnight plan --explain} shows it next to the evidence
 * engine's choice.
 *
 * @param agent the agent that planned
 * @param fallbackReason why the plan was not used, e.g. {@code "the answer is not JSON"} or {@code
 *     "no answer within 5 min"}; empty when it was
 * @param tasks the tasks kept, best first
 * @param dropped the tasks that failed validation, each with its reason
 * @param usage what the planning run used (zero when the plan came from the cache)
 * @param promptBytes the size of the prompt sent, in UTF-8 bytes
 * @param cached whether the plan was made earlier for the same HEAD and inputs
 * @since 0.1.0
 */
public record AgentPlan(
    String agent,
    Optional<String> fallbackReason,
    List<PlannedTask> tasks,
    List<DroppedTask> dropped,
    DecisionUsage usage,
    long promptBytes,
    boolean cached) {

  /** Validates and copies the components. */
  public AgentPlan {
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(fallbackReason, "fallbackReason");
    tasks = List.copyOf(tasks);
    dropped = List.copyOf(dropped);
    Objects.requireNonNull(usage, "usage");
  }

  /** Whether the agent's plan is used (rather than the evidence engine's). */
  public boolean used() {
    return fallbackReason.isEmpty();
  }

  /** This plan as served again from the cache: the same tasks, nothing spent. */
  AgentPlan fromCache() {
    return new AgentPlan(
        agent, fallbackReason, tasks, dropped, DecisionUsage.NONE, promptBytes, true);
  }

  /** This plan with more tasks dropped. */
  AgentPlan droppingAlso(List<DroppedTask> more) {
    if (more.isEmpty()) {
      return this;
    }
    List<DroppedTask> all = new java.util.ArrayList<>(dropped);
    all.addAll(more);
    return new AgentPlan(agent, fallbackReason, tasks, all, usage, promptBytes, cached);
  }

  /** The same plan, not used, because {@code reason}. */
  AgentPlan fallingBack(String reason) {
    return new AgentPlan(agent, Optional.of(reason), tasks, dropped, usage, promptBytes, cached);
  }

  /**
   * One task of the plan, as the agent answered it (plan-answer.schema.json).
   *
   * @param rank its place in the agent's answer, from 1
   * @param kind what it asks for
   * @param files the files it is about, most important first
   * @param title one line
   * @param prompt the instructions for the working agent
   * @param acceptanceCheck how the result can be judged done
   * @param rationale why, citing the evidence
   * @param expectedSize {@code small}, {@code medium} or {@code large}
   * @param pipeline the pipeline the agent proposes to run for it, checked before it is kept
   */
  public record PlannedTask(
      int rank,
      CandidateKind kind,
      List<String> files,
      String title,
      String prompt,
      String acceptanceCheck,
      String rationale,
      String expectedSize,
      Optional<PipelineProposal> pipeline) {
    /** Validates and copies the components. */
    public PlannedTask {
      Objects.requireNonNull(kind, "kind");
      files = List.copyOf(files);
      Objects.requireNonNull(title, "title");
      Objects.requireNonNull(prompt, "prompt");
      Objects.requireNonNull(acceptanceCheck, "acceptanceCheck");
      Objects.requireNonNull(rationale, "rationale");
      Objects.requireNonNull(expectedSize, "expectedSize");
      Objects.requireNonNull(pipeline, "pipeline");
    }

    /** A planned task whose work is one agent prompt. */
    public PlannedTask(
        int rank,
        CandidateKind kind,
        List<String> files,
        String title,
        String prompt,
        String acceptanceCheck,
        String rationale,
        String expectedSize) {
      this(
          rank,
          kind,
          files,
          title,
          prompt,
          acceptanceCheck,
          rationale,
          expectedSize,
          Optional.empty());
    }
  }

  /**
   * A task of the answer that was not kept.
   *
   * @param rank its place in the agent's answer, from 1
   * @param title its title, or {@code "(untitled)"}
   * @param reason why it was dropped, e.g. {@code "src/Gone.java does not exist"}
   */
  public record DroppedTask(int rank, String title, String reason) {
    /** Validates the components. */
    public DroppedTask {
      Objects.requireNonNull(title, "title");
      Objects.requireNonNull(reason, "reason");
    }
  }
}
