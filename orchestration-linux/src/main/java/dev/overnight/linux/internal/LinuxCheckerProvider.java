package dev.overnight.linux.internal;

import dev.overnight.api.constraint.ConstraintChecker;
import dev.overnight.api.constraint.ConstraintSettings;
import dev.overnight.core.platform.OsFamily;
import dev.overnight.core.platform.PlatformCheckerProvider;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The Linux providers: supported on Linux only; settings are validated everywhere, and on another
 * system the checker answers {@code UNKNOWN} instead of reading files that are not there.
 */
public abstract class LinuxCheckerProvider extends PlatformCheckerProvider<LinuxHost> {

  /** A provider over the real machine, created lazily. */
  protected LinuxCheckerProvider() {
    this(SysfsLinuxHost::system, OsFamily.current() == OsFamily.LINUX);
  }

  /**
   * A provider over a given host.
   *
   * @param host the facade the checker reads through
   * @param supported whether to claim support (tests over fake trees say {@code true})
   */
  protected LinuxCheckerProvider(Supplier<LinuxHost> host, boolean supported) {
    super(
        host,
        () -> supported ? Optional.empty() : Optional.of(OsFamily.describeCurrent()),
        "the Linux checker does not run on ");
  }

  /** The host the checkers read. */
  protected final LinuxHost host() {
    return facade();
  }

  /** {@code plugged_in}. */
  public static final class PluggedIn extends LinuxCheckerProvider {
    /** For ServiceLoader. */
    public PluggedIn() {}

    /** Over a given host. */
    public PluggedIn(Supplier<LinuxHost> host, boolean supported) {
      super(host, supported);
    }

    @Override
    public String name() {
      return "plugged_in";
    }

    @Override
    protected Supplier<ConstraintChecker> validate(ConstraintSettings settings) {
      dev.overnight.core.platform.CheckerSettings.requireFlag(settings);
      return () -> new PowerSupplyChecker(host());
    }
  }

  /** {@code wifi_only}. */
  public static final class WifiOnly extends LinuxCheckerProvider {
    /** For ServiceLoader. */
    public WifiOnly() {}

    /** Over a given host. */
    public WifiOnly(Supplier<LinuxHost> host, boolean supported) {
      super(host, supported);
    }

    @Override
    public String name() {
      return "wifi_only";
    }

    @Override
    protected Supplier<ConstraintChecker> validate(ConstraintSettings settings) {
      var requirement = dev.overnight.core.platform.NetworkRequirement.from(settings);
      return () -> new DefaultRouteChecker(host(), requirement);
    }
  }

  /** {@code cpu_max_percentage}. */
  public static final class Cpu extends LinuxCheckerProvider {
    private final Duration window;

    /** For ServiceLoader. */
    public Cpu() {
      this.window = ProcStatCpuChecker.DEFAULT_WINDOW;
    }

    /** Over a given host, sampling over {@code window}. */
    public Cpu(Supplier<LinuxHost> host, boolean supported, Duration window) {
      super(host, supported);
      this.window = window;
    }

    @Override
    public String name() {
      return "cpu_max_percentage";
    }

    @Override
    protected Supplier<ConstraintChecker> validate(ConstraintSettings settings) {
      var limit = dev.overnight.core.platform.CpuLimit.from(settings);
      return () -> new ProcStatCpuChecker(host(), limit, window);
    }
  }

  /** {@code suspend_if_active}. */
  public static final class Idle extends LinuxCheckerProvider {
    /** For ServiceLoader. */
    public Idle() {}

    /** Over a given host. */
    public Idle(Supplier<LinuxHost> host, boolean supported) {
      super(host, supported);
    }

    @Override
    public String name() {
      return "suspend_if_active";
    }

    @Override
    protected Supplier<ConstraintChecker> validate(ConstraintSettings settings) {
      var requirement = dev.overnight.core.platform.IdleRequirement.from(settings);
      return () -> new LogindIdleChecker(host(), requirement);
    }
  }

  /** {@code respect_dnd}. */
  public static final class DoNotDisturb extends LinuxCheckerProvider {
    /** For ServiceLoader. */
    public DoNotDisturb() {}

    /** Over a given host. */
    public DoNotDisturb(Supplier<LinuxHost> host, boolean supported) {
      super(host, supported);
    }

    @Override
    public String name() {
      return "respect_dnd";
    }

    @Override
    protected Supplier<ConstraintChecker> validate(ConstraintSettings settings) {
      dev.overnight.core.platform.CheckerSettings.requireFlag(settings);
      return () -> new DesktopDndChecker(host());
    }
  }
}
