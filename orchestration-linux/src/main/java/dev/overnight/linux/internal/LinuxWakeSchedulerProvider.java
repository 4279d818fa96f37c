package dev.overnight.linux.internal;

import dev.overnight.api.WakeScheduler;
import dev.overnight.api.WakeSchedulerProvider;
import dev.overnight.core.platform.OsFamily;
import java.util.function.Supplier;

/** Offers {@link LinuxWakeScheduler} ({@code rtcwake} or a systemd timer) on Linux. */
public final class LinuxWakeSchedulerProvider implements WakeSchedulerProvider {
  private final Supplier<WakeScheduler> factory;

  /** For ServiceLoader: the real programs on the process's {@code PATH}. */
  public LinuxWakeSchedulerProvider() {
    this(LinuxWakeScheduler::system);
  }

  /** With a given factory (for explicit registration over another {@code PATH}). */
  public LinuxWakeSchedulerProvider(Supplier<WakeScheduler> factory) {
    this.factory = factory;
  }

  @Override
  public String name() {
    return "linux-rtcwake";
  }

  @Override
  public boolean isSupported() {
    return OsFamily.current() == OsFamily.LINUX;
  }

  @Override
  public WakeScheduler create() {
    return factory.get();
  }
}
