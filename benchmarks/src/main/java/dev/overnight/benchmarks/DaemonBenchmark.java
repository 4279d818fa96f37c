package dev.overnight.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The daemon's footprint: {@code overnight run} started as a real process with the dashboard, on a
 * schedule that does not fire during the measured hour. Measures the time from process start to the
 * scheduler running, then, after an hour of compressed night (60 s of real time at 60x, or 20 s at
 * 180x with {@code --quick}), the resident memory, the heap in use and the CPU spent idling.
 *
 * <p>The daemon runs with the JVM options of the {@code ./overnight} launcher's defaults plus
 * {@code OVERNIGHT_JAVA_OPTS} when set. Targets: start ≤ 1 s, idle RSS ≤ 120 MB.
 */
final class DaemonBenchmark {
  private DaemonBenchmark() {}

  static void run(boolean quick) throws Exception {
    Path dir = Files.createTempDirectory("overnight-daemon-bench");
    Path repo = Files.createDirectories(dir.resolve("repo"));
    exec(repo, "git", "init", "-q", "-b", "main");
    exec(
        repo,
        "git",
        "-c",
        "user.email=b@b",
        "-c",
        "user.name=b",
        "commit",
        "-q",
        "--allow-empty",
        "-m",
        "init");
    int quietHour = ZonedDateTime.now().plusHours(12).getHour();
    Path config = dir.resolve("overnight.json");
    Files.writeString(
        config,
        "{\"id\":\"bench\",\"workspace_root\":\""
            + repo
            + "\",\"state_dir\":\""
            + dir.resolve("state")
            + "\","
            + "\"schedule\":{\"expression\":\"0 "
            + quietHour
            + " * * *\"}}");
    long scale = quick ? 180 : 60;
    long idleSeconds = 3600 / scale;

    Path launcher = Path.of("overnight").toAbsolutePath();
    // The launcher rebuilds a stale jar and records its class data archive on the first demo: do
    // both before measuring, as a user's second start would find them.
    exec(Path.of("").toAbsolutePath(), launcher.toString(), "--version");
    exec(
        Path.of("").toAbsolutePath(),
        launcher.toString(),
        "demo",
        "--fast",
        "--dir",
        dir.resolve("warm").toString());
    List<String> command =
        new ArrayList<>(
            List.of(
                launcher.toString(),
                "run",
                "--config",
                config.toString(),
                "--time-scale",
                String.valueOf(scale),
                "--quiet"));
    String opts = System.getenv().getOrDefault("OVERNIGHT_JAVA_OPTS", "(launcher defaults)");
    long launched = System.nanoTime();
    Process daemon = new ProcessBuilder(command).redirectErrorStream(true).start();
    long startMs;
    long dashboardMs;
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(daemon.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = out.readLine()) != null && !line.contains(" is running (pid ")) {
        // Start-up lines until the scheduler runs.
      }
      if (line == null) {
        throw new IllegalStateException("the daemon exited before running");
      }
      startMs = (System.nanoTime() - launched) / 1_000_000;
      while ((line = out.readLine()) != null && !line.contains("  dashboard  ")) {
        // Until the dashboard serves.
      }
      dashboardMs = (System.nanoTime() - launched) / 1_000_000;
      Thread drain =
          new Thread(
              () -> {
                try {
                  while (out.readLine() != null) {
                    // Keep the pipe from filling.
                  }
                } catch (IOException e) {
                  // The daemon stopped.
                }
              });
      drain.setDaemon(true);
      drain.start();

      long pid = daemon.pid();
      long cpuBefore = cpuMillis(pid);
      long idleStart = System.nanoTime();
      TimeUnit.SECONDS.sleep(idleSeconds); // a benchmark measuring an idle hour must let it pass
      long cpuAfter = cpuMillis(pid);
      double minutes = (System.nanoTime() - idleStart) / 60e9;
      double rssMb = rssKb(pid) / 1024.0;
      double heapMb = heapUsedKb(pid) / 1024.0;
      double idleCpuPerMin = (cpuAfter - cpuBefore) / minutes;

      System.out.printf(
          "start to running: %d ms; dashboard serving at %d ms%n", startMs, dashboardMs);
      System.out.printf(
          "after an hour of virtual night (%d s real at %dx): RSS %.1f MB, heap used %.1f MB, idle CPU %.1f ms/min%n",
          idleSeconds, scale, rssMb, heapMb, idleCpuPerMin);
      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("start_ms", startMs);
      summary.put("dashboard_ms", dashboardMs);
      summary.put("idle_rss_mb", round(rssMb));
      summary.put("idle_heap_mb", round(heapMb));
      summary.put("idle_cpu_ms_per_min", round(idleCpuPerMin));
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("quick", quick);
      details.put("time_scale", scale);
      details.put("idle_real_seconds", idleSeconds);
      details.put("java_opts", opts);
      details.put("targets", Map.of("start_ms", 1000, "idle_rss_mb", 120));
      Results.publish("daemon", summary, details);
    } finally {
      daemon.toHandle().destroy();
      daemon.waitFor(60, TimeUnit.SECONDS);
      daemon.destroyForcibly();
    }
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }

  /** User plus system CPU of a process, from /proc/PID/stat (clock ticks of 10 ms). */
  private static long cpuMillis(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
  }

  private static long rssKb(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  /** Heap in use, as {@code jcmd PID GC.heap_info} reports it. */
  private static long heapUsedKb(long pid) throws Exception {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p =
        new ProcessBuilder(jcmd.toString(), String.valueOf(pid), "GC.heap_info")
            .redirectErrorStream(true)
            .start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(30, TimeUnit.SECONDS);
    Matcher m = Pattern.compile("total \\d+K, used (\\d+)K").matcher(text);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  private static void exec(Path dir, String... command) throws Exception {
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed");
    }
  }
}
