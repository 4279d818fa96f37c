package dev.overnight.benchmarks;

/** One benchmark, run by {@link Main} under its name. */
interface Benchmark {

  /**
   * Measures, prints the figures, ends with one {@code NAME: key=value ...} line and writes {@code
   * benchmarks/results/NAME.json} through {@link Results}.
   *
   * @param quick finish in under a minute, with shorter windows
   */
  void run(boolean quick) throws Exception;
}
