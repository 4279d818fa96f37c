package dev.overnight.core.doctor.internal;

import dev.overnight.core.doctor.DoctorReport.SystemInfo;
import dev.overnight.core.platform.OsFamily;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.function.IntSupplier;

/**
 * Records the operating system and JVM Overnight runs on, and Overnight's own version. Never raises
 * a problem: it only says where the rest of the report was made.
 */
public final class SystemInfoCheck implements DoctorCheck {
  private final Properties properties;
  private final IntSupplier processors;
  private final Optional<String> overnightVersion;

  /**
   * Reads the system from the given sources when it runs.
   *
   * @param properties system properties such as {@code os.name} and {@code java.version}
   * @param processors how many processors are available
   * @param overnightVersion Overnight's version; empty in a development build
   */
  public SystemInfoCheck(
      Properties properties, IntSupplier processors, Optional<String> overnightVersion) {
    this.properties = Objects.requireNonNull(properties, "properties");
    this.processors = Objects.requireNonNull(processors, "processors");
    this.overnightVersion = Objects.requireNonNull(overnightVersion, "overnightVersion");
  }

  /** The running JVM, as it is when the check runs. */
  public static SystemInfoCheck ofThisJvm(Optional<String> overnightVersion) {
    return new SystemInfoCheck(
        System.getProperties(), Runtime.getRuntime()::availableProcessors, overnightVersion);
  }

  @Override
  public void run(Findings findings) {
    findings.reportSystem(
        new SystemInfo(
            property("os.name"),
            property("os.version"),
            property("os.arch"),
            OsFamily.of(properties.getProperty("os.name", "")).name(),
            property("java.version"),
            property("java.vendor"),
            property("java.home"),
            processors.getAsInt(),
            overnightVersion.orElse("development")));
  }

  private String property(String key) {
    return properties.getProperty(key, "?");
  }
}
