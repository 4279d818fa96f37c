package dev.overnight.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Where benchmarks put their figures: {@code benchmarks/results/NAME.json}, and percentiles. */
final class Results {
  private Results() {}

  /** Writes the figures as pretty JSON and returns the file. */
  static Path write(String name, Map<String, Object> figures) throws IOException {
    Path dir = Path.of(System.getProperty("overnight.benchmarks.results", "benchmarks/results"));
    Files.createDirectories(dir);
    Path file = dir.resolve(name + ".json");
    new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), figures);
    return file;
  }

  /** p50, p99 and max of samples in nanoseconds, as milliseconds with three decimals. */
  static Map<String, Object> percentiles(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("samples", sorted.length);
    p.put("p50_ms", ms(at(sorted, 0.50)));
    p.put("p99_ms", ms(at(sorted, 0.99)));
    p.put("max_ms", ms(sorted[sorted.length - 1]));
    return p;
  }

  /** The nearest-rank percentile. */
  static long at(long[] sorted, double q) {
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  static double ms(long nanos) {
    return Math.round(nanos / 1_000.0) / 1_000.0;
  }
}
