package dev.overnight.linux;

import dev.overnight.api.KeepAwakeProvider;
import dev.overnight.api.constraint.ConstraintCheckerProvider;
import dev.overnight.core.platform.OsFamily;
import dev.overnight.core.process.CommandRunner;
import dev.overnight.linux.internal.LinuxCheckerProvider;
import dev.overnight.linux.internal.LinuxHost;
import dev.overnight.linux.internal.LinuxKeepAwakeProvider;
import dev.overnight.linux.internal.ProcStatCpuChecker;
import dev.overnight.linux.internal.SysfsLinuxHost;
import dev.overnight.linux.internal.SystemdInhibitKeepAwake;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Overnight's Linux constraint checkers and keep-awake, for explicit registration.
 *
 * <p>On the class or module path they are also discovered through {@link java.util.ServiceLoader};
 * use this class to register them explicitly, or to point them at other {@code /sys} and {@code
 * /proc} roots (a container's host mounts, a test tree).
 *
 * <ul>
 *   <li>{@code plugged_in}: {@code /sys/class/power_supply} by systemd's rules (no supply at all
 *       counts as AC power);
 *   <li>{@code wifi_only}: the default route's interface ({@code /proc/net/route}, then IPv6),
 *       Wi-Fi when it has a {@code wireless} entry or {@code DEVTYPE=wlan};
 *   <li>{@code cpu_max_percentage}: {@code /proc/stat} over a short window;
 *   <li>{@code suspend_if_active}: logind's {@code IdleHint} through {@code busctl};
 *   <li>{@code respect_dnd}: GNOME's or KDE's Do Not Disturb, when the session says which;
 *   <li>keep-awake: a {@code systemd-inhibit} child holding an idle and sleep lock.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class LinuxPlatform {
  private final LinuxHost host;
  private final boolean supported;
  private final Duration cpuWindow;
  private final List<String> inhibitCommand;

  private LinuxPlatform(Builder b) {
    this.host =
        new SysfsLinuxHost(
            b.sysRoot,
            b.procRoot,
            b.systemBusSocket,
            b.commands,
            b.environment,
            b.clock,
            d -> Thread.sleep(d.toMillis()));
    this.supported = b.supported;
    this.cpuWindow = b.cpuWindow;
    this.inhibitCommand = List.of(b.inhibitCommand);
  }

  /** The platform as it is: {@code /sys}, {@code /proc}, real commands. */
  public static LinuxPlatform system() {
    return builder().build();
  }

  /** Starts a configuration; every setting defaults to the real machine. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether this is Linux. */
  public static boolean isLinux() {
    return OsFamily.current() == OsFamily.LINUX;
  }

  /** The five built-in checker providers. */
  public List<ConstraintCheckerProvider> checkerProviders() {
    return List.of(
        new LinuxCheckerProvider.PluggedIn(() -> host, supported),
        new LinuxCheckerProvider.WifiOnly(() -> host, supported),
        new LinuxCheckerProvider.Cpu(() -> host, supported, cpuWindow),
        new LinuxCheckerProvider.DoNotDisturb(() -> host, supported),
        new LinuxCheckerProvider.Idle(() -> host, supported));
  }

  /** The keep-awake provider. */
  public KeepAwakeProvider keepAwakeProvider() {
    return new LinuxKeepAwakeProvider(() -> new SystemdInhibitKeepAwake(host, inhibitCommand));
  }

  /** Configures a {@link LinuxPlatform}. Not thread-safe. */
  public static final class Builder {
    private Path sysRoot = Path.of("/sys");
    private Path procRoot = Path.of("/proc");
    private Path systemBusSocket = SysfsLinuxHost.SYSTEM_BUS_SOCKET;
    private CommandRunner commands = CommandRunner.system();
    private Map<String, String> environment = System.getenv();
    private InstantSource clock = InstantSource.system();
    private Duration cpuWindow = ProcStatCpuChecker.DEFAULT_WINDOW;
    private String inhibitCommand = "systemd-inhibit";
    private boolean supported = isLinux();

    private Builder() {}

    /** Where {@code /sys} is. */
    public Builder sysRoot(Path value) {
      sysRoot = Objects.requireNonNull(value, "sysRoot");
      return this;
    }

    /** Where {@code /proc} is. */
    public Builder procRoot(Path value) {
      procRoot = Objects.requireNonNull(value, "procRoot");
      return this;
    }

    /** Where the D-Bus system bus socket is expected. */
    public Builder systemBusSocket(Path value) {
      systemBusSocket = Objects.requireNonNull(value, "systemBusSocket");
      return this;
    }

    /** Runs {@code busctl} and {@code gsettings}. */
    public Builder commandRunner(CommandRunner value) {
      commands = Objects.requireNonNull(value, "commandRunner");
      return this;
    }

    /** The environment consulted for the desktop session ({@code XDG_CURRENT_DESKTOP}, …). */
    public Builder environment(Map<String, String> value) {
      environment = Map.copyOf(value);
      return this;
    }

    /** The clock idle durations are measured against. */
    public Builder clock(InstantSource value) {
      clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** How long CPU use is sampled for; default 500 ms. */
    public Builder cpuWindow(Duration value) {
      if (value.isNegative()) {
        throw new IllegalArgumentException("cpuWindow must not be negative: " + value);
      }
      cpuWindow = value;
      return this;
    }

    /** The {@code systemd-inhibit} program to run. */
    public Builder inhibitCommand(String value) {
      inhibitCommand = Objects.requireNonNull(value, "inhibitCommand");
      return this;
    }

    /**
     * Whether the providers claim support; default: whether this is Linux. Set it to read a Linux
     * tree from another system.
     */
    public Builder supported(boolean value) {
      supported = value;
      return this;
    }

    /** Builds the platform. */
    public LinuxPlatform build() {
      return new LinuxPlatform(this);
    }
  }
}
