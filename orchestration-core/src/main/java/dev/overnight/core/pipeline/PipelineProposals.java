package dev.overnight.core.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.api.config.ConfigException;
import dev.overnight.api.config.ConfigProblem;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.decision.PipelineProposal;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.core.json.OvernightJson;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Checks a pipeline a decision engine proposes and makes the facts of the task that runs it. An
 * engine's proposal is held to more than a user's {@code pipeline run}: nobody looks at it before
 * it is queued, so only a manifest Overnight ships may be proposed (a manifest file in the
 * repository could have been written by anyone who can push to it), its inputs must be exactly the
 * manifest's, and the manifest must stay within the local config's {@link TrustBoundary}. The task
 * carries the manifest's hash, so the run refuses it if the manifest changed meanwhile.
 *
 * <p>Stateless and thread-safe; reads the built-in manifests from the class path.
 *
 * @since 0.1.0
 */
public final class PipelineProposals {
  private PipelineProposals() {}

  /** What a proposal came to: a pipeline ready to queue, or the reasons it may not run. */
  public sealed interface Outcome permits Accepted, Refused {}

  /**
   * A proposal that may be queued.
   *
   * @param reference the manifest's reference, {@code builtin:NAME}
   * @param manifest the manifest
   * @param inputs the inputs, defaults filled in, in the manifest's order
   * @param prompt the task's prompt: the pipeline's name, description and inputs (the same work
   *     always reads the same, so a finished pipeline is recognised by its op hash)
   * @param facts the task's pipeline facts ({@link TaskFacts#PIPELINE}, {@link
   *     TaskFacts#PIPELINE_HASH}, {@link TaskFacts#PIPELINE_INPUTS})
   */
  public record Accepted(
      String reference,
      PipelineManifest manifest,
      Map<String, String> inputs,
      String prompt,
      Map<String, String> facts)
      implements Outcome {
    /** Copies the components. */
    public Accepted {
      Objects.requireNonNull(reference, "reference");
      Objects.requireNonNull(manifest, "manifest");
      inputs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
      Objects.requireNonNull(prompt, "prompt");
      facts = Map.copyOf(facts);
    }

    /** The steps as one line each: {@code id (op[, when CONDITION])}. */
    public List<String> stepLines() {
      return PipelineProposals.stepLines(manifest);
    }
  }

  /** The steps of {@code manifest} as one line each: {@code id (op[, when CONDITION])}. */
  public static List<String> stepLines(PipelineManifest manifest) {
    return manifest.steps().stream()
        .map(
            s ->
                s.id()
                    + " ("
                    + s.op()
                    + s.when()
                        .map(
                            c ->
                                ", when "
                                    + (c.negated() ? "not " : "")
                                    + c.step()
                                    + "."
                                    + c.status().name().toLowerCase(java.util.Locale.ROOT))
                        .orElse("")
                    + ")")
        .toList();
  }

  /** The manifest a pipeline task's reference names, when it is one Overnight ships. */
  public static Optional<PipelineManifest> builtIn(String reference) {
    if (PipelineCatalog.builtInText(reference).isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Pipelines.builtIn(Path.of(".")).catalog().load(reference));
    } catch (ConfigException e) {
      return Optional.empty();
    }
  }

  /**
   * A proposal that may not run.
   *
   * @param reason why, in one sentence, with every problem and its path
   */
  public record Refused(String reason) implements Outcome {
    /** Validates the component. */
    public Refused {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * Checks {@code proposal} against the built-in manifests and the boundary of {@code config} for a
   * runtime with {@code agents}.
   */
  public static Outcome check(
      PipelineProposal proposal, OrchestrationConfig config, Collection<String> agents) {
    String name = proposal.pipeline();
    if (name.startsWith(PipelineCatalog.PREFIX)) {
      name = name.substring(PipelineCatalog.PREFIX.length());
    }
    if (!PipelineCatalog.BUILT_IN.contains(name)) {
      return new Refused(
          "\""
              + proposal.pipeline()
              + "\" is not a pipeline Overnight ships ("
              + String.join(", ", PipelineCatalog.BUILT_IN)
              + "); a decision engine proposes no other");
    }
    String reference = PipelineCatalog.PREFIX + name;
    Pipelines pipelines = Pipelines.builtIn(Path.of("."));
    PipelineManifest manifest;
    Map<String, String> inputs;
    try {
      manifest = pipelines.catalog().load(reference);
      inputs = PipelineRunner.inputs(manifest, proposal.inputs());
    } catch (ConfigException e) {
      return new Refused(problems(e.problems()));
    }
    List<ConfigProblem> refusals = TrustBoundary.of(config, agents).refusals(manifest);
    if (!refusals.isEmpty()) {
      return new Refused("outside this config's trust boundary: " + problems(refusals));
    }
    ObjectNode json = OvernightJson.object();
    inputs.forEach(json::put);
    String inputsJson = OvernightJson.write(json);
    Map<String, String> facts = new LinkedHashMap<>();
    TaskFacts.PIPELINE.put(facts, reference);
    TaskFacts.PIPELINE_HASH.put(facts, manifest.hash());
    TaskFacts.PIPELINE_INPUTS.put(facts, inputsJson);
    return new Accepted(reference, manifest, inputs, prompt(manifest, inputs), facts);
  }

  /**
   * The prompt the task of {@code proposal} would have, whatever the boundary says; empty when the
   * proposal names no built-in manifest or its inputs do not fit.
   */
  public static Optional<String> promptOf(PipelineProposal proposal) {
    String name = proposal.pipeline().replaceFirst("^" + PipelineCatalog.PREFIX, "");
    if (!PipelineCatalog.BUILT_IN.contains(name)) {
      return Optional.empty();
    }
    try {
      PipelineManifest manifest =
          Pipelines.builtIn(Path.of(".")).catalog().load(PipelineCatalog.PREFIX + name);
      return Optional.of(prompt(manifest, PipelineRunner.inputs(manifest, proposal.inputs())));
    } catch (ConfigException e) {
      return Optional.empty();
    }
  }

  /** The prompt of a pipeline task, as {@link Pipelines#enqueue} writes it. */
  static String prompt(PipelineManifest manifest, Map<String, String> inputs) {
    StringBuilder prompt = new StringBuilder("Pipeline " + manifest.name());
    if (!manifest.description().isBlank()) {
      prompt.append(": ").append(manifest.description());
    }
    inputs.forEach((k, v) -> prompt.append("\n").append(k).append(" = ").append(v));
    return prompt.toString();
  }

  private static String problems(List<ConfigProblem> problems) {
    return problems.stream()
        .map(p -> (p.path().isEmpty() ? "" : p.path() + ": ") + p.message())
        .collect(Collectors.joining("; "));
  }
}
