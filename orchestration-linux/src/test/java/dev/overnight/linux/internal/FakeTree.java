package dev.overnight.linux.internal;

import dev.overnight.core.process.CommandResult;
import dev.overnight.core.process.CommandRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;

/** A fake {@code /sys} and {@code /proc} in a temp folder, shaped like the real ones. */
final class FakeTree {
  static final Instant NOW = Instant.parse("2026-11-25T03:00:00Z");

  final Path sys;
  final Path proc;
  final Path busSocket;

  FakeTree(Path temp) {
    this.sys = temp.resolve("sys");
    this.proc = temp.resolve("proc");
    this.busSocket = temp.resolve("run/dbus/system_bus_socket");
    try {
      Files.createDirectories(sys);
      Files.createDirectories(proc);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes a sysfs attribute with the trailing newline the kernel adds. */
  FakeTree sys(String relative, String value) {
    return write(sys.resolve(relative), value + "\n");
  }

  FakeTree sysDir(String relative) {
    try {
      Files.createDirectories(sys.resolve(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** A symbolic link, as sysfs class entries are links into {@code /sys/devices}. */
  FakeTree sysLink(String relative, String target) {
    try {
      Path link = sys.resolve(relative);
      Files.createDirectories(link.getParent());
      Files.createSymbolicLink(link, Path.of(target));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /**
   * A power supply under {@code devices/}, linked from {@code class/power_supply/}, with the given
   * attributes.
   */
  FakeTree supply(String name, Map<String, String> attributes) {
    String device = "devices/platform/acpi/power_supply/" + name;
    attributes.forEach((k, v) -> sys(device + "/" + k, v));
    return sysLink("class/power_supply/" + name, "../../" + device);
  }

  FakeTree proc(String relative, String text) {
    return write(proc.resolve(relative), text);
  }

  FakeTree systemBus() {
    return write(busSocket, "");
  }

  SysfsLinuxHost host() {
    return host(failingCommands(), Map.of(), d -> {});
  }

  SysfsLinuxHost host(
      CommandRunner commands, Map<String, String> env, SysfsLinuxHost.Pauser pauser) {
    return new SysfsLinuxHost(
        sys, proc, busSocket, commands, env, InstantSource.fixed(NOW), pauser);
  }

  static CommandRunner failingCommands() {
    return (command, timeout) ->
        CommandResult.notStarted(command, "command not found: " + command.get(0));
  }

  /** Answers one command line with fixed output and exit code, and fails every other. */
  static CommandRunner answering(String commandLine, int exit, String stdout, String stderr) {
    return (command, timeout) ->
        String.join(" ", command).equals(commandLine)
            ? CommandResult.exited(command, exit, stdout, stderr)
            : CommandResult.notStarted(command, "unexpected command: " + String.join(" ", command));
  }

  private FakeTree write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }
}
