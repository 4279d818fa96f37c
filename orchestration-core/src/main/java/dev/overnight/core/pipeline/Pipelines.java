package dev.overnight.core.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.api.config.ConfigProblem;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.notify.Notification;
import dev.overnight.api.pipeline.PipelineOperation;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.core.json.OvernightJson;
import dev.overnight.core.pipeline.internal.BuiltInOperations;
import dev.overnight.core.pr.ChecksLookup;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * What running pipelines needs, in one place: the operations, the catalog manifests are read from,
 * and the programs the local user allows beyond the config's. Makes the task a pipeline runs as
 * ({@link #enqueue}) and checks it again when it runs.
 *
 * <p>A pipeline is a task like any other: it waits in the queue, is claimed and retried like one;
 * its manifest reference, the hash accepted for it and its inputs are facts on its metadata ({@link
 * TaskFacts#PIPELINE}, {@link TaskFacts#PIPELINE_HASH}, {@link TaskFacts#PIPELINE_INPUTS}), and so
 * is each step's outcome as it finishes.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class Pipelines {
  private final Map<String, PipelineOperation> operations;
  private final PipelineCatalog catalog;
  private final Set<String> programs;
  private final Optional<ChecksLookup> checks;
  private final Optional<Consumer<Notification>> notices;

  private Pipelines(
      Map<String, PipelineOperation> operations,
      PipelineCatalog catalog,
      Set<String> programs,
      Optional<ChecksLookup> checks,
      Optional<Consumer<Notification>> notices) {
    this.operations = operations;
    this.catalog = catalog;
    this.programs = programs;
    this.checks = checks;
    this.notices = notices;
  }

  /**
   * Pipelines with {@code operations} (as {@code Discovery#pipelineOperations()} finds them),
   * manifest files read relative to {@code workspace}.
   */
  public static Pipelines of(Map<String, PipelineOperation> operations, Path workspace) {
    Map<String, PipelineOperation> ops = new LinkedHashMap<>(operations);
    return new Pipelines(
        java.util.Collections.unmodifiableMap(ops),
        new PipelineCatalog(PipelineLoader.of(ops.values()), workspace),
        Set.of(),
        Optional.empty(),
        Optional.empty());
  }

  /** Pipelines with Overnight's built-in operations only: for reading and showing manifests. */
  public static Pipelines builtIn(Path workspace) {
    Map<String, PipelineOperation> ops = new LinkedHashMap<>();
    BuiltInOperations.all().forEach(o -> ops.put(o.name(), o));
    return of(ops, workspace);
  }

  /** These pipelines, command steps also allowed to run {@code extra}: the local user's choice. */
  public Pipelines allowingPrograms(Collection<String> extra) {
    Set<String> all = new TreeSet<>(programs);
    all.addAll(extra);
    return new Pipelines(operations, catalog, Set.copyOf(all), checks, notices);
  }

  /**
   * These pipelines, {@code wait_for_ci} steps reading pull requests' checks from {@code value}.
   */
  public Pipelines readingChecks(ChecksLookup value) {
    return new Pipelines(operations, catalog, programs, Optional.of(value), notices);
  }

  /**
   * These pipelines, {@code notify} steps sending through {@code value} (the runtime's configured
   * notifiers); it must not block.
   */
  public Pipelines notifyingWith(Consumer<Notification> value) {
    return new Pipelines(operations, catalog, programs, checks, Optional.of(value));
  }

  /** Where {@code notify} steps send; empty when no notifier is configured. */
  public Optional<Consumer<Notification>> notices() {
    return notices;
  }

  /** Where {@code wait_for_ci} steps read checks; empty when no forge can be read. */
  public Optional<ChecksLookup> checks() {
    return checks;
  }

  /** The operations, by name. */
  public Map<String, PipelineOperation> operations() {
    return operations;
  }

  /** Where manifests are read from. */
  public PipelineCatalog catalog() {
    return catalog;
  }

  /** The boundary of {@code config} for a runtime that has {@code agents}. */
  public TrustBoundary boundary(OrchestrationConfig config, Collection<String> agents) {
    return TrustBoundary.of(config, agents).allowingPrograms(programs);
  }

  /** Whether {@code task} is a pipeline. */
  public static boolean isPipeline(Task task) {
    return TaskFacts.PIPELINE.from(task).isPresent();
  }

  /** A task's inputs. */
  public static Map<String, String> inputsOf(Task task) {
    Map<String, String> inputs = new LinkedHashMap<>();
    TaskFacts.PIPELINE_INPUTS
        .from(task)
        .ifPresent(
            json -> {
              try {
                OvernightJson.read(json)
                    .fields()
                    .forEachRemaining(e -> inputs.put(e.getKey(), e.getValue().asText()));
              } catch (IllegalArgumentException e) {
                // Not ours: a task whose inputs cannot be read runs with none, and fails on them.
              }
            });
    return inputs;
  }

  /**
   * Checks a pipeline and makes the task it runs as.
   *
   * @param reference the manifest's reference: {@code builtin:NAME} or a file
   * @param acceptedHash the hash the user accepted after seeing the manifest (its first 12 hex
   *     digits are enough)
   * @throws dev.overnight.api.config.ConfigException for a bad manifest or bad inputs
   * @throws PipelineRefusedException if the hash is not the manifest's, or it asks for more than
   *     the config allows
   */
  public TaskSpec enqueue(
      String reference,
      Map<String, String> inputs,
      String acceptedHash,
      OrchestrationConfig config,
      Collection<String> agents) {
    PipelineManifest manifest = catalog.load(reference);
    if (acceptedHash.length() < 12 || !manifest.hash().startsWith(acceptedHash)) {
      throw new PipelineRefusedException(
          manifest.name(),
          List.of(
              new ConfigProblem(
                  "",
                  "not accepted: its hash is "
                      + manifest.shortHash()
                      + (acceptedHash.isEmpty() ? "" : ", not " + acceptedHash)
                      + "; read it (overnight pipeline show "
                      + reference
                      + ") and accept that hash")));
    }
    boundary(config, agents).check(manifest);
    Map<String, String> resolved = PipelineRunner.inputs(manifest, inputs);
    ObjectNode json = OvernightJson.object();
    resolved.forEach(json::put);
    String inputsJson = OvernightJson.write(json);
    String prompt = PipelineProposals.prompt(manifest, resolved);
    String title = TaskSpec.titleOf(manifest.name() + " " + String.join(" ", resolved.values()));
    return TaskSpec.builder(prompt)
        .title(title)
        .opHash(PipelineLoader.hash(reference + "\n" + manifest.hash() + "\n" + inputsJson))
        .maxAttempts(config.maxAttempts())
        .metadata(TaskFacts.PIPELINE.key(), reference)
        .metadata(TaskFacts.PIPELINE_HASH.key(), manifest.hash())
        .metadata(TaskFacts.PIPELINE_INPUTS.key(), inputsJson)
        .metadata(TaskFacts.CONFIG_ID.key(), config.id())
        .build();
  }

  @Override
  public String toString() {
    return "Pipelines" + operations.keySet();
  }
}
