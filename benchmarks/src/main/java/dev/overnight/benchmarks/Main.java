package dev.overnight.benchmarks;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs one benchmark by name: {@code Main NAME [--quick]}. Each benchmark prints its figures, ends
 * with one summary line {@code NAME: key=value ...} and writes {@code
 * benchmarks/results/NAME.json}.
 */
public final class Main {

  /** A benchmark runnable by name. */
  @FunctionalInterface
  interface Benchmark {
    /** Runs and reports; {@code quick} finishes in under a minute. */
    void run(boolean quick) throws Exception;
  }

  private static final Map<String, Benchmark> BENCHMARKS = new LinkedHashMap<>();

  static {
    BENCHMARKS.put("acp", AcpBenchmark::run);
  }

  private Main() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1 || !BENCHMARKS.containsKey(args[0])) {
      System.err.println(
          "usage: benchmarks/run NAME [--quick]; known benchmarks: " + BENCHMARKS.keySet());
      System.exit(2);
    }
    boolean quick = Arrays.asList(args).contains("--quick");
    BENCHMARKS.get(args[0]).run(quick);
    System.exit(0);
  }
}
