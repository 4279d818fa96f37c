package dev.overnight.linux.internal;

import dev.overnight.core.process.CommandResult;
import dev.overnight.core.process.CommandRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The real {@link LinuxHost}: files under configurable roots, real commands, a real clock. */
public final class SysfsLinuxHost implements LinuxHost {
  /** Where systemd and dbus put the system bus. */
  public static final Path SYSTEM_BUS_SOCKET = Path.of("/run/dbus/system_bus_socket");

  /** A pause that really waits; tests pass one that changes the fake tree instead. */
  @FunctionalInterface
  public interface Pauser {
    /** Waits for {@code duration}. */
    void pause(Duration duration) throws InterruptedException;
  }

  private final Path sysRoot;
  private final Path procRoot;
  private final Path systemBusSocket;
  private final CommandRunner commands;
  private final Map<String, String> environment;
  private final InstantSource clock;
  private final Pauser pauser;

  /**
   * Creates a host.
   *
   * @param sysRoot where {@code /sys} is
   * @param procRoot where {@code /proc} is
   * @param systemBusSocket where the system bus socket is expected
   * @param commands runs {@code busctl} and {@code gsettings}
   * @param environment the process environment to consult
   * @param clock now
   * @param pauser waits
   */
  public SysfsLinuxHost(
      Path sysRoot,
      Path procRoot,
      Path systemBusSocket,
      CommandRunner commands,
      Map<String, String> environment,
      InstantSource clock,
      Pauser pauser) {
    this.sysRoot = Objects.requireNonNull(sysRoot, "sysRoot");
    this.procRoot = Objects.requireNonNull(procRoot, "procRoot");
    this.systemBusSocket = Objects.requireNonNull(systemBusSocket, "systemBusSocket");
    this.commands = Objects.requireNonNull(commands, "commands");
    this.environment = Map.copyOf(environment);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.pauser = Objects.requireNonNull(pauser, "pauser");
  }

  /** The host as it is: {@code /sys}, {@code /proc}, real commands and clock. */
  public static SysfsLinuxHost system() {
    return new SysfsLinuxHost(
        Path.of("/sys"),
        Path.of("/proc"),
        SYSTEM_BUS_SOCKET,
        CommandRunner.system(),
        System.getenv(),
        InstantSource.system(),
        d -> Thread.sleep(d.toMillis()));
  }

  @Override
  public Optional<String> sys(String relative) {
    return read(sysRoot.resolve(relative)).map(String::strip);
  }

  @Override
  public List<String> sysList(String relative) {
    return list(sysRoot.resolve(relative));
  }

  @Override
  public List<String> procList(String relative) {
    return list(procRoot.resolve(relative));
  }

  private static List<String> list(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  @Override
  public boolean sysExists(String relative) {
    return Files.exists(sysRoot.resolve(relative));
  }

  @Override
  public Optional<String> sysLinkName(String relative) {
    try {
      Path target = Files.readSymbolicLink(sysRoot.resolve(relative));
      Path name = target.getFileName();
      return Optional.ofNullable(name).map(Path::toString);
    } catch (IOException | UnsupportedOperationException e) {
      return Optional.empty();
    }
  }

  @Override
  public Optional<String> proc(String relative) {
    return read(procRoot.resolve(relative));
  }

  @Override
  public CommandResult run(List<String> command, Duration timeout) {
    return commands.run(command, timeout);
  }

  @Override
  public Optional<String> env(String name) {
    return Optional.ofNullable(environment.get(name)).filter(v -> !v.isBlank());
  }

  @Override
  public Instant now() {
    return clock.instant();
  }

  @Override
  public void pause(Duration duration) throws InterruptedException {
    pauser.pause(duration);
  }

  @Override
  public boolean systemBusAvailable() {
    return env("DBUS_SYSTEM_BUS_ADDRESS").isPresent() || Files.exists(systemBusSocket);
  }

  @Override
  public String systemBusLocation() {
    return env("DBUS_SYSTEM_BUS_ADDRESS").orElse(systemBusSocket.toString());
  }

  @Override
  public String describeSys(String relative) {
    return sysRoot.resolve(relative).toString();
  }

  @Override
  public String describeProc(String relative) {
    return procRoot.resolve(relative).toString();
  }

  private static Optional<String> read(Path file) {
    try {
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      // EIO/ENODATA on flaky ACPI attributes, missing files, permissions: all read as absent.
      return Optional.empty();
    }
  }
}
