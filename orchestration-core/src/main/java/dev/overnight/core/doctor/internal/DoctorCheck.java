package dev.overnight.core.doctor.internal;

/**
 * One diagnostic of {@code overnight doctor}: it examines one concern of the machine (constraint
 * checkers, keep-awake, agents, tools, the state folder, ...) and records that concern's section of
 * the report, with any problems and warnings, in {@link Findings}.
 *
 * <p>A check never throws for what it finds: a provider, command or file that fails is part of what
 * it records. It runs on the caller's thread and may block, but only within the time limits it
 * documents.
 */
@FunctionalInterface
public interface DoctorCheck {
  /** Examines the machine and records what was found in {@code findings}. */
  void run(Findings findings);
}
