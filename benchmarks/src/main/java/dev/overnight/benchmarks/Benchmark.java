package dev.overnight.benchmarks;

/** One benchmark runnable by {@code benchmarks/run NAME [--quick]}. */
interface Benchmark {

  /**
   * Runs the benchmark, prints its figures, and returns its result; {@link Main} prints the summary
   * line and writes the JSON.
   *
   * @param quick finish in under a minute
   */
  Result run(boolean quick) throws Exception;
}
