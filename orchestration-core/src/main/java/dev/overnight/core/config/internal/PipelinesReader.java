package dev.overnight.core.config.internal;

import dev.overnight.api.config.PipelineSettings;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the config's {@code pipelines} section: {@code allowed_programs}, the programs a pipeline's
 * command steps may run. Each must be a program's bare name or an absolute path — a word a
 * manifest's command starts with — never a command line, a relative path or a template, so that
 * what the user allowed is exactly what runs.
 */
final class PipelinesReader {
  /** A bare program name ({@code mvn}, {@code npm}, {@code ./gradlew} is a relative path). */
  private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9_][A-Za-z0-9._+-]*$");

  private final Problems problems;

  PipelinesReader(Problems problems) {
    this.problems = problems;
  }

  PipelineSettings read(JsonObject root) {
    Optional<JsonObject> section = root.object("pipelines");
    if (section.isEmpty()) {
      return PipelineSettings.defaults();
    }
    JsonObject o = section.get();
    if (!o.has("allowed_programs")) {
      o.finish();
      return PipelineSettings.defaults();
    }
    List<String> programs = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    List<String> given =
        o.list(
            "allowed_programs",
            (node, path) -> {
              if (!node.isTextual()) {
                problems.add(path, "expected a string but found " + JsonObject.describe(node));
                return null;
              }
              String p = node.asText();
              if (p.isBlank()) {
                problems.add(path, "must not be empty");
              } else if (!NAME.matcher(p).matches() && !isAbsolute(p)) {
                problems.add(
                    path,
                    "must be a program's name (e.g. \"mvn\") or an absolute path, not a command"
                        + " line, a relative path or a template");
              } else if (!seen.add(p)) {
                problems.add(path, "is listed twice");
              } else {
                return p;
              }
              return null;
            });
    programs.addAll(given);
    o.finish();
    return PipelineSettings.allowing(programs);
  }

  private static boolean isAbsolute(String p) {
    return p.startsWith("/") && !p.contains(" ") && !p.contains("${") && !p.contains("/../");
  }
}
