package dev.overnight.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import dev.overnight.api.config.Schedule;
import dev.overnight.api.schedule.SchedulerEvent;
import dev.overnight.core.schedule.DefaultScheduler;
import dev.overnight.core.spi.ProviderLoader;
import dev.overnight.core.time.CompressedTimeSource;
import dev.overnight.core.time.SystemTimeSource;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The scheduler on real time: how late it wakes, and what it costs while it waits.
 *
 * <ul>
 *   <li><b>Wake lateness</b>: a {@link DefaultScheduler} on {@link SystemTimeSource} with its own
 *       timer and cycle threads, under {@code * * * * *} on a calendar compressed so one minute
 *       lasts 50 ms (30 ms with {@code --quick}); lateness is when the cycle callback starts (or
 *       the occurrence is skipped because the previous cycle still runs) minus when the occurrence
 *       was due, in real time. Beside it, the bare time source (action on the timer thread) and the
 *       JDK's {@link ScheduledThreadPoolExecutor} at the same cadence, as the baseline.
 *   <li><b>Idle CPU</b>: a scheduler whose next wake is hours away, left alone; the CPU time of its
 *       threads (ThreadMXBean), and the whole process's against an idle JVM of the same run.
 * </ul>
 */
final class SchedulerBenchmark implements Benchmark {
  private static final int WARMUP = 30;

  private long cadenceMs;

  @Override
  public void run(boolean quick) throws Exception {
    cadenceMs = quick ? 30 : 50;
    double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    int wakes = quick ? 200 : 1000;
    Duration idle = quick ? Duration.ofSeconds(15) : Duration.ofSeconds(60);
    Duration idleBaseline = quick ? Duration.ofSeconds(10) : Duration.ofSeconds(60);
    System.out.printf(
        Locale.ROOT,
        "scheduler benchmark: %d wakes every %d ms (a per-minute cron on a compressed calendar);"
            + " idle %d s (baseline %d s)%n",
        wakes,
        cadenceMs,
        idle.toSeconds(),
        idleBaseline.toSeconds());

    long[][] measured = lateness(wakes);
    long[] scheduler = measured[0];
    long[] timer = measured[2];
    long[] jdk = measured[3];
    Map<String, Object> jdkP = Results.percentiles(jdk);
    Map<String, Object> timerP = Results.percentiles(timer);
    Map<String, Object> schedulerP = Results.percentiles(scheduler);
    Map<String, Object> handOffP = Results.percentiles(measured[1]);
    Map<String, Object> firedP = Results.percentiles(measured[4]);
    print("scheduler due -> cycle start (or skip)", schedulerP);
    print("  its timer: due -> fired", firedP);
    print("  its hand-off: timer fired -> cycle start/skip", handOffP);
    print("time source wake -> action", timerP);
    print("JDK ScheduledThreadPoolExecutor (baseline)", jdkP);

    double baselineCpu = processCpuPerMinute(idleBaseline);
    double[] idleCpu = new double[2];
    idleSchedulerCpu(idle, idleCpu);
    System.out.printf(
        Locale.ROOT,
        "idle scheduler threads: %.3f ms CPU per minute; process %.1f ms/min (idle JVM %.1f"
            + " ms/min)%n",
        idleCpu[0],
        idleCpu[1],
        baselineCpu);

    double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    System.out.printf(
        Locale.ROOT,
        "system load average: %.2f before, %.2f after, on %d cores (tails depend on it)%n",
        loadBefore,
        loadAfter,
        Runtime.getRuntime().availableProcessors());
    double p50 = (double) schedulerP.get("p50_ms");
    double p99 = (double) schedulerP.get("p99_ms");
    double jdkP99 = (double) jdkP.get("p99_ms");
    double ratio = jdkP99 > 0 ? p99 / jdkP99 : Double.NaN;
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("benchmark", "scheduler");
    figures.put("quick", quick);
    figures.put("java", System.getProperty("java.version"));
    figures.put("cores", Runtime.getRuntime().availableProcessors());
    figures.put("load_average_before", round(loadBefore));
    figures.put("load_average_after", round(loadAfter));
    figures.put("cadence_ms", cadenceMs);
    figures.put("wake_lateness_scheduler", schedulerP);
    figures.put("scheduler_timer_fired", firedP);
    figures.put("timer_to_cycle_start", handOffP);
    figures.put("wake_lateness_time_source", timerP);
    figures.put("wake_lateness_jdk_baseline", jdkP);
    figures.put("lateness_p99_vs_jdk", round(ratio));
    figures.put("idle_window_s", idle.toSeconds());
    figures.put("idle_cpu_ms_per_min", round(idleCpu[0]));
    figures.put("idle_process_cpu_ms_per_min", round(idleCpu[1]));
    figures.put("idle_jvm_process_cpu_ms_per_min", round(baselineCpu));
    figures.put("target_lateness_p99_ms", 20);
    figures.put("target_idle_cpu_ms_per_min", 50);
    System.out.println("results: " + Results.write("scheduler", figures));
    System.out.printf(
        Locale.ROOT,
        "scheduler: lateness_p50_ms=%.3f lateness_p99_ms=%.3f idle_cpu_ms_per_min=%.3f"
            + " lateness_p99_vs_jdk=%.2f idle_process_cpu_ms_per_min=%.1f"
            + " idle_jvm_process_cpu_ms_per_min=%.1f load_average=%.2f%n",
        p50,
        p99,
        idleCpu[0],
        ratio,
        idleCpu[1],
        baselineCpu,
        loadAfter);
  }

