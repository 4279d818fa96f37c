package dev.overnight.macos.internal;

import com.sun.jna.Library;
import com.sun.jna.platform.mac.CoreFoundation.CFStringRef;
import com.sun.jna.platform.mac.CoreFoundation.CFTypeRef;
import com.sun.jna.ptr.IntByReference;

/**
 * The IOKit power functions jna-platform 5.19 does not map (IOPMLib.h, IOPowerSources.h). Loaded
 * only through {@link MacLibraries}, on macOS.
 */
public interface IOKitPowerManagement extends Library {
  /** {@code kIOPMCapabilityCPU}: the system runs (awake, fully or dark). */
  int CAPABILITY_CPU = 0x1;

  /** {@code kIOPMCapabilityVideo}: the display is powered; without it an awake system is dark. */
  int CAPABILITY_VIDEO = 0x2;

  /** {@code kIOPMAssertionLevelOn}. */
  int ASSERTION_LEVEL_ON = 255;

  /**
   * {@code IOReturn IOPMAssertionCreateWithName(CFStringRef type, IOPMAssertionLevel level,
   * CFStringRef name, IOPMAssertionID *id)}. The caller releases the strings it created.
   */
  int IOPMAssertionCreateWithName(
      CFStringRef type, int level, CFStringRef name, IntByReference assertionId);

  /** {@code IOReturn IOPMAssertionRelease(IOPMAssertionID id)}. */
  int IOPMAssertionRelease(int assertionId);

  /**
   * {@code CFStringRef IOPSGetProvidingPowerSourceType(CFTypeRef snapshot)}: a constant, not to be
   * released; {@code AC Power} when the machine has no battery or UPS.
   */
  CFStringRef IOPSGetProvidingPowerSourceType(CFTypeRef snapshot);

  /**
   * {@code IOReturn IOPMSchedulePowerEvent(CFDateRef time_to_wake, CFStringRef my_id, CFStringRef
   * type)}: needs root; {@code kIOReturnNotPrivileged} otherwise.
   */
  int IOPMSchedulePowerEvent(CFTypeRef timeToWake, CFStringRef myId, CFStringRef type);

  /**
   * {@code IOReturn IOPMCancelScheduledPowerEvent(CFDateRef time_to_wake, CFStringRef my_id,
   * CFStringRef type)}: the same three values the event was scheduled with.
   */
  int IOPMCancelScheduledPowerEvent(CFTypeRef timeToWake, CFStringRef myId, CFStringRef type);

  /**
   * {@code IOPMCapabilityBits IOPMConnectionGetSystemCapabilities(void)}: what the system is awake
   * for now; CPU without video is a dark wake. A synchronous read of powerd's state.
   */
  int IOPMConnectionGetSystemCapabilities();
}
