package dev.overnight.benchmarks;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs one benchmark by name: {@code Main NAME [--quick]}. Each benchmark prints its figures, ends
 * with one summary line {@code NAME: key=value ...} and writes {@code
 * benchmarks/results/NAME.json}.
 */
public final class Main {
  private static final Map<String, Benchmark> BENCHMARKS = new TreeMap<>();

  static {
    BENCHMARKS.put("acp", AcpBenchmark::run);
    BENCHMARKS.put("daemon", DaemonBenchmark::run);
    BENCHMARKS.put(
        "fleet",
        quick -> {
          Result r = new FleetBenchmark().run(quick);
          Results.publish("fleet", r.summary(), r.details());
        });
    BENCHMARKS.put(
        "fleet-wake",
        quick -> {
          Result r = new FleetBenchmark().wakeOnly(quick);
          Results.publish("fleet-wake", r.summary(), r.details());
        });
    BENCHMARKS.put(
        "fleet-profile",
        quick -> {
          Result r = new FleetProfile().run(quick);
          Results.publish("fleet-profile", r.summary(), r.details());
        });
    BENCHMARKS.put(
        "queue",
        quick -> {
          Result r = new QueueBenchmark().run(quick);
          Results.publish("queue", r.summary(), r.details());
        });
    BENCHMARKS.put(
        "queue-profile",
        quick -> {
          Result r = new QueueProfile().run(quick);
          Results.publish("queue-profile", r.summary(), r.details());
        });
    BENCHMARKS.put("scheduler", quick -> new SchedulerBenchmark().run(quick));
  }

  private Main() {}

  /** Entry point. */
  public static void main(String[] args) throws Exception {
    if (args.length >= 1 && args[0].equals("overlap")) {
      OverlapBenchmark.run(Arrays.asList(args).subList(1, args.length));
      System.exit(0);
    }
    if (args.length >= 1 && args[0].equals("decisions")) {
      DecisionsBenchmark.run(Arrays.asList(args).subList(1, args.length));
      System.exit(0);
    }
    if (args.length < 1 || !BENCHMARKS.containsKey(args[0])) {
      System.err.println(
          "usage: benchmarks/run NAME [--quick]; NAME is one of "
              + BENCHMARKS.keySet()
              + ", or benchmarks/run decisions|overlap REPO... [--quick]");
      System.exit(2);
    }
    boolean quick = Arrays.asList(args).contains("--quick");
    BENCHMARKS.get(args[0]).run(quick);
    System.exit(0);
  }
}
