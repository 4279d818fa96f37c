/**
 * Overnight on Linux: constraint checkers ({@code plugged_in}, {@code wifi_only}, {@code
 * cpu_max_percentage}, {@code respect_dnd}, {@code suspend_if_active}) keep-awake and wake
 * scheduling.
 */
module dev.overnight.linux {
  requires dev.overnight.core;
  requires org.slf4j;

  exports dev.overnight.linux;

  provides dev.overnight.api.constraint.ConstraintCheckerProvider with
      dev.overnight.linux.internal.LinuxCheckerProvider.PluggedIn,
      dev.overnight.linux.internal.LinuxCheckerProvider.WifiOnly,
      dev.overnight.linux.internal.LinuxCheckerProvider.Cpu,
      dev.overnight.linux.internal.LinuxCheckerProvider.DoNotDisturb,
      dev.overnight.linux.internal.LinuxCheckerProvider.Idle;
  provides dev.overnight.api.KeepAwakeProvider with
      dev.overnight.linux.internal.LinuxKeepAwakeProvider;
  provides dev.overnight.api.WakeSchedulerProvider with
      dev.overnight.linux.internal.LinuxWakeSchedulerProvider;
}
