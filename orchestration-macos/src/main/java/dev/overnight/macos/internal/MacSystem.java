package dev.overnight.macos.internal;

import dev.overnight.core.process.CommandResult;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Everything the macOS checkers read from the system, as plain Java values: the native calls
 * (IOKit, SystemConfiguration, Mach, CoreGraphics) and the few files and commands around them.
 *
 * <p>{@link JnaMacSystem} is the real one; it only calls, converts and releases. All logic sits in
 * the checkers above this interface, which tests drive with recorded values on any system. Native
 * failures surface as {@link RuntimeException} or {@link LinkageError}; callers turn them into
 * {@code UNKNOWN}.
 */
public interface MacSystem {

  /** {@code IOPSCopyPowerSourcesInfo}: the providing source type and every source's description. */
  PowerSnapshot powerSources();

  /**
   * The primary interface from the dynamic store, and every interface SystemConfiguration lists.
   */
  NetworkSnapshot network();

  /**
   * {@code host_statistics(HOST_CPU_LOAD_INFO)}: cumulative ticks in the order user, system, idle,
   * nice, each an unsigned 32-bit value.
   */
  long[] cpuLoadTicks();

  /** IORegistry {@code IOHIDSystem} → {@code HIDIdleTime}, nanoseconds since the last input. */
  OptionalLong hidIdleNanos();

  /** {@code CGEventSourceSecondsSinceLastEventType(HIDSystemState, any event)}. */
  OptionalDouble secondsSinceLastInput();

  /**
   * A file under the user's home folder, e.g. {@code Library/DoNotDisturb/DB/Assertions.json}.
   *
   * @throws IOException as the file system reports it (a missing Full Disk Access grant is an
   *     {@code EPERM}: "Operation not permitted")
   */
  String readHomeFile(String relative) throws IOException;

  /** Runs a short command such as {@code defaults read}. */
  CommandResult run(List<String> command, Duration timeout);

  /** {@code IOPMAssertionCreateWithName(type, kIOPMAssertionLevelOn, name, &id)}. */
  AssertionResult createAssertion(String type, String name);

  /** {@code IOPMAssertionRelease(id)}; returns the {@code IOReturn}. */
  int releaseAssertion(int id);

  /**
   * {@code IOPMSchedulePowerEvent(CFDateCreate(at), id, type)}; returns the {@code IOReturn}.
   *
   * @param type e.g. {@code wake} ({@code kIOPMAutoWake})
   */
  int schedulePowerEvent(Instant at, String id, String type);

  /**
   * {@code IOPMCancelScheduledPowerEvent(CFDateCreate(at), id, type)}; returns the {@code
   * IOReturn}.
   */
  int cancelPowerEvent(Instant at, String id, String type);

  /**
   * {@code IOPMConnectionGetSystemCapabilities()}: the {@code kIOPMCapability*} bits the system is
   * awake with; CPU without video is a dark wake.
   */
  int systemCapabilities();

  /**
   * IORegistry {@code IOPMrootDomain} → {@code AppleClamshellState}: whether the lid is closed;
   * empty on a Mac without a lid.
   */
  Optional<Boolean> clamshellClosed();

  /** Waits {@code duration} (the CPU sampling window). */
  void pause(Duration duration) throws InterruptedException;

  /**
   * The power sources.
   *
   * @param providingType {@code IOPSGetProvidingPowerSourceType}: {@code AC Power}, {@code Battery
   *     Power} or {@code UPS Power}, when reported
   * @param sources each source's description, keyed as IOPSKeys.h names them ({@code Name}, {@code
   *     Type}, {@code Power Source State}, {@code Current Capacity}, {@code Max Capacity}, {@code
   *     Is Present}, {@code Is Charging}); values are {@code String}, {@code Long}, {@code Double}
   *     or {@code Boolean}
   */
  record PowerSnapshot(Optional<String> providingType, List<Map<String, Object>> sources) {
    /** Copies the list. */
    public PowerSnapshot {
      Objects.requireNonNull(providingType, "providingType");
      sources = List.copyOf(sources);
    }
  }

  /**
   * The network as SystemConfiguration sees it.
   *
   * @param primaryInterface {@code PrimaryInterface} of {@code State:/Network/Global/IPv4} (else
   *     IPv6), e.g. {@code en0}
   * @param interfaces every interface of {@code SCNetworkInterfaceCopyAll} by BSD name
   */
  record NetworkSnapshot(Optional<String> primaryInterface, Map<String, InterfaceInfo> interfaces) {
    /** Copies the map. */
    public NetworkSnapshot {
      Objects.requireNonNull(primaryInterface, "primaryInterface");
      interfaces = Map.copyOf(interfaces);
    }
  }

  /**
   * One network interface.
   *
   * @param bsdName e.g. {@code en0}
   * @param type {@code SCNetworkInterfaceGetInterfaceType}: {@code IEEE80211}, {@code Ethernet},
   *     {@code WWAN}, {@code Bluetooth}, {@code PPP}…
   * @param displayName the localized name, e.g. {@code Wi-Fi} or {@code iPhone USB}
   */
  record InterfaceInfo(String bsdName, String type, String displayName) {}

  /**
   * The outcome of creating an assertion.
   *
   * @param ioReturn {@code kIOReturnSuccess} (0) or an error code
   * @param id the assertion's id, valid when {@code ioReturn} is 0
   */
  record AssertionResult(int ioReturn, int id) {
    /** Whether the assertion was created. */
    public boolean succeeded() {
      return ioReturn == 0;
    }
  }
}
