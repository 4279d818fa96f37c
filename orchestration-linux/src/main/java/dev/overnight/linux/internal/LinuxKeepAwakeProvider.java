package dev.overnight.linux.internal;

import dev.overnight.api.KeepAwake;
import dev.overnight.api.KeepAwakeProvider;
import dev.overnight.core.platform.OsFamily;

/** Offers {@link SystemdInhibitKeepAwake} on Linux. */
public final class LinuxKeepAwakeProvider implements KeepAwakeProvider {
  private final java.util.function.Supplier<KeepAwake> factory;

  /** For ServiceLoader: the real {@code systemd-inhibit}. */
  public LinuxKeepAwakeProvider() {
    this(SystemdInhibitKeepAwake::system);
  }

  /** With a given factory (for explicit registration over a custom host). */
  public LinuxKeepAwakeProvider(java.util.function.Supplier<KeepAwake> factory) {
    this.factory = factory;
  }

  @Override
  public String name() {
    return "linux-systemd-inhibit";
  }

  @Override
  public boolean isSupported() {
    return OsFamily.current() == OsFamily.LINUX;
  }

  @Override
  public KeepAwake create() {
    return factory.get();
  }
}
