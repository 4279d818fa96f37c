package dev.overnight.core.coordinator;

import java.util.Optional;

/**
 * Counters of a coordinator since it was created.
 *
 * @param cyclesRun cycles run
 * @param tasksExecuted tasks started with an agent
 * @param tasksCompleted tasks completed
 * @param tasksFailed tasks failed for good
 * @param tasksRetried attempts that failed and sent their task back to pending
 * @param tasksReleased tasks given back without counting the attempt (usage limits, no agent)
 * @param tasksCancelled tasks cancelled while running
 * @param decisions decisions made
 * @param agentSeconds wall-clock seconds agents ran
 * @param tokens tokens agents reported
 * @param costUsd cost agents reported, if any did
 * @since 0.1.0
 */
public record CoordinatorMetrics(
    long cyclesRun,
    long tasksExecuted,
    long tasksCompleted,
    long tasksFailed,
    long tasksRetried,
    long tasksReleased,
    long tasksCancelled,
    long decisions,
    long agentSeconds,
    long tokens,
    Optional<Double> costUsd) {}
