package dev.overnight.cli;

import dev.overnight.api.agent.AgentProvider;
import dev.overnight.api.config.ConfigProblem;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.queue.EnqueueResult;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.store.Store;
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
 * {@code overnight pipeline list|show|run}: the pipelines Overnight ships, a manifest and its hash
 * as they must be read before a first run, and queuing one with the hash accepted.
 *
 * @since 0.1.0
 */
@Command(
    name = "pipeline",
    description = "Multi-step tasks from manifests: list the built-in ones, show one, queue a run.",
    mixinStandardHelpOptions = true,
    subcommands = {
      PipelineCommand.ListPipelines.class,
      PipelineCommand.Show.class,
      PipelineCommand.Run.class
    })
public final class PipelineCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing subcommand: list, show or run");
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
      description = "List the built-in pipelines.")
  public static final class ListPipelines implements Callable<Integer> {
    @Spec CommandSpec spec;

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
      String reference = reference(pipeline);
      PipelineManifest m = pipelines.catalog().load(reference);
      out.println(TerminalText.text(pipelines.catalog().text(reference)).stripTrailing());
      out.println();
      out.println("Hash: " + m.hash());
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
      TaskSpec task =
          pipelines.enqueue(reference(pipeline), inputs, accept, config, agentIds(discovery));
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
   * A built-in's reference, or the manifest file as an absolute path: a daemon's folder differs.
   */
  static String reference(String pipeline) {
    return PipelineCatalog.BUILT_IN.contains(pipeline)
        ? PipelineCatalog.PREFIX + pipeline
        : Path.of(pipeline).toAbsolutePath().normalize().toString();
  }

  private static List<String> agentIds(Discovery discovery) {
    return discovery.agents().stream().map(AgentProvider::id).toList();
  }
}
