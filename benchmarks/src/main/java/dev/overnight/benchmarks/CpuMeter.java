package dev.overnight.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;

/**
 * CPU time used by this JVM and a local PostgreSQL server together (its postmaster, its live
 * backends, and the backends it has already reaped), from {@code /proc}: on a machine shared with
 * other work, work per CPU second swings much less with the load than work per wall second. Linux
 * only; elsewhere {@link #seconds()} counts this JVM alone.
 */
final class CpuMeter {

  /** The kernel's clock ticks per second in {@code /proc/PID/stat} (USER_HZ). */
  private static final double TICKS_PER_SECOND = 100;

  private static final OperatingSystemMXBean OS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private final long postmaster;

  private CpuMeter(long postmaster) {
    this.postmaster = postmaster;
  }

  /** A meter for this JVM plus the server behind {@code url}. */
  static CpuMeter of(String url, String user) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, user, null);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      long backend = rs.getLong(1);
      List<Long> stat = stat(backend);
      return new CpuMeter(stat.isEmpty() ? -1 : stat.get(1));
    }
  }

  /** CPU seconds so far: this JVM's plus the server's. */
  double seconds() {
    return OS.getProcessCpuTime() / 1e9 + serverSeconds();
  }

  /**
   * The server's CPU seconds so far (postmaster, backends, background workers, reaped children); 0
   * where {@code /proc} cannot tell. Resolution: the kernel's clock tick (10 ms).
   */
  double serverSeconds() {
    if (postmaster < 0) {
      return 0;
    }
    long ticks = 0;
    List<Long> main = stat(postmaster);
    if (!main.isEmpty()) {
      ticks += main.get(11) + main.get(12) + main.get(13) + main.get(14);
    }
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.toList()) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        List<Long> child = stat(Long.parseLong(name));
        if (!child.isEmpty() && child.get(1) == postmaster) {
          ticks += child.get(11) + child.get(12);
        }
      }
    } catch (IOException e) {
      return 0;
    }
    return ticks / TICKS_PER_SECOND;
  }

  /**
   * The numeric fields of {@code /proc/PID/stat} after the command name, from the state on (index 1
   * is the parent's pid, 11 and 12 user and system time, 13 and 14 those of reaped children); empty
   * when the process is gone.
   */
  private static List<Long> stat(long pid) {
    try {
      String line = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
      return Stream.of(fields)
          .limit(15)
          .map(f -> f.chars().allMatch(Character::isDigit) ? Long.parseLong(f) : 0L)
          .toList();
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }
}
