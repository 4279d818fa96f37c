/**
 * Overnight on macOS: constraint checkers ({@code plugged_in}, {@code wifi_only}, {@code
 * cpu_max_percentage}, {@code respect_dnd}, {@code suspend_if_active}) keep-awake and wake
 * scheduling, through JNA.
 */
module dev.overnight.macos {
  requires dev.overnight.core;
  requires org.slf4j;
  requires com.sun.jna;
  requires com.sun.jna.platform;

  exports dev.overnight.macos;

  // JNA builds proxies of the library interfaces reflectively.
  opens dev.overnight.macos.internal to
      com.sun.jna;

  provides dev.overnight.api.constraint.ConstraintCheckerProvider with
      dev.overnight.macos.internal.MacCheckerProvider.PluggedIn,
      dev.overnight.macos.internal.MacCheckerProvider.WifiOnly,
      dev.overnight.macos.internal.MacCheckerProvider.Cpu,
      dev.overnight.macos.internal.MacCheckerProvider.DoNotDisturb,
      dev.overnight.macos.internal.MacCheckerProvider.Idle;
  provides dev.overnight.api.KeepAwakeProvider with
      dev.overnight.macos.internal.MacKeepAwakeProvider;
  provides dev.overnight.api.WakeSchedulerProvider with
      dev.overnight.macos.internal.MacWakeSchedulerProvider;
}
