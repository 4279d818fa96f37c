package dev.overnight.core.rehearsal.internal;

import dev.overnight.core.process.CommandResult;
import dev.overnight.core.process.CommandRunner;
import dev.overnight.core.rehearsal.ServiceEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs commands as the service would: the program found on the service's {@code PATH} (not this
 * process's), with exactly the service's variables (this process's others removed), in the
 * service's working folder unless told otherwise. A program the service cannot find is not started,
 * and the result says so. Thread-safe; blocks as the runner it wraps.
 */
public final class InServiceCommands implements CommandRunner {
  private final CommandRunner delegate;
  private final ServiceEnvironment service;
  private final Map<String, String> processEnvironment;

  /**
   * @param delegate starts the processes
   * @param service the service's context
   * @param processEnvironment what a child of this process inherits, every variable of which the
   *     service lacks is removed
   */
  public InServiceCommands(
      CommandRunner delegate, ServiceEnvironment service, Map<String, String> processEnvironment) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.service = Objects.requireNonNull(service, "service");
    this.processEnvironment = Map.copyOf(processEnvironment);
  }

  @Override
  public CommandResult run(List<String> command, Duration timeout) {
    Path dir = service.workingDirectory();
    return run(command, Files.isDirectory(dir) ? dir : null, Map.of(), timeout);
  }

  @Override
  public CommandResult run(
      List<String> command, Path directory, Map<String, String> environment, Duration timeout) {
    Optional<Path> program = service.which(command.get(0));
    if (program.isEmpty()) {
      return CommandResult.notStarted(
          command, command.get(0) + " is not on the service's PATH (" + pathText() + ")");
    }
    List<String> resolved = new ArrayList<>(command);
    resolved.set(0, program.get().toString());
    Map<String, String> env = new HashMap<>();
    for (String name : processEnvironment.keySet()) {
      if (!service.variables().containsKey(name)) {
        env.put(name, null);
      }
    }
    env.putAll(service.variables());
    env.putAll(environment);
    return delegate.run(resolved, directory, env, timeout);
  }

  private String pathText() {
    String path = service.variables().getOrDefault("PATH", "");
    return path.isEmpty() ? "PATH is empty" : path;
  }
}
