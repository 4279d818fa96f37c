package dev.overnight.api.decision;

import java.util.Map;
import java.util.Objects;

/**
 * A pipeline a {@link Candidate} proposes to run instead of one agent prompt: the manifest by name
 * ({@code upgrade-dependency}, {@code add-tests}, or the name of a manifest the user already
 * accepted) and its inputs. The engine checks it like any manifest — it must be built in or
 * accepted, its inputs must be the manifest's, and it must stay within the local config's trust
 * boundary — before anything is queued; a proposal that fails is passed over with its reason.
 *
 * @param pipeline the manifest's name, e.g. {@code upgrade-dependency}
 * @param inputs the manifest's inputs by name, e.g. {@code dependency} and {@code version}
 * @since 0.1.0
 */
public record PipelineProposal(String pipeline, Map<String, String> inputs) {
  /** Validates and copies the components. */
  public PipelineProposal {
    Objects.requireNonNull(pipeline, "pipeline");
    if (pipeline.isBlank()) {
      throw new IllegalArgumentException("pipeline must not be blank");
    }
    inputs = Map.copyOf(inputs);
  }
}
