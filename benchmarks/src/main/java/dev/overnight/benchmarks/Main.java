package dev.overnight.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Runs one benchmark by name: {@code benchmarks/run NAME [--quick]}. Prints its figures, then one
 * summary line {@code NAME: key=value ...}, and writes {@code benchmarks/results/NAME.json}.
 */
public final class Main {

  private static final Map<String, Supplier<Benchmark>> BENCHMARKS = new LinkedHashMap<>();

  static {
    BENCHMARKS.put("queue", QueueBenchmark::new);
  }

  private Main() {}

  /** Entry point. */
  public static void main(String[] args) throws Exception {
    String name = null;
    boolean quick = false;
    for (String arg : args) {
      if (arg.equals("--quick")) {
        quick = true;
      } else if (name == null) {
        name = arg;
      } else {
        usage("unexpected argument " + arg);
      }
    }
    if (name == null || !BENCHMARKS.containsKey(name)) {
      usage(name == null ? "name a benchmark" : "no benchmark named " + name);
      return;
    }
    Result result = BENCHMARKS.get(name).get().run(quick);

    Map<String, Object> json = new LinkedHashMap<>();
    json.put("benchmark", name);
    json.put("quick", quick);
    json.put("finished_at", Instant.now().toString());
    json.put("java", System.getProperty("java.vm.name") + " " + Runtime.version());
    json.put("cores", Runtime.getRuntime().availableProcessors());
    json.put("summary", result.summary());
    json.putAll(result.details());
    Path out = Path.of("benchmarks", "results", name + ".json");
    Files.createDirectories(out.getParent());
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), json);

    System.out.println("results written to " + out);
    System.out.println(
        name
            + ": "
            + result.summary().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" ")));
  }

  private static void usage(String problem) {
    System.err.println(problem);
    System.err.println("usage: benchmarks/run NAME [--quick]; benchmarks: " + BENCHMARKS.keySet());
    System.exit(2);
  }
}
