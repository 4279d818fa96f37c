package dev.overnight.macos.internal;

import com.sun.jna.Pointer;
import com.sun.jna.platform.mac.CoreFoundation;
import com.sun.jna.platform.mac.CoreFoundation.CFArrayRef;
import com.sun.jna.platform.mac.CoreFoundation.CFBooleanRef;
import com.sun.jna.platform.mac.CoreFoundation.CFDataRef;
import com.sun.jna.platform.mac.CoreFoundation.CFDictionaryRef;
import com.sun.jna.platform.mac.CoreFoundation.CFNumberRef;
import com.sun.jna.platform.mac.CoreFoundation.CFStringRef;
import com.sun.jna.platform.mac.CoreFoundation.CFTypeRef;
import com.sun.jna.platform.mac.IOKit;
import com.sun.jna.platform.mac.IOKit.IOService;
import com.sun.jna.platform.mac.IOKitUtil;
import com.sun.jna.platform.mac.SystemB;
import com.sun.jna.ptr.IntByReference;
import dev.overnight.core.process.CommandResult;
import dev.overnight.core.process.CommandRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The real {@link MacSystem}: native calls through JNA, converted to plain values at once, every
 * {@code Create}/{@code Copy} result released in {@code finally}. Construct it only on macOS
 * ({@link MacNative#available()}); nothing here is exercised on other systems.
 */
public final class JnaMacSystem implements MacSystem {
  /** IOPSKeys.h keys read from each power source description. */
  static final List<String> POWER_SOURCE_KEYS =
      List.of(
          "Name",
          "Type",
          "Transport Type",
          "Power Source State",
          "Current Capacity",
          "Max Capacity",
          "Is Present",
          "Is Charging",
          "Is Charged",
          "Time to Empty");

  private static final int HOST_CPU_LOAD_INFO_COUNT = 4;

  /** CFNumberType values that hold floating point numbers. */
  private static final List<Integer> FLOAT_NUMBER_TYPES = List.of(5, 6, 12, 13, 16);

  private final CommandRunner commands;
  private final Path home;
  private volatile Integer hostPort;

  /** Creates the system facade over real commands and the user's home folder. */
  public JnaMacSystem(CommandRunner commands, Path home) {
    this.commands = commands;
    this.home = home;
  }

  /** The facade over the real machine. */
  public static JnaMacSystem system() {
    return new JnaMacSystem(CommandRunner.system(), Path.of(System.getProperty("user.home", ".")));
  }

  @Override
  public PowerSnapshot powerSources() {
    CFTypeRef blob = IOKit.INSTANCE.IOPSCopyPowerSourcesInfo();
    if (blob == null) {
      return new PowerSnapshot(Optional.empty(), List.of());
    }
    try {
      CFStringRef providing = MacLibraries.Iopm.LIB.IOPSGetProvidingPowerSourceType(blob);
      Optional<String> providingType = Optional.ofNullable(providing).map(CFStringRef::stringValue);
      CFArrayRef list = IOKit.INSTANCE.IOPSCopyPowerSourcesList(blob);
      if (list == null) {
        return new PowerSnapshot(providingType, List.of());
      }
      try {
        List<Map<String, Object>> sources = new java.util.ArrayList<>();
        for (int i = 0; i < list.getCount(); i++) {
          CFTypeRef source = new CFTypeRef(list.getValueAtIndex(i));
          CFDictionaryRef description = IOKit.INSTANCE.IOPSGetPowerSourceDescription(blob, source);
          if (description != null) {
            sources.add(read(description, POWER_SOURCE_KEYS));
          }
        }
        return new PowerSnapshot(providingType, sources);
      } finally {
        list.release();
      }
    } finally {
      blob.release();
    }
  }

  @Override
  public NetworkSnapshot network() {
    SystemConfigurationLibrary sc = MacLibraries.Sc.LIB;
    Optional<String> primary = Optional.empty();
    CFStringRef storeName = CFStringRef.createCFString("Overnight");
    try {
      Pointer store = sc.SCDynamicStoreCreate(null, storeName, null, null);
      if (store != null) {
        try {
          primary = primaryInterface(sc, store, "State:/Network/Global/IPv4");
          if (primary.isEmpty()) {
            primary = primaryInterface(sc, store, "State:/Network/Global/IPv6");
          }
        } finally {
          new CFTypeRef(store).release();
        }
      }
    } finally {
      storeName.release();
    }
    Map<String, InterfaceInfo> interfaces = new HashMap<>();
    CFArrayRef all = sc.SCNetworkInterfaceCopyAll();
    if (all != null) {
      try {
        for (int i = 0; i < all.getCount(); i++) {
          Pointer iface = all.getValueAtIndex(i);
          String bsd = string(sc.SCNetworkInterfaceGetBSDName(iface));
          if (bsd != null) {
            interfaces.put(
                bsd,
                new InterfaceInfo(
                    bsd,
                    String.valueOf(string(sc.SCNetworkInterfaceGetInterfaceType(iface))),
                    String.valueOf(string(sc.SCNetworkInterfaceGetLocalizedDisplayName(iface)))));
          }
        }
      } finally {
        all.release();
      }
    }
    return new NetworkSnapshot(primary, interfaces);
  }

  private static Optional<String> primaryInterface(
      SystemConfigurationLibrary sc, Pointer store, String key) {
    CFStringRef keyRef = CFStringRef.createCFString(key);
    try {
      CFTypeRef value = sc.SCDynamicStoreCopyValue(store, keyRef);
      if (value == null) {
        return Optional.empty();
      }
      try {
        if (!value.isTypeID(CoreFoundation.DICTIONARY_TYPE_ID)) {
          return Optional.empty();
        }
        Object primary =
            read(new CFDictionaryRef(value.getPointer()), List.of("PrimaryInterface"))
                .get("PrimaryInterface");
        return primary instanceof String s ? Optional.of(s) : Optional.empty();
      } finally {
        value.release();
      }
    } finally {
      keyRef.release();
    }
  }

  @Override
  public long[] cpuLoadTicks() {
    SystemB.HostCpuLoadInfo info = new SystemB.HostCpuLoadInfo();
    IntByReference count = new IntByReference(HOST_CPU_LOAD_INFO_COUNT);
    int kr = SystemB.INSTANCE.host_statistics(hostPort(), SystemB.HOST_CPU_LOAD_INFO, info, count);
    if (kr != 0) {
      throw new IllegalStateException("host_statistics(HOST_CPU_LOAD_INFO) returned " + kr);
    }
    return new long[] {
      Integer.toUnsignedLong(info.cpu_ticks[SystemB.CPU_STATE_USER]),
      Integer.toUnsignedLong(info.cpu_ticks[SystemB.CPU_STATE_SYSTEM]),
      Integer.toUnsignedLong(info.cpu_ticks[SystemB.CPU_STATE_IDLE]),
      Integer.toUnsignedLong(info.cpu_ticks[SystemB.CPU_STATE_NICE])
    };
  }

  /** mach_host_self() once: each call adds a send right that would otherwise leak per sample. */
  private int hostPort() {
    Integer port = hostPort;
    if (port == null) {
      port = SystemB.INSTANCE.mach_host_self();
      hostPort = port;
    }
    return port;
  }

  @Override
  public OptionalLong hidIdleNanos() {
    IOService hid = IOKitUtil.getMatchingService("IOHIDSystem");
    if (hid == null) {
      return OptionalLong.empty();
    }
    try {
      CFStringRef key = CFStringRef.createCFString("HIDIdleTime");
      try {
        CFTypeRef value = hid.createCFProperty(key);
        if (value == null) {
          return OptionalLong.empty();
        }
        try {
          Object converted = toJava(value.getPointer());
          if (converted instanceof Long n) {
            return OptionalLong.of(n);
          }
          if (converted instanceof byte[] bytes) {
            // Some releases report the value as 8 raw bytes rather than a number.
            return MacValues.littleEndianUnsigned(bytes);
          }
          return OptionalLong.empty();
        } finally {
          value.release();
        }
      } finally {
        key.release();
      }
    } finally {
      hid.release();
    }
  }

  @Override
  public int systemCapabilities() {
    return MacLibraries.Iopm.LIB.IOPMConnectionGetSystemCapabilities();
  }

  @Override
  public Optional<Boolean> clamshellClosed() {
    IOService root = IOKitUtil.getMatchingService("IOPMrootDomain");
    if (root == null) {
      return Optional.empty();
    }
    try {
      CFStringRef key = CFStringRef.createCFString("AppleClamshellState");
      try {
        CFTypeRef value = root.createCFProperty(key);
        if (value == null) {
          return Optional.empty(); // no lid: a desktop Mac
        }
        try {
          return toJava(value.getPointer()) instanceof Boolean closed
              ? Optional.of(closed)
              : Optional.empty();
        } finally {
          value.release();
        }
      } finally {
        key.release();
      }
    } finally {
      root.release();
    }
  }

  @Override
  public OptionalDouble secondsSinceLastInput() {
    double seconds =
        MacLibraries.Cg.LIB.CGEventSourceSecondsSinceLastEventType(
            CoreGraphicsEvents.HID_SYSTEM_STATE, CoreGraphicsEvents.ANY_INPUT_EVENT);
    return seconds >= 0 && !Double.isNaN(seconds)
        ? OptionalDouble.of(seconds)
        : OptionalDouble.empty();
  }

  @Override
  public String readHomeFile(String relative) throws IOException {
    return Files.readString(home.resolve(relative), StandardCharsets.UTF_8);
  }

  @Override
  public CommandResult run(List<String> command, Duration timeout) {
    return commands.run(command, timeout);
  }

  @Override
  public AssertionResult createAssertion(String type, String name) {
    CFStringRef typeRef = CFStringRef.createCFString(type);
    CFStringRef nameRef = CFStringRef.createCFString(name);
    try {
      IntByReference id = new IntByReference();
      int ret =
          MacLibraries.Iopm.LIB.IOPMAssertionCreateWithName(
              typeRef, IOKitPowerManagement.ASSERTION_LEVEL_ON, nameRef, id);
      return new AssertionResult(ret, id.getValue());
    } finally {
      typeRef.release();
      nameRef.release();
    }
  }

  @Override
  public int releaseAssertion(int id) {
    return MacLibraries.Iopm.LIB.IOPMAssertionRelease(id);
  }

  @Override
  public int schedulePowerEvent(Instant at, String id, String type) {
    return powerEvent(at, id, type, true);
  }

  @Override
  public int cancelPowerEvent(Instant at, String id, String type) {
    return powerEvent(at, id, type, false);
  }

  private static int powerEvent(Instant at, String id, String type, boolean schedule) {
    CFTypeRef date = MacLibraries.Cf.LIB.CFDateCreate(null, CoreFoundationDates.absoluteTime(at));
    CFStringRef idRef = CFStringRef.createCFString(id);
    CFStringRef typeRef = CFStringRef.createCFString(type);
    try {
      return schedule
          ? MacLibraries.Iopm.LIB.IOPMSchedulePowerEvent(date, idRef, typeRef)
          : MacLibraries.Iopm.LIB.IOPMCancelScheduledPowerEvent(date, idRef, typeRef);
    } finally {
      date.release();
      idRef.release();
      typeRef.release();
    }
  }

  @Override
  public void pause(Duration duration) throws InterruptedException {
    Thread.sleep(duration.toMillis());
  }

  /** Reads the given keys of a dictionary; absent keys and unconvertible values are left out. */
  private static Map<String, Object> read(CFDictionaryRef dictionary, List<String> keys) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (String key : keys) {
      CFStringRef keyRef = CFStringRef.createCFString(key);
      try {
        Object value = toJava(dictionary.getValue(keyRef));
        if (value != null) {
          values.put(key, value);
        }
      } finally {
        keyRef.release();
      }
    }
    return values;
  }

  /**
   * A CF value as Java: CFString → String, CFNumber → Long or Double, CFBoolean → Boolean, CFData →
   * byte[], anything else → null. The type is checked first: jna-platform's typed constructors
   * throw on a mismatch.
   */
  private static Object toJava(Pointer p) {
    if (p == null) {
      return null;
    }
    CFTypeRef ref = new CFTypeRef(p);
    if (ref.isTypeID(CoreFoundation.STRING_TYPE_ID)) {
      return new CFStringRef(p).stringValue();
    }
    if (ref.isTypeID(CoreFoundation.NUMBER_TYPE_ID)) {
      CFNumberRef n = new CFNumberRef(p);
      int type = CoreFoundation.INSTANCE.CFNumberGetType(n).intValue();
      return FLOAT_NUMBER_TYPES.contains(type) ? (Object) n.doubleValue() : (Object) n.longValue();
    }
    if (ref.isTypeID(CoreFoundation.BOOLEAN_TYPE_ID)) {
      return new CFBooleanRef(p).booleanValue();
    }
    if (ref.isTypeID(CoreFoundation.DATA_TYPE_ID)) {
      CFDataRef data = new CFDataRef(p);
      return data.getBytePtr().getByteArray(0, data.getLength());
    }
    return null;
  }

  private static String string(CFStringRef ref) {
    return ref == null ? null : ref.stringValue();
  }
}
