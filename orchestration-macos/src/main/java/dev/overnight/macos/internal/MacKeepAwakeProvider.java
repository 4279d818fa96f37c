package dev.overnight.macos.internal;

import dev.overnight.api.KeepAwake;
import dev.overnight.api.KeepAwakeProvider;
import java.util.List;
import java.util.function.Supplier;

/** Offers {@link MacKeepAwake} on macOS. */
public final class MacKeepAwakeProvider implements KeepAwakeProvider {
  private final Supplier<KeepAwake> factory;

  /** For ServiceLoader: IOKit assertions, falling back to {@code caffeinate}. */
  public MacKeepAwakeProvider() {
    this(
        () ->
            new MacKeepAwake(
                JnaMacSystem.system(), List.of("caffeinate"), ProcessHandle.current().pid()));
  }

  /** With a given factory. */
  public MacKeepAwakeProvider(Supplier<KeepAwake> factory) {
    this.factory = factory;
  }

  @Override
  public String name() {
    return "macos-iopm";
  }

  @Override
  public boolean isSupported() {
    // caffeinate alone would do, so only the operating system matters, not the native load.
    return dev.overnight.core.platform.OsFamily.current()
        == dev.overnight.core.platform.OsFamily.MACOS;
  }

  @Override
  public KeepAwake create() {
    return factory.get();
  }
}