  /**
   * Three streams of wakes at the same cadence, interleaved in each period so that all three see
   * the same machine: the scheduler's cycle starts (and skips) under a per-minute cron on a fast
   * calendar; a bare time source's actions; the JDK's scheduled executor. Returns the lateness
   * samples {scheduler, its timer-fired-to-start, time source, JDK, its timer firing}.
   */
  private long[][] lateness(int wakes) throws Exception {
    long[] samples = new long[wakes];
    long[] handOff = new long[wakes];
    long[] fired = new long[wakes];
    AtomicInteger skippedAfterWarmup = new AtomicInteger();
    long factor = Duration.ofMinutes(1).toMillis() / cadenceMs;
    AtomicInteger seen = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(3);
    Clock clock = Clock.systemUTC();
    ScheduledThreadPoolExecutor jdkExecutor = new ScheduledThreadPoolExecutor(1);
    try (SystemTimeSource schedulerTimer = SystemTimeSource.create();
        SystemTimeSource bareTimer = SystemTimeSource.create()) {
      CompressedTimeSource time =
          new CompressedTimeSource(schedulerTimer, factor, Instant.parse("2026-06-10T00:00:00Z"));
      DefaultScheduler scheduler =
          DefaultScheduler.builder()
              .id("benchmark")
              .schedule(Schedule.cron("* * * * *").withTimezone(ZoneOffset.UTC))
              .timeSource(time)
              .providerLoader(ProviderLoader.none())
              .shutdownHook(false)
              .lateTolerance(Duration.ofDays(1)) // measure lateness, never skip for it
              .listener(
                  e -> {
                    // A wake that found the previous cycle still running is a sample too:
                    // leaving it out would hide the slow cases.
                    if (e instanceof SchedulerEvent.CycleSkipped skip) {
                      int i = seen.getAndIncrement() - WARMUP;
                      if (i >= 0 && i < wakes) {
                        skippedAfterWarmup.incrementAndGet();
                      }
                      record(
                          samples, handOff, fired, i, wakes, done, time, skip.plannedAt(), clock);
                    }
                  })
              .cycleRunner(
                  ctx ->
                      record(
                          samples,
                          handOff,
                          fired,
                          seen.getAndIncrement() - WARMUP,
                          wakes,
                          done,
                          time,
                          ctx.plannedAt(),
                          clock))
              .build();
      Instant origin = time.realOrigin();
      long[] bare = bareTimerStream(bareTimer, origin.plusMillis(cadenceMs / 3), wakes, done);
      long[] jdk = jdkStream(jdkExecutor, origin.plusMillis(2 * cadenceMs / 3), wakes, done, clock);
      scheduler.start();
      if (!done.await(wakes * cadenceMs * 10 + 30_000, TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("the wakes did not all arrive");
      }
      scheduler.stop();
      System.out.println(
          "  ("
              + skippedAfterWarmup.get()
              + " of the measured scheduler wakes found the previous cycle still running; they"
              + " count at the moment they were skipped)");
      return new long[][] {samples, handOff, bare, jdk, fired};
    } finally {
      jdkExecutor.shutdownNow();
    }
  }

  private static void record(
      long[] samples,
      long[] handOff,
      long[] fired,
      int i,
      int wakes,
      CountDownLatch done,
      CompressedTimeSource time,
      Instant plannedAt,
      Clock clock) {
    Instant now = clock.instant();
    if (i >= 0 && i < wakes) {
      samples[i] = Duration.between(time.toReal(plannedAt), now).toNanos();
      handOff[i] = Duration.between(time.lastFired(), now).toNanos();
      fired[i] = Duration.between(time.toReal(plannedAt), time.lastFired()).toNanos();
      if (i == wakes - 1) {
        done.countDown();
      }
    }
  }

  /** Bare time-source actions from {@code first} on, each scheduling the next one period on. */
  private long[] bareTimerStream(
      SystemTimeSource time, Instant first, int wakes, CountDownLatch done) {
    long[] samples = new long[wakes];
    Clock clock = Clock.systemUTC();
    AtomicInteger n = new AtomicInteger();
    Runnable[] step = new Runnable[1];
    step[0] =
        () -> {
          int k = n.getAndIncrement();
          Instant due = first.plusMillis(k * cadenceMs);
          int i = k - WARMUP;
          if (i >= 0 && i < wakes) {
            samples[i] = Duration.between(due, clock.instant()).toNanos();
          }
          if (i == wakes - 1) {
            done.countDown();
            return;
          }
          time.schedule(due.plusMillis(cadenceMs), step[0]);
        };
    time.schedule(first, step[0]);
    return samples;
  }

  /** The JDK's scheduled executor at the same cadence, against the same wall clock. */
  private long[] jdkStream(
      ScheduledThreadPoolExecutor executor,
      Instant first,
      int wakes,
      CountDownLatch done,
      Clock clock) {
    long[] samples = new long[wakes];
    AtomicInteger n = new AtomicInteger();
    Runnable[] step = new Runnable[1];
    step[0] =
        () -> {
          int k = n.getAndIncrement();
          Instant due = first.plusMillis(k * cadenceMs);
          int i = k - WARMUP;
          if (i >= 0 && i < wakes) {
            samples[i] = Duration.between(due, clock.instant()).toNanos();
          }
          if (i == wakes - 1) {
            done.countDown();
            return;
          }
          long delay = Duration.between(clock.instant(), due.plusMillis(cadenceMs)).toNanos();
          executor.schedule(step[0], Math.max(0, delay), TimeUnit.NANOSECONDS);
        };
    executor.schedule(
        step[0],
        Math.max(0, Duration.between(clock.instant(), first).toNanos()),
        TimeUnit.NANOSECONDS);
    return samples;
  }

  /**
   * A scheduler whose next wake is hours away, left alone for {@code window}: CPU per minute of its
   * own threads ({@code out[0]}) and of the whole process ({@code out[1]}).
   */
  private static void idleSchedulerCpu(Duration window, double[] out) throws Exception {
    DefaultScheduler scheduler =
        DefaultScheduler.builder()
            .id("idle")
            .schedule(Schedule.cron("0 3 * * *").withTimezone(ZoneOffset.UTC))
            .providerLoader(ProviderLoader.none())
            .cycleRunner(ctx -> {})
            .build();
    scheduler.start();
    try {
      Thread.sleep(1000); // let start-up settle before measuring
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      Map<Long, Long> before = schedulerThreadCpu(threads);
      out[1] = processCpuPerMinute(window);
      Map<Long, Long> after = schedulerThreadCpu(threads);
      long used = 0;
      for (Map.Entry<Long, Long> e : after.entrySet()) {
        used += e.getValue() - before.getOrDefault(e.getKey(), 0L);
      }
      out[0] = used / 1e6 * (60.0 / window.toSeconds());
      if (after.isEmpty()) {
        throw new IllegalStateException("no scheduler thread found to measure");
      }
    } finally {
      scheduler.stop();
    }
  }

  private static Map<Long, Long> schedulerThreadCpu(ThreadMXBean threads) {
    Map<Long, Long> cpu = new LinkedHashMap<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("overnight-")) {
        long nanos = threads.getThreadCpuTime(t.getId());
        if (nanos >= 0) {
          cpu.put(t.getId(), nanos);
        }
      }
    }
    return cpu;
  }

  /** The whole process's CPU per minute while this thread sleeps for {@code window}. */
  private static double processCpuPerMinute(Duration window) throws InterruptedException {
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    System.gc();
    long start = os.getProcessCpuTime();
    Thread.sleep(window.toMillis());
    long used = os.getProcessCpuTime() - start;
    return used / 1e6 * (60.0 / window.toSeconds());
  }

  private static void print(String what, Map<String, Object> p) {
    System.out.printf(
        Locale.ROOT,
        "  %-44s p50 %7.3f ms  p99 %7.3f ms  max %7.3f ms  (%s wakes)%n",
        what,
        p.get("p50_ms"),
        p.get("p99_ms"),
        p.get("max_ms"),
        p.get("samples"));
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
