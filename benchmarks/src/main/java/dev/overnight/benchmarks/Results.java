package dev.overnight.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Writes a benchmark's figures: the summary line and {@code benchmarks/results/NAME.json}. */
final class Results {
  private Results() {}

  static void publish(String name, Map<String, Object> summary, Map<String, Object> details)
      throws Exception {
    Path dir = Path.of("benchmarks", "results");
    Files.createDirectories(dir);
    Map<String, Object> all = new java.util.LinkedHashMap<>();
    all.put("benchmark", name);
    all.put("summary", summary);
    all.putAll(details);
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(dir.resolve(name + ".json").toFile(), all);
    System.out.println(
        name
            + ": "
            + summary.entrySet().stream()
                .map(e -> e.getKey() + "=" + format(e.getValue()))
                .collect(Collectors.joining(" ")));
  }

  static String format(Object v) {
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      return Math.abs(d) >= 100
          ? String.format(Locale.ROOT, "%.0f", d)
          : String.format(Locale.ROOT, "%.2f", d);
    }
    return String.valueOf(v);
  }
}
