package dev.overnight.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.api.config.ConfigProblem;
import dev.overnight.api.config.ConfigValue;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.core.config.ConfigLoader;
import dev.overnight.core.config.ConfigTemplates;
import dev.overnight.core.config.ConfigWriter;
import dev.overnight.core.json.OvernightJson;
import dev.overnight.core.runtime.OvernightRuntime;
import dev.overnight.core.runtime.StatePaths;
import dev.overnight.core.schedule.ConstraintGate;
import dev.overnight.core.schedule.ConstraintGateResult;
import dev.overnight.core.time.SystemTimeSource;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code overnight config}: validate, create and describe configuration files.
 *
 * @since 0.1.0
 */
@Command(
    name = "config",
    description = "Validate, create and describe configuration files.",
    mixinStandardHelpOptions = true,
    subcommands = {
      ConfigCommand.Validate.class,
      ConfigCommand.Init.class,
      ConfigCommand.Schema.class
    })
public final class ConfigCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "Missing subcommand: validate, init or schema");
  }

  /** {@code overnight config validate FILE...}. */
  @Command(
      name = "validate",
      description = {
        "Check config files and list every problem with its JSON path, including a workspace that"
            + " is not a git repository with a commit."
      },
      mixinStandardHelpOptions = true)
  public static final class Validate implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Config files to check.")
    List<Path> files = new ArrayList<>();

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      // A night needs a repository with a commit to branch from: say so now, not at 01:00.
      ConfigLoader loader = ConfigLoader.builder().requireRepository(true).build();
      ArrayNode results = OvernightJson.array();
      boolean allValid = true;
      for (Path file : files) {
        ConfigLoader.Result result = loader.result(file);
        allValid &= result.isValid();
        if (json) {
          ObjectNode r = results.addObject();
          r.put("file", file.toString());
          r.put("valid", result.isValid());
          ArrayNode problems = r.putArray("problems");
          for (ConfigProblem p : result.problems()) {
            problems.addObject().put("path", p.path()).put("message", p.message());
          }
        } else if (result.isValid()) {
          out.println(TerminalText.line("OK       " + file));
        } else {
          out.println(
              TerminalText.line(
                  "INVALID  "
                      + file
                      + " ("
                      + result.problems().size()
                      + (result.problems().size() == 1 ? " problem)" : " problems)")));
          result.problems().forEach(p -> out.println(TerminalText.line("  " + p)));
        }
      }
      if (json) {
        out.println(OvernightJson.writePretty(results));
      }
      out.flush();
      return allValid ? ExitCodes.OK : ExitCodes.FAILURE;
    }
  }

  /** {@code overnight config init}. */
  @Command(
      name = "init",
      description =
          "Write a starter config: nightly 01:00-05:00, on AC power and Wi-Fi, while idle.",
      mixinStandardHelpOptions = true)
  public static final class Init implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--workspace",
        paramLabel = "DIR",
        description = "The repository agents work on (default: the current directory).")
    Path workspace;

    @Option(
        names = {"-o", "--output"},
        paramLabel = "FILE",
        description = "Where to write it; - for standard output (default: ${DEFAULT-VALUE}).",
        defaultValue = "overnight.json")
    String output;

    @Option(names = "--force", description = "Overwrite an existing file.")
    boolean force;

    @Override
    public Integer call() {
      Path dir = (workspace == null ? Path.of("") : workspace).toAbsolutePath().normalize();
      if (!Files.isDirectory(dir)) {
        throw new ParameterException(spec.commandLine(), "Not a directory: " + dir);
      }
      OrchestrationConfig starter =
          ConfigTemplates.starter(new ConfigValue(dir.toString(), dir.toString()));
      ConfigTemplates.Fitted fitted =
          ConfigTemplates.fitTo(starter, readConstraints(starter).results());
      OrchestrationConfig config = fitted.config();
      PrintWriter err = spec.commandLine().getErr();
      fitted
          .dropped()
          .forEach(
              (name, why) ->
                  err.println(
                      TerminalText.line(
                          "note: left out "
                              + name
                              + ": this machine cannot tell ("
                              + why
                              + "), so it would hold every night back")));
      err.flush();
      PrintWriter out = spec.commandLine().getOut();
      if (output.equals("-")) {
        out.print(ConfigWriter.toJson(config));
        out.flush();
        return ExitCodes.OK;
      }
      Path file = Path.of(output);
      if (Files.exists(file) && !force) {
        spec.commandLine()
            .getErr()
            .println(TerminalText.line("error: " + file + " exists; use --force to overwrite it"));
        return ExitCodes.FAILURE;
      }
      ConfigWriter.save(config, file);
      out.println(TerminalText.line("Wrote " + file.toAbsolutePath()));
      out.println(
          TerminalText.line(
              "Next: overnight config validate "
                  + file
                  + "   then   overnight doctor --config "
                  + file));
      out.flush();
      return ExitCodes.OK;
    }
  }

  /** The starter's constraints as this machine answers them now. */
  static ConstraintGateResult readConstraints(OrchestrationConfig config) {
    try (ConstraintGate gate =
        ConstraintGate.builder(config.constraints())
            .providers(
                OvernightRuntime.discover(config, StatePaths.of(Optional.empty(), config))
                    .constraintCheckers())
            .timeSource(SystemTimeSource.shared())
            .build()) {
      return gate.check();
    }
  }

  /** {@code overnight config schema}. */
  @Command(
      name = "schema",
      description = "Print the config's JSON Schema (draft 2020-12).",
      mixinStandardHelpOptions = true)
  public static final class Schema implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().getOut().print(ConfigLoader.schema());
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    }
  }
}
