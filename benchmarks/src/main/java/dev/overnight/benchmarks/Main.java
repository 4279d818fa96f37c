package dev.overnight.benchmarks;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/** Runs a benchmark by name: {@code Main NAME [--quick]}. */
public final class Main {
  private static final Map<String, Supplier<Benchmark>> BENCHMARKS = new TreeMap<>();

  static {
    BENCHMARKS.put("scheduler", SchedulerBenchmark::new);
  }

  private Main() {}

  /** Entry point. */
  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    if (args.length < 1 || !BENCHMARKS.containsKey(args[0])) {
      System.err.println(
          "usage: benchmarks/run NAME [--quick]; NAME is one of " + BENCHMARKS.keySet());
      System.exit(2);
    }
    boolean quick = Arrays.asList(args).contains("--quick");
    BENCHMARKS.get(args[0]).get().run(quick);
  }
}
