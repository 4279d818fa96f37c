package dev.overnight.cli;

import dev.overnight.api.agent.AgentProvider;
import dev.overnight.api.config.ConfigProblem;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.queue.EnqueueResult;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.store.Store;
import dev.overnight.core.pipeline.InstalledPipeline;
import dev.overnight.core.pipeline.InstalledPipelines;
import dev.overnight.core.pipeline.PipelineCatalog;
import dev.overnight.core.pipeline.PipelineManifest;
import dev.overnight.core.pipeline.Pipelines;
import dev.overnight.core.runtime.OvernightRuntime;
import dev.overnight.core.runtime.StatePaths;
import dev.overnight.core.spi.Discovery;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code overnight pipeline list|show|run|add|remove|update}: the pipelines Overnight ships and
 * those installed from git, a manifest and its hash as they must be read before a first run, and
 * queuing one with the hash accepted (remembered: an accepted manifest runs again without {@code
 * --accept} until its text changes).
 *
 * @since 0.1.0
 */
@Command(
    name = "pipeline",
    description =
        "Multi-step tasks from manifests: list the built-in and installed ones, show one, queue a"
            + " run; install from git, remove, update.",
    mixinStandardHelpOptions = true,
    subcommands = {
      PipelineCommand.ListPipelines.class,
      PipelineCommand.Show.class,
      PipelineCommand.Run.class,
      InstalledPipelineCommands.Add.class,
      InstalledPipelineCommands.Remove.class,
      InstalledPipelineCommands.Update.class
    })
