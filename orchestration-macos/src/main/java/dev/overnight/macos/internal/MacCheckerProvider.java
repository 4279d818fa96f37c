package dev.overnight.macos.internal;

import dev.overnight.api.constraint.ConstraintChecker;
import dev.overnight.api.constraint.ConstraintSettings;
import dev.overnight.core.platform.CheckerSettings;
import dev.overnight.core.platform.CpuLimit;
import dev.overnight.core.platform.IdleRequirement;
import dev.overnight.core.platform.NetworkRequirement;
import dev.overnight.core.platform.PlatformCheckerProvider;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The macOS providers. Constructing one touches no native code; {@link #isSupported()} checks the
 * operating system first and catches a failing library load. Settings are validated everywhere; on
 * another system the checker answers {@code UNKNOWN} with why.
 */
public abstract class MacCheckerProvider extends PlatformCheckerProvider<MacSystem> {

  /** A provider over the real machine. */
  protected MacCheckerProvider() {
    this(JnaMacSystem::system, MacNative::unavailability);
  }

  /**
   * A provider over a given facade.
   *
   * @param system the facade the checker reads through
   * @param unavailability why the facade cannot be used here, or empty when it can
   */
  protected MacCheckerProvider(
      Supplier<MacSystem> system, Supplier<Optional<String>> unavailability) {
    super(system, unavailability, "the macOS checker cannot run here: ");
  }

  /** The facade the checkers read. */
  protected final MacSystem system() {
    return facade();
  }

  /** {@code plugged_in}. */
  public static final class PluggedIn extends MacCheckerProvider {
    /** For ServiceLoader. */
    public PluggedIn() {}

    /** Over a given facade. */
    public PluggedIn(Supplier<MacSystem> system, Supplier<Optional<String>> unavailability) {
      super(system, unavailability);
    }

    @Override
    public String name() {
      return "plugged_in";
    }

    @Override
    protected Supplier<ConstraintChecker> validate(ConstraintSettings settings) {
      CheckerSettings.requireFlag(settings);
      return () -> new MacPowerChecker(system());
    }
  }

  /** {@code wifi_only}. */
  public static final class WifiOnly extends MacCheckerProvider {
    /** For ServiceLoader. */
    public WifiOnly() {}

    /** Over a given facade. */
    public WifiOnly(Supplier<MacSystem> system, Supplier<Optional<String>> unavailability) {
      super(system, unavailability);
    }

    @Override
    public String name() {
      return "wifi_only";
    }

    @Override
    protected Supplier<ConstraintChecker> validate(ConstraintSettings settings) {
      NetworkRequirement requirement = NetworkRequirement.from(settings);
      return () -> new MacNetworkChecker(system(), requirement);
    }
  }

  /** {@code cpu_max_percentage}. */
  public static final class Cpu extends MacCheckerProvider {
    private final Duration window;

    /** For ServiceLoader. */
    public Cpu() {
      this.window = MacCpuChecker.DEFAULT_WINDOW;
    }

    /** Over a given facade, sampling over {@code window}. */
    public Cpu(
        Supplier<MacSystem> system, Supplier<Optional<String>> unavailability, Duration window) {
      super(system, unavailability);
      this.window = window;
    }

    @Override
    public String name() {
      return "cpu_max_percentage";
    }

    @Override
    protected Supplier<ConstraintChecker> validate(ConstraintSettings settings) {
      CpuLimit limit = CpuLimit.from(settings);
      return () -> new MacCpuChecker(system(), limit, window);
    }
  }

  /** {@code suspend_if_active}. */
  public static final class Idle extends MacCheckerProvider {
    /** For ServiceLoader. */
    public Idle() {}

    /** Over a given facade. */
    public Idle(Supplier<MacSystem> system, Supplier<Optional<String>> unavailability) {
      super(system, unavailability);
    }

    @Override
    public String name() {
      return "suspend_if_active";
    }

    @Override
    protected Supplier<ConstraintChecker> validate(ConstraintSettings settings) {
      IdleRequirement requirement = IdleRequirement.from(settings);
      return () -> new MacIdleChecker(system(), requirement);
    }
  }

  /** {@code respect_dnd}. */
  public static final class DoNotDisturb extends MacCheckerProvider {
    /** For ServiceLoader. */
    public DoNotDisturb() {}

    /** Over a given facade. */
    public DoNotDisturb(Supplier<MacSystem> system, Supplier<Optional<String>> unavailability) {
      super(system, unavailability);
    }

    @Override
    public String name() {
      return "respect_dnd";
    }

    @Override
    protected Supplier<ConstraintChecker> validate(ConstraintSettings settings) {
      CheckerSettings.requireFlag(settings);
      return () -> new MacFocusChecker(system());
    }
  }
}
