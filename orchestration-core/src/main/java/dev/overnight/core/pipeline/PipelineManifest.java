package dev.overnight.core.pipeline;

import dev.overnight.api.config.PermissionMode;
import dev.overnight.api.config.SpendingLimit;
import dev.overnight.api.pipeline.StepStatus;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated pipeline manifest: its inputs, its steps in order, the budget and permissions it asks
 * for, and the SHA-256 of the text it was read from. Read by {@link PipelineLoader}; what it asks
 * for is checked against the local config by {@link TrustBoundary} before anything runs.
 *
 * @param name the pipeline's name, e.g. {@code upgrade-dependency}
 * @param description what it does, in words
 * @param inputs its inputs, in declaration order
 * @param permissions what it asks for (at most the config's policy)
 * @param budget what the whole pipeline may spend
 * @param steps its steps, run in order
 * @param hash the SHA-256 of the manifest's text, in hex: what a user accepts before the first run
 * @since 0.1.0
 */
public record PipelineManifest(
    String name,
    String description,
    List<Input> inputs,
    Permissions permissions,
    SpendingLimit budget,
    List<Step> steps,
    String hash) {

  /** Validates and copies. */
  public PipelineManifest {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    inputs = List.copyOf(inputs);
    Objects.requireNonNull(permissions, "permissions");
    Objects.requireNonNull(budget, "budget");
    steps = List.copyOf(steps);
    Objects.requireNonNull(hash, "hash");
  }

  /** The hash as users type it: its first 12 hex digits. */
  public String shortHash() {
    return hash.substring(0, 12);
  }

  /** The step with {@code id}, if any. */
  public Optional<Step> step(String id) {
    return steps.stream().filter(s -> s.id().equals(id)).findFirst();
  }

  /**
   * One declared input.
   *
   * @param name its name, used as {@code ${inputs.NAME}}
   * @param description what it is
   * @param required whether a run must give it (one with a default never must)
   * @param defaultValue its value when a run does not give one
   */
  public record Input(
      String name, String description, boolean required, Optional<String> defaultValue) {

    /** Validates. */
    public Input {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(description, "description");
      Objects.requireNonNull(defaultValue, "defaultValue");
    }
  }

  /**
   * What a pipeline or one step asks to be allowed.
   *
   * @param mode the agents' permission mode, when it asks for one
   * @param allowFetch whether agents may fetch from the web
   * @param allowNetwork whether commands and agents may use the network
   */
  public record Permissions(
      Optional<PermissionMode> mode, boolean allowFetch, boolean allowNetwork) {

    /** Validates. */
    public Permissions {
      Objects.requireNonNull(mode, "mode");
    }

    /** Asks for nothing beyond the config's defaults. */
    public static Permissions none() {
      return new Permissions(Optional.empty(), false, false);
    }
  }

  /**
   * One step.
   *
   * @param id its id, unique in the manifest; later steps read its outputs as {@code
   *     ${steps.ID.KEY}}
   * @param op the operation's name
   * @param with the operation's parameters, templates not yet filled in
   * @param when the condition on an earlier step's outcome, when it has one
   * @param retries how many times a failed step is tried again
   * @param budget what this step may spend
   * @param permissions what this step asks for
   * @param continueOnFailure whether the pipeline goes on after this step fails (later steps may
   *     ask for {@code ID.failed})
   */
  public record Step(
      String id,
      String op,
      Map<String, String> with,
      Optional<Condition> when,
      int retries,
      SpendingLimit budget,
      Permissions permissions,
      boolean continueOnFailure) {

    /** Validates and copies. */
    public Step {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(op, "op");
      with = Map.copyOf(with);
      Objects.requireNonNull(when, "when");
      Objects.requireNonNull(budget, "budget");
      Objects.requireNonNull(permissions, "permissions");
    }
  }

  /**
   * A condition on an earlier step's outcome: {@code build.failed}, {@code not review.succeeded}.
   *
   * @param step the earlier step's id
   * @param status the outcome asked about
   * @param negated whether the condition holds when the step did NOT end so
   */
  public record Condition(String step, StepStatus status, boolean negated) {

    /** Validates. */
    public Condition {
      Objects.requireNonNull(step, "step");
      Objects.requireNonNull(status, "status");
    }

    /** Whether it holds for the earlier step's outcome (absent: the step has not run). */
    public boolean holds(Optional<StepStatus> outcome) {
      boolean is = outcome.filter(s -> s == status).isPresent();
      return negated != is;
    }

    @Override
    public String toString() {
      return (negated ? "not " : "") + step + "." + status.wireName();
    }
  }
}
