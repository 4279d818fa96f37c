package dev.overnight.macos.internal;

import dev.overnight.api.WakeScheduler;
import dev.overnight.api.WakeSchedulerProvider;
import dev.overnight.core.platform.OsFamily;
import java.time.InstantSource;
import java.util.function.Supplier;

/** Offers {@link MacWakeScheduler} on macOS. */
public final class MacWakeSchedulerProvider implements WakeSchedulerProvider {
  private final Supplier<WakeScheduler> factory;

  /** For ServiceLoader: IOKit power events, as root when the process is. */
  public MacWakeSchedulerProvider() {
    this(
        () ->
            new MacWakeScheduler(
                JnaMacSystem.system(),
                () -> "root".equals(System.getProperty("user.name")),
                InstantSource.system()));
  }

  /** With a given factory. */
  public MacWakeSchedulerProvider(Supplier<WakeScheduler> factory) {
    this.factory = factory;
  }

  @Override
  public String name() {
    return "macos-iopm-wake";
  }

  @Override
  public boolean isSupported() {
    return OsFamily.current() == OsFamily.MACOS;
  }

  @Override
  public WakeScheduler create() {
    return factory.get();
  }
}
