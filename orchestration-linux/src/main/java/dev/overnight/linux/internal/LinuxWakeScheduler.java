package dev.overnight.linux.internal;

import dev.overnight.api.PowerState;
import dev.overnight.api.WakeAvailability;
import dev.overnight.api.WakeScheduler;
import dev.overnight.core.process.CommandResult;
import dev.overnight.core.process.CommandRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes a Linux machine through {@code rtcwake -m no -t EPOCH}, which sets the RTC alarm without
 * suspending, or, where that is not permitted, through a transient systemd timer with {@code
 * WakeSystem=true} ({@code systemd-run --on-calendar=... --timer-property=WakeSystem=true true}).
 *
 * <p>{@code rtcwake} needs root or {@code CAP_SYS_TIME}; creating a system timer needs root or a
 * polkit rule that allows it. The RTC holds one alarm, so a new {@code rtcwake} wake replaces the
 * previous one; Overnight keeps at most one outstanding anyway. Cancelling an {@code rtcwake} wake
 * runs {@code rtcwake -m disable}; cancelling a timer runs {@code systemctl stop UNIT.timer}.
 *
 * <p>Programs are looked up in the directories given (the service's {@code PATH}), not through a
 * shell. Thread-safe: it holds no mutable state. Calls block for as long as the programs take, at
 * most {@link #TIMEOUT} each.
 */
public final class LinuxWakeScheduler implements WakeScheduler {
  private static final Logger LOG = LoggerFactory.getLogger(LinuxWakeScheduler.class);
  static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final String RTC_PREFIX = "rtcwake:";
  private static final String TIMER_PREFIX = "systemd:";
  private static final DateTimeFormatter CALENDAR =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private final CommandRunner runner;
  private final List<Path> path;
  private final BooleanSupplier mayWakeRtc;
  private final InstantSource clock;
  private final Supplier<PowerState> power;

  /**
   * Creates the scheduler.
   *
   * @param runner runs the programs
   * @param path the directories to find {@code rtcwake}, {@code systemd-run} and {@code systemctl}
   *     in, in order
   * @param mayWakeRtc whether this process may set the RTC alarm (root or {@code CAP_SYS_TIME})
   * @param clock tells which instants have passed
   */
  public LinuxWakeScheduler(
      CommandRunner runner, List<Path> path, BooleanSupplier mayWakeRtc, InstantSource clock) {
    this(runner, path, mayWakeRtc, clock, PowerState::unknown);
  }

  /**
   * Creates the scheduler, reading the power state through {@code power}.
   *
   * @param runner runs the programs
   * @param path the directories to find the programs in, in order
   * @param mayWakeRtc whether this process may set the RTC alarm (root or {@code CAP_SYS_TIME})
   * @param clock tells which instants have passed
   * @param power reads battery and lid, e.g. {@link LinuxPowerState#read()}
   */
  public LinuxWakeScheduler(
      CommandRunner runner,
      List<Path> path,
      BooleanSupplier mayWakeRtc,
      InstantSource clock,
      Supplier<PowerState> power) {
    this.runner = Objects.requireNonNull(runner, "runner");
    this.path = List.copyOf(path);
    this.mayWakeRtc = Objects.requireNonNull(mayWakeRtc, "mayWakeRtc");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.power = Objects.requireNonNull(power, "power");
  }

  /** The scheduler over the process's {@code PATH} and capabilities and the system clock. */
  public static LinuxWakeScheduler system() {
    List<Path> dirs = new ArrayList<>();
    String env = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/sbin:/usr/bin:/sbin:/bin");
    for (String dir : env.split(":")) {
      if (!dir.isEmpty()) {
        dirs.add(Path.of(dir));
      }
    }
    LinuxPowerState power = new LinuxPowerState(SysfsLinuxHost.system());
    return new LinuxWakeScheduler(
        CommandRunner.system(), dirs, Capabilities::maySetRtc, InstantSource.system(), power::read);
  }

  /** Battery from {@code /sys/class/power_supply}, the lid from {@code /proc/acpi/button}. */
  @Override
  public PowerState powerState() {
    try {
      return power.get();
    } catch (RuntimeException e) {
      return PowerState.unknown();
    }
  }

  @Override
  public WakeAvailability availability() {
    Optional<Path> rtcwake = find("rtcwake");
    boolean rtcAllowed = rtcwake.isPresent() && mayWakeRtc.getAsBoolean();
    if (rtcAllowed) {
      return WakeAvailability.possible("rtcwake", "sets the RTC alarm with " + rtcwake.get());
    }
    if (find("systemd-run").isPresent() && find("systemctl").isPresent()) {
      return WakeAvailability.possible(
          "systemd timer",
          (rtcwake.isPresent() ? "rtcwake needs root or CAP_SYS_TIME; " : "no rtcwake on PATH; ")
              + "a transient timer with WakeSystem=true needs root or a polkit rule allowing"
              + " systemd-run");
    }
    if (rtcwake.isPresent()) {
      return WakeAvailability.impossible(
          "rtcwake needs root or CAP_SYS_TIME (run the service as root or grant"
              + " AmbientCapabilities=CAP_SYS_TIME), and there is no systemd-run to fall back on");
    }
    return WakeAvailability.impossible(
        "neither rtcwake (util-linux) nor systemd-run and systemctl are on PATH " + path);
  }

  @Override
  public Scheduled schedule(Instant at, String reason) {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(reason, "reason");
    if (!at.isAfter(clock.instant())) {
      return Scheduled.failed("the wake time " + at + " has passed");
    }
    List<String> failures = new ArrayList<>();
    Optional<Path> rtcwake = find("rtcwake");
    if (rtcwake.isPresent() && mayWakeRtc.getAsBoolean()) {
      long epoch = at.getEpochSecond();
      CommandResult r =
          runner.run(
              List.of(rtcwake.get().toString(), "-m", "no", "-t", Long.toString(epoch)), TIMEOUT);
      if (r.succeeded()) {
        return Scheduled.ok(new WakeId(RTC_PREFIX + epoch, at));
      }
      failures.add("rtcwake: " + r.describe());
    } else if (rtcwake.isPresent()) {
      failures.add("rtcwake needs root or CAP_SYS_TIME");
    }
    Optional<Path> systemdRun = find("systemd-run");
    if (systemdRun.isPresent()) {
      String unit = "overnight-wake-" + at.getEpochSecond();
      CommandResult r =
          runner.run(
              List.of(
                  systemdRun.get().toString(),
                  "--unit=" + unit,
                  "--description=" + reason,
                  "--on-calendar=" + CALENDAR.format(at),
                  "--timer-property=WakeSystem=true",
                  "--timer-property=AccuracySec=1s",
                  "true"),
              TIMEOUT);
      if (r.succeeded()) {
        return Scheduled.ok(new WakeId(TIMER_PREFIX + unit, at));
      }
      failures.add("systemd-run: " + r.describe());
    }
    if (failures.isEmpty()) {
      return Scheduled.failed(availability().detail());
    }
    return Scheduled.failed(String.join("; ", failures));
  }

  @Override
  public void cancel(WakeId id) {
    Objects.requireNonNull(id, "id");
    String value = id.value();
    List<String> command;
    if (value.startsWith(RTC_PREFIX)) {
      Optional<Path> rtcwake = find("rtcwake");
      if (rtcwake.isEmpty()) {
        return;
      }
      command = List.of(rtcwake.get().toString(), "-m", "disable");
    } else if (value.startsWith(TIMER_PREFIX)) {
      Optional<Path> systemctl = find("systemctl");
      if (systemctl.isEmpty()) {
        return;
      }
      command =
          List.of(
              systemctl.get().toString(),
              "stop",
              value.substring(TIMER_PREFIX.length()) + ".timer");
    } else {
      return;
    }
    CommandResult r = runner.run(command, TIMEOUT);
    if (!r.succeeded()) {
      // A wake that already fired or was removed by hand is gone either way.
      LOG.warn("could not cancel the wake at {}: {}", id.at(), r.describe());
    }
  }

  @Override
  public String describe() {
    return availability().possible() ? availability().mechanism() : "none";
  }

  private Optional<Path> find(String program) {
    for (Path dir : path) {
      Path candidate = dir.resolve(program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Reads this process's effective capabilities. */
  static final class Capabilities {
    private static final int CAP_SYS_TIME = 25;

    private Capabilities() {}

    /** Whether the process holds {@code CAP_SYS_TIME} (root does); false when it cannot tell. */
    static boolean maySetRtc() {
      try {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
          if (line.startsWith("CapEff:")) {
            long caps = Long.parseUnsignedLong(line.substring(7).strip(), 16);
            return (caps & (1L << CAP_SYS_TIME)) != 0;
          }
        }
      } catch (java.io.IOException | RuntimeException e) {
        return false;
      }
      return false;
    }
  }
}
