package dev.overnight.macos.internal;

import com.sun.jna.Library;
import com.sun.jna.platform.mac.CoreFoundation.CFAllocatorRef;
import com.sun.jna.platform.mac.CoreFoundation.CFTypeRef;
import java.time.Instant;

/**
 * The CoreFoundation date function jna-platform 5.19 does not map (CFDate.h). Loaded only through
 * {@link MacLibraries}, on macOS.
 */
public interface CoreFoundationDates extends Library {

  /** Seconds from the Unix epoch to CoreFoundation's reference date, 2001-01-01T00:00:00Z. */
  long REFERENCE_EPOCH_SECOND = 978_307_200L;

  /**
   * {@code CFDateRef CFDateCreate(CFAllocatorRef allocator, CFAbsoluteTime at)}; the caller
   * releases the date.
   */
  CFTypeRef CFDateCreate(CFAllocatorRef allocator, double absoluteTime);

  /** {@code at} as a {@code CFAbsoluteTime}: seconds since 2001-01-01T00:00:00Z. */
  static double absoluteTime(Instant at) {
    return (at.getEpochSecond() - REFERENCE_EPOCH_SECOND) + at.getNano() / 1e9;
  }
}
