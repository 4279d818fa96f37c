package dev.overnight.cli;

import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.core.process.CommandResult;
import dev.overnight.core.process.CommandRunner;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code overnight install-service} and {@code uninstall-service}. */
final class ServiceCommands {
  private ServiceCommands() {}

  static ServiceDefinition definition(OrchestrationConfig config, Path configFile, Path stateDir) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(jvmOptions());
    command.add("-jar");
    command.add(jarPath());
    command.add("run");
    command.add("--quiet");
    command.add("--config");
    command.add(configFile.toAbsolutePath().normalize().toString());
    if (stateDir != null) {
      command.add("--state-dir");
      command.add(stateDir.toAbsolutePath().normalize().toString());
    }
    return ServiceDefinition.forThisMachine(
        config.id(),
        command,
        Path.of(System.getProperty("user.home")),
        System.getProperty("os.name", ""));
  }

  /** The JVM options the launcher uses too: a small, quiet JVM for a daemon that mostly waits. */
  static List<String> jvmOptions() {
    try (var in = ServiceCommands.class.getResourceAsStream("jvm.options")) {
      if (in == null) {
        return List.of();
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
          .lines()
          .map(String::strip)
          .filter(l -> !l.isEmpty() && !l.startsWith("#"))
          .toList();
    } catch (java.io.IOException e) {
      return List.of();
    }
  }

  static String jarPath() {
    try {
      return Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (URISyntaxException | RuntimeException e) {
      return "overnight.jar";
    }
  }

  static int runAll(List<List<String>> commands, PrintWriter out) {
    for (List<String> c : commands) {
      CommandResult r = CommandRunner.system().run(c, Duration.ofSeconds(30));
      out.println("$ " + String.join(" ", c) + (r.succeeded() ? "" : "   -> " + r.describe()));
      if (!r.succeeded()) {
        return ExitCodes.FAILURE;
      }
    }
    return ExitCodes.OK;
  }

  /** {@code overnight install-service}. */
  @Command(
      name = "install-service",
      mixinStandardHelpOptions = true,
      description =
          "Run the daemon at login: a launchd agent on macOS, a systemd user unit on Linux.")
  public static final class Install implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StateOptions state;

    @Option(names = "--print", description = "Show the definition and commands without installing.")
    boolean print;

    @Override
    public Integer call() throws Exception {
      OrchestrationConfig config = state.requireConfig();
      ServiceDefinition d = definition(config, state.configFile, state.stateDir);
      PrintWriter out = spec.commandLine().getOut();
      if (print) {
        out.println("# " + d.file());
        out.print(d.content());
        out.println("# then:");
        d.install().forEach(c -> out.println("#   " + String.join(" ", c)));
        out.flush();
        return ExitCodes.OK;
      }
      Files.createDirectories(d.file().getParent());
      Files.writeString(d.file(), d.content());
      out.println("Wrote " + d.file());
      int code = runAll(d.install(), out);
      if (code != ExitCodes.OK) {
        out.println(
            "The " + d.kind() + " definition is in place; load it by hand with the command above.");
      }
      out.flush();
      return code;
    }
  }

  /** {@code overnight uninstall-service}. */
  @Command(
      name = "uninstall-service",
      mixinStandardHelpOptions = true,
      description = "Stop running the daemon at login and remove its definition.")
  public static final class Uninstall implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StateOptions state;

    @Option(names = "--print", description = "Show what would be done without doing it.")
    boolean print;

    @Override
    public Integer call() throws Exception {
      OrchestrationConfig config = state.requireConfig();
      ServiceDefinition d = definition(config, state.configFile, state.stateDir);
      PrintWriter out = spec.commandLine().getOut();
      if (print) {
        d.uninstall().forEach(c -> out.println(String.join(" ", c)));
        out.println("rm " + d.file());
        out.flush();
        return ExitCodes.OK;
      }
      if (Files.exists(d.file())) {
        runAll(d.uninstall(), out);
        Files.delete(d.file());
        out.println("Removed " + d.file());
      } else {
        out.println("Nothing to remove: " + d.file() + " does not exist");
      }
      out.flush();
      return ExitCodes.OK;
    }
  }
}
