package dev.overnight.cli;

import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.core.pipeline.InstalledPipeline;
import dev.overnight.core.pipeline.InstalledPipelines;
import dev.overnight.core.pipeline.ManifestSource;
import dev.overnight.core.pipeline.Pipelines;
import dev.overnight.core.runtime.OvernightRuntime;
import dev.overnight.core.runtime.StatePaths;
import dev.overnight.core.spi.Discovery;
import java.io.PrintWriter;
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
 * {@code overnight pipeline add|remove|update}: pipelines installed from a git repository, pinned
 * by commit and manifest hash in the state folder. An installed manifest is shown when it is added,
 * a changed upstream is shown as a diff, and neither runs before its hash is accepted.
 *
 * @since 0.1.0
 */
final class InstalledPipelineCommands {
  private InstalledPipelineCommands() {}

  /**
   * The installed pipelines of the state folder {@code state} names, manifests validated with the
   * config's operations when a config is given, else with the built-in ones.
   */
  static InstalledPipelines of(StateOptions state) {
    Optional<OrchestrationConfig> config = state.config();
    StatePaths paths = config.map(state::paths).orElseGet(state::paths);
    Optional<Discovery> discovery = config.map(c -> OvernightRuntime.discover(c, paths));
    return of(paths, PipelineCommand.pipelines(config, discovery));
  }

  /** The installed pipelines of {@code paths}, validated with {@code pipelines}' operations. */
  static InstalledPipelines of(StatePaths paths, Pipelines pipelines) {
    return InstalledPipelines.at(paths.catalog(), pipelines.catalog().loader());
  }

  /**
   * Shows a pipeline just installed: its manifest to be read, its hash, where it came from ({@code
   * whence}) and the command that accepts it, since none runs before its hash is accepted.
   */
  static void printInstalled(
      PrintWriter out, String manifest, InstalledPipeline pinned, String whence) {
    out.println(TerminalText.text(manifest).stripTrailing());
    out.println();
    out.println("Hash: " + pinned.hash());
    out.println(TerminalText.line("Installed " + pinned.name() + " " + whence + "."));
    out.println(
        TerminalText.line(
            "It runs once you accept its hash: overnight pipeline run "
                + pinned.name()
                + " --accept "
                + pinned.shortHash()
                + " --config FILE"));
    out.flush();
  }

  /** {@code overnight pipeline add}. */
  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description =
          "Install a manifest from a git repository, pinned to the commit the ref points to and to"
              + " its SHA-256; prints it to be read before its first run.")
  public static final class Add implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StateOptions state;

    @Parameters(
        paramLabel = "SOURCE",
        description =
            "<git-url>[//path]@<branch-or-tag>; the path defaults to "
                + ManifestSource.DEFAULT_PATH
                + ".")
    String source;

    @Option(
        names = "--name",
        paramLabel = "NAME",
        description = "The name to install it under (default: the manifest's own name).")
    String name;

    @Override
    public Integer call() {
      ManifestSource parsed;
      try {
        parsed = ManifestSource.parse(source);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      InstalledPipelines installed = of(state);
      InstalledPipeline pinned;
      try {
        pinned = installed.add(parsed, Optional.ofNullable(name));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      printInstalled(
          spec.commandLine().getOut(),
          installed.text(pinned),
          pinned,
          "from " + pinned.origin() + ", pinned to commit " + pinned.shortRevision());
      return ExitCodes.OK;
    }
  }

  /** {@code overnight pipeline remove}. */
  @Command(
      name = "remove",
      mixinStandardHelpOptions = true,
      description = "Uninstall a pipeline installed with overnight pipeline add.")
  public static final class Remove implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StateOptions state;

    @Parameters(paramLabel = "NAME", description = "An installed pipeline's name.")
    String name;

    @Override
    public Integer call() {
      if (!of(state).remove(name)) {
        throw new ParameterException(
            spec.commandLine(), "No installed pipeline " + name + " (overnight pipeline list)");
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println(TerminalText.line("Removed " + name + "."));
      out.flush();
      return ExitCodes.OK;
    }
  }

  /** {@code overnight pipeline update}. */
  @Command(
      name = "update",
      mixinStandardHelpOptions = true,
      description =
          "Fetch an installed pipeline's ref again; a changed manifest is shown as a diff and taken"
              + " only with --accept and its new hash (exit 1 until then).")
  public static final class Update implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StateOptions state;

    @Parameters(paramLabel = "NAME", description = "An installed pipeline's name.")
    String name;

    @Option(
        names = "--accept",
        paramLabel = "HASH",
        description =
            "The new hash as this command printed it (its first 12 digits suffice): that you read"
                + " the diff.")
    String accept = "";

    @Override
    public Integer call() {
      InstalledPipelines installed = of(state);
      InstalledPipelines.Update update;
      try {
        update = installed.check(name);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      PrintWriter out = spec.commandLine().getOut();
      if (!update.changed()) {
        InstalledPipeline taken = installed.take(update, "");
        out.println(
            TerminalText.line(
                name
                    + " is up to date: its manifest is unchanged at commit "
                    + taken.shortRevision()
                    + "."));
        out.flush();
        return ExitCodes.OK;
      }
      out.println(TerminalText.text(update.diff()).stripTrailing());
      out.println();
      out.println("New hash: " + update.hash());
      if (accept.isEmpty()) {
        out.println(
            TerminalText.line(
                name
                    + " changed upstream (commit "
                    + update.commit().substring(0, 12)
                    + "); still pinned to "
                    + update.pinned().shortHash()
                    + ". To take it: overnight pipeline update "
                    + name
                    + " --accept "
                    + update.shortHash()));
        out.flush();
        return ExitCodes.FAILURE;
      }
      InstalledPipeline taken = installed.take(update, accept);
      out.println(
          TerminalText.line(
              "Updated "
                  + name
                  + " to commit "
                  + taken.shortRevision()
                  + ", hash "
                  + taken.shortHash()
                  + ". Its next run needs --accept "
                  + taken.shortHash()
                  + "."));
      out.flush();
      return ExitCodes.OK;
    }
  }
}
