package dev.overnight.api.config;

import java.util.List;
import java.util.Objects;

/**
 * What pipelines may do on this machine beyond what the rest of the config already allows.
 *
 * <p>A pipeline's command step runs a program without an agent asking first, so which programs may
 * run is the local user's choice alone: a manifest (which may come from anywhere) never widens it.
 * When the list is set it is the whole answer; when it is absent, the programs the config already
 * runs (the first word of {@code quality_gate.verify_command} and of {@code
 * worktree.setup_command}) are allowed, as before the key existed.
 *
 * @param allowedPrograms the programs command steps may run, by the name a manifest writes (e.g.
 *     {@code mvn}, {@code npm}); empty when the key is absent
 * @param allowedProgramsSet whether {@code pipelines.allowed_programs} was given (an empty list
 *     then allows no program at all)
 * @since 0.1.0
 */
public record PipelineSettings(List<String> allowedPrograms, boolean allowedProgramsSet) {
  /** Validates and copies the components. */
  public PipelineSettings {
    allowedPrograms = List.copyOf(allowedPrograms);
    for (String p : allowedPrograms) {
      Objects.requireNonNull(p, "allowedPrograms");
      if (p.isBlank()) {
        throw new IllegalArgumentException("an allowed program must not be blank");
      }
    }
  }

  /** No {@code pipelines} section: the programs the config already runs are allowed. */
  public static PipelineSettings defaults() {
    return new PipelineSettings(List.of(), false);
  }

  /** Exactly {@code programs} may run in command steps. */
  public static PipelineSettings allowing(List<String> programs) {
    return new PipelineSettings(programs, true);
  }
}