public final class PipelineCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "Missing subcommand: list, show, run, add, remove or update");
  }

  /** The pipelines of the config's runtime (its discovered operations), or the built-in ones. */
  static Pipelines pipelines(Optional<OrchestrationConfig> config, Optional<Discovery> discovery) {
    if (config.isPresent() && discovery.isPresent()) {
      return Pipelines.of(
          discovery.get().pipelineOperations(), config.get().workspaceRoot().path());
    }
    return Pipelines.builtIn(Path.of("").toAbsolutePath());
  }

  /** {@code overnight pipeline list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the built-in pipelines and those installed in the state folder.")
  public static final class ListPipelines implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StateOptions state;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PipelineCatalog catalog = Pipelines.builtIn(Path.of("").toAbsolutePath()).catalog();
      for (String name : PipelineCatalog.BUILT_IN) {
        PipelineManifest m = catalog.load(PipelineCatalog.reference(name));
        out.println(
            TerminalText.line(
                name
                    + "  ["
                    + m.shortHash()
                    + "]  "
                    + m.description()
                    + (m.inputs().isEmpty()
                        ? ""
                        : "  inputs: "
                            + String.join(
                                ", ",
                                m.inputs().stream().map(PipelineManifest.Input::name).toList()))));
      }
      for (InstalledPipeline p : installed(state).map(InstalledPipelines::list).orElse(List.of())) {
        out.println(
            TerminalText.line(
                p.name()
                    + "  ["
                    + p.shortHash()
                    + "]  installed from "
                    + p.origin()
                    + " at "
                    + p.shortRevision()));
      }
      out.println("overnight pipeline show NAME prints one; a file path works wherever NAME does.");
      out.flush();
      return ExitCodes.OK;
    }
  }

  /** {@code overnight pipeline show}. */
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description =
          "Print a manifest as it will run, its hash, and whether the config's policy allows it.")
  public static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StateOptions state;

    @Parameters(
        paramLabel = "PIPELINE",
        description = "A built-in pipeline's name, or a manifest file.")
    String pipeline;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      Optional<OrchestrationConfig> config = state.config();
      Optional<Discovery> discovery = config.map(c -> OvernightRuntime.discover(c, state.paths(c)));
      Pipelines pipelines = pipelines(config, discovery);
      Optional<InstalledPipelines> installed = installed(state);
      Optional<InstalledPipeline> pinned = installed.flatMap(i -> i.find(pipeline));
      String reference = reference(pipeline, installed);
      PipelineManifest m = pipelines.catalog().load(reference);
      out.println(TerminalText.text(pipelines.catalog().text(reference)).stripTrailing());
      out.println();
      out.println("Hash: " + m.hash());
      pinned.ifPresent(
          p ->
              out.println(
                  TerminalText.line(
                      "Installed from " + p.origin() + ", pinned to " + p.revision() + ".")));
      boolean accepted = installed.map(i -> i.accepted(m.hash())).orElse(false);
      if (accepted) {
        out.println("Accepted before: it runs without --accept until it changes.");
      }
      if (config.isPresent()) {
        List<ConfigProblem> refusals =
            pipelines.boundary(config.get(), agentIds(discovery.get())).refusals(m);
        if (refusals.isEmpty()) {
          out.println("Within this config's policy.");
        } else {
          out.println("Refused under this config:");
          refusals.forEach(r -> out.println("  " + TerminalText.line(r.toString())));
          out.flush();
          return ExitCodes.FAILURE;
        }
      }
      StringBuilder inputs = new StringBuilder();
      m.inputs().stream()
          .filter(PipelineManifest.Input::required)
          .forEach(i -> inputs.append(" --input ").append(i.name()).append("=…"));
      out.println(
          "To run it: overnight pipeline run "
              + pipeline
              + " --accept "
              + m.shortHash()
              + inputs
              + " --config FILE");
      out.flush();
      return ExitCodes.OK;
    }
  }

  /** {@code overnight pipeline run}. */
  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description =
          "Queue a pipeline as a task; the next cycle (overnight once, or the daemon) runs it step by"
              + " step.")
  public static final class Run implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StateOptions state;

    @Parameters(
        paramLabel = "PIPELINE",
        description = "A built-in pipeline's name, or a manifest file.")
    String pipeline;

    @Option(
        names = "--accept",
        paramLabel = "HASH",
        description =
            "The manifest's hash as overnight pipeline show prints it (its first 12 digits suffice):"
                + " that you read this very manifest.")
    String accept = "";

    @Option(names = "--input", paramLabel = "NAME=VALUE", description = "An input of the pipeline.")
    Map<String, String> inputs = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
      OrchestrationConfig config = state.requireConfig();
      StatePaths paths = state.paths(config);
      Discovery discovery = OvernightRuntime.discover(config, paths);
      Pipelines pipelines = pipelines(Optional.of(config), Optional.of(discovery));
      InstalledPipelines installed = InstalledPipelineCommands.of(paths, pipelines);
      String reference = reference(pipeline, Optional.of(installed));
      String hash = pipelines.catalog().load(reference).hash();
      boolean remembered = accept.isEmpty() && installed.accepted(hash);
      TaskSpec task =
          pipelines.enqueue(
              reference, inputs, remembered ? hash : accept, config, agentIds(discovery));
      if (!remembered) {
        // enqueue checked that the accepted prefix is this manifest's: remember the whole hash.
        installed.accept(hash);
      }
      try (Store store = state.openStore(paths)) {
        EnqueueResult r = store.taskQueue().enqueue(task);
        PrintWriter out = spec.commandLine().getOut();
        out.println(
            TerminalText.line(
                (r.created() ? "Queued pipeline " : "Already queued: pipeline ")
                    + pipeline
                    + " as task "
                    + r.task().id().shortId()
                    + " ("
                    + r.task().title()
                    + "); the next cycle runs it (overnight once --config FILE runs one now)."));
        out.flush();
      }
      return ExitCodes.OK;
    }
  }

  /**
   * A built-in's reference, an installed pipeline's pinned manifest, or the manifest file as an
   * absolute path: a daemon's folder differs.
   */
  static String reference(String pipeline, Optional<InstalledPipelines> installed) {
    if (PipelineCatalog.BUILT_IN.contains(pipeline)) {
      return PipelineCatalog.PREFIX + pipeline;
    }
    Optional<InstalledPipelines> withName =
        installed.filter(i -> !pipeline.contains("/") && i.find(pipeline).isPresent());
    if (withName.isPresent()) {
      return withName.get().reference(withName.get().find(pipeline).orElseThrow());
    }
    return Path.of(pipeline).toAbsolutePath().normalize().toString();
  }

  /**
   * The installed pipelines of the state folder {@code state} names, or of the only per-user one;
   * none when there is no state folder to look in.
   */
  static Optional<InstalledPipelines> installed(StateOptions state) {
    try {
      return Optional.of(InstalledPipelineCommands.of(state));
    } catch (ParameterException e) {
      return Optional.empty();
    }
  }

  private static List<String> agentIds(Discovery discovery) {
    return discovery.agents().stream().map(AgentProvider::id).toList();
  }
}
