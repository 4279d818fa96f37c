package dev.overnight.benchmarks;

import dev.overnight.core.json.OvernightJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where benchmarks put their figures: the summary line, {@code benchmarks/results/NAME.json}, and
 * percentile helpers.
 */
final class Results {
  private Results() {}

  /** The results folder ({@code benchmarks/results}, or the system property's). */
  static Path directory() throws IOException {
    Path dir = Path.of(System.getProperty("overnight.benchmarks.results", "benchmarks/results"));
    Files.createDirectories(dir);
    return dir;
  }

  /**
   * Writes {@code NAME.json} with the summary and details, and prints the one summary line {@code
   * NAME: key=value ...}.
   */
  static void publish(String name, Map<String, Object> summary, Map<String, Object> details)
      throws IOException {
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("benchmark", name);
    all.put("summary", summary);
    all.putAll(details);
    OvernightJson.pretty().writeValue(directory().resolve(name + ".json").toFile(), all);
    System.out.println(
        name
            + ": "
            + summary.entrySet().stream()
                .map(e -> e.getKey() + "=" + format(e.getValue()))
                .collect(Collectors.joining(" ")));
  }

  /** Writes the figures as pretty JSON and returns the file. */
  static Path write(String name, Map<String, Object> figures) throws IOException {
    Path file = directory().resolve(name + ".json");
    OvernightJson.pretty().writeValue(file.toFile(), figures);
    return file;
  }

  /** A figure as the summary line shows it: two decimals, none from 100 up. */
  static String format(Object v) {
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      return Math.abs(d) >= 100
          ? String.format(Locale.ROOT, "%.0f", d)
          : String.format(Locale.ROOT, "%.2f", d);
    }
    return String.valueOf(v);
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
