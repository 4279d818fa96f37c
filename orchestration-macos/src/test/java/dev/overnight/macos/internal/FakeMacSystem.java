package dev.overnight.macos.internal;

import dev.overnight.core.process.CommandResult;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * A {@link MacSystem} that answers with recorded values, as a Mac would: the IOPS dictionaries
 * {@code pmset -g ps} and {@code ioreg} show, SystemConfiguration's interface table, CPU ticks,
 * Focus database files. Anything not set fails as a missing native call would.
 */
final class FakeMacSystem implements MacSystem {
  PowerSnapshot power = new PowerSnapshot(Optional.of("AC Power"), List.of());
  RuntimeException powerFailure;
  NetworkSnapshot network = new NetworkSnapshot(Optional.empty(), Map.of());
  final Deque<long[]> ticks = new ArrayDeque<>();
  OptionalLong hidIdle = OptionalLong.empty();
  Throwable hidFailure;
  OptionalDouble cgIdle = OptionalDouble.empty();
  final Map<String, String> homeFiles = new HashMap<>();
  final Map<String, IOException> homeFileErrors = new HashMap<>();
  final Map<String, CommandResult> commands = new HashMap<>();
  AssertionResult assertion = new AssertionResult(0, 4711);
  LinkageError assertionFailure;
  final List<Integer> released = new ArrayList<>();

  /** Every power event scheduled or cancelled, as "schedule|cancel AT ID TYPE". */
  final List<String> powerEvents = new ArrayList<>();

  int powerEventReturn;

  /** What IOPMConnectionGetSystemCapabilities answers: fully awake (CPU, video, audio, ...). */
  int capabilities = 0x1F;

  Optional<Boolean> clamshell = Optional.empty();
  final List<String> assertionNames = new ArrayList<>();
  int pauses;

  /** The battery of a MacBook, as IOPSGetPowerSourceDescription gives it. */
  static Map<String, Object> internalBattery(String state, long capacity, boolean charging) {
    Map<String, Object> d = new HashMap<>();
    d.put("Name", "InternalBattery-0");
    d.put("Type", "InternalBattery");
    d.put("Transport Type", "Internal");
    d.put("Power Source State", state);
    d.put("Current Capacity", capacity);
    d.put("Max Capacity", 100L);
    d.put("Is Present", true);
    d.put("Is Charging", charging);
    return d;
  }

  /** A USB UPS feeding a Mac mini. */
  static Map<String, Object> ups(String state, long current, long max) {
    Map<String, Object> d = new HashMap<>();
    d.put("Name", "Back-UPS ES 700");
    d.put("Type", "UPS");
    d.put("Transport Type", "USB");
    d.put("Power Source State", state);
    d.put("Current Capacity", current);
    d.put("Max Capacity", max);
    d.put("Is Present", true);
    return d;
  }

  /** A MacBook's interfaces as SCNetworkInterfaceCopyAll lists them. */
  static Map<String, InterfaceInfo> laptopInterfaces() {
    return Map.of(
        "en0", new InterfaceInfo("en0", "IEEE80211", "Wi-Fi"),
        "en5", new InterfaceInfo("en5", "Ethernet", "USB 10/100/1000 LAN"),
        "en7", new InterfaceInfo("en7", "Ethernet", "iPhone USB"),
        "en3", new InterfaceInfo("en3", "Ethernet", "Thunderbolt Bridge"),
        "bluetooth-pan", new InterfaceInfo("en8", "Bluetooth", "Bluetooth PAN"));
  }

  FakeMacSystem primary(String name) {
    network = new NetworkSnapshot(Optional.ofNullable(name), laptopInterfaces());
    return this;
  }

  @Override
  public PowerSnapshot powerSources() {
    if (powerFailure != null) {
      throw powerFailure;
    }
    return power;
  }

  @Override
  public NetworkSnapshot network() {
    return network;
  }

  @Override
  public long[] cpuLoadTicks() {
    if (ticks.isEmpty()) {
      throw new IllegalStateException("host_statistics(HOST_CPU_LOAD_INFO) returned 5");
    }
    return ticks.poll();
  }

  @Override
  public OptionalLong hidIdleNanos() {
    if (hidFailure instanceof RuntimeException r) {
      throw r;
    }
    if (hidFailure instanceof Error e) {
      throw e;
    }
    return hidIdle;
  }

  @Override
  public OptionalDouble secondsSinceLastInput() {
    return cgIdle;
  }

  @Override
  public String readHomeFile(String relative) throws IOException {
    if (homeFileErrors.containsKey(relative)) {
      throw homeFileErrors.get(relative);
    }
    String text = homeFiles.get(relative);
    if (text == null) {
      throw new NoSuchFileException("/Users/me/" + relative);
    }
    return text;
  }

  @Override
  public CommandResult run(List<String> command, Duration timeout) {
    return commands.getOrDefault(
        String.join(" ", command), CommandResult.exited(command, 1, "", "does not exist\n"));
  }

  @Override
  public AssertionResult createAssertion(String type, String name) {
    if (assertionFailure != null) {
      throw assertionFailure;
    }
    assertionNames.add(type + "/" + name);
    return assertion;
  }

  @Override
  public int schedulePowerEvent(Instant at, String id, String type) {
    powerEvents.add("schedule " + at + " " + id + " " + type);
    return powerEventReturn;
  }

  @Override
  public int cancelPowerEvent(Instant at, String id, String type) {
    powerEvents.add("cancel " + at + " " + id + " " + type);
    return powerEventReturn;
  }

  @Override
  public int systemCapabilities() {
    return capabilities;
  }

  @Override
  public Optional<Boolean> clamshellClosed() {
    return clamshell;
  }

  @Override
  public int releaseAssertion(int id) {
    released.add(id);
    return 0;
  }

  @Override
  public void pause(Duration duration) {
    pauses++;
  }
}
