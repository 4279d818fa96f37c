package dev.overnight.cli;

import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.core.process.CommandResult;
import dev.overnight.core.process.CommandRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
        System.getProperty("os.name", ""),
        Objects.requireNonNullElse(System.getenv("PATH"), "/usr/local/bin:/usr/bin:/bin"));
  }

  /**
   * Creates the service's environment file, readable by its owner only, unless it exists: the keys
   * the user puts there stay there across reinstalls.
   *
   * @return whether it was created
   */
  static boolean createEnvironmentFile(ServiceDefinition d, String configId) throws IOException {
    if (Files.exists(d.environmentFile())) {
      return false;
    }
    Files.createDirectories(d.environmentFile().getParent());
    Path temp = Files.createTempFile(d.environmentFile().getParent(), ".env", ".tmp");
    try {
      Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: the folder's own protection has to do.
    }
    Files.writeString(temp, ServiceDefinition.environmentTemplate(configId));
    Files.move(temp, d.environmentFile(), StandardCopyOption.ATOMIC_MOVE);
    return true;
  }

  /**
   * On Linux a user's services stop when their last session ends, unless lingering is on: the
   * night's service would never run on a machine nobody is logged in to.
   */
  static Optional<String> lingerHint(ServiceDefinition d, CommandRunner runner, String user) {
    if (!d.kind().equals("systemd")) {
      return Optional.empty();
    }
    CommandResult r =
        runner.run(
            List.of("loginctl", "show-user", user, "--property=Linger"), Duration.ofSeconds(10));
    if (r.succeeded() && r.stdout().strip().equals("Linger=yes")) {
      return Optional.empty();
    }
    return Optional.of(
        "The service runs while you are logged in. For nights when you are not, run: loginctl"
            + " enable-linger "
            + user);
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
      out.println(
          TerminalText.line(
              "$ " + String.join(" ", c) + (r.succeeded() ? "" : "   -> " + r.describe())));
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
        out.println(TerminalText.line("# " + d.file()));
        out.print(TerminalText.text(d.content()));
        out.println(
            TerminalText.line("# environment file (keys for the agents): " + d.environmentFile()));
        out.println("# then:");
        d.install().forEach(c -> out.println(TerminalText.line("#   " + String.join(" ", c))));
        out.flush();
        return ExitCodes.OK;
      }
      Files.createDirectories(d.file().getParent());
      Files.writeString(d.file(), d.content());
      out.println(TerminalText.line("Wrote " + d.file()));
      if (createEnvironmentFile(d, config.id())) {
        out.println(
            TerminalText.line(
                "Wrote " + d.environmentFile() + " (only you can read it): put agent keys there"));
      } else {
        out.println(
            TerminalText.line("Keeping " + d.environmentFile() + " (agent keys for the service)"));
      }
      int code = runAll(d.install(), out);
      lingerHint(d, CommandRunner.system(), System.getProperty("user.name", "$USER"))
          .ifPresent(hint -> out.println(TerminalText.line(hint)));
      if (code != ExitCodes.OK) {
        out.println(
            TerminalText.line(
                "The "
                    + d.kind()
                    + " definition is in place; load it by hand with the command above."));
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
        d.uninstall().forEach(c -> out.println(TerminalText.line(String.join(" ", c))));
        out.println(TerminalText.line("rm " + d.file()));
        out.flush();
        return ExitCodes.OK;
      }
      if (Files.exists(d.file())) {
        runAll(d.uninstall(), out);
        Files.delete(d.file());
        out.println(TerminalText.line("Removed " + d.file()));
      } else {
        out.println(TerminalText.line("Nothing to remove: " + d.file() + " does not exist"));
      }
      out.flush();
      return ExitCodes.OK;
    }
  }
}
