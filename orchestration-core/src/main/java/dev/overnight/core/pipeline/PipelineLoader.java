package dev.overnight.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.overnight.api.config.ConfigException;
import dev.overnight.api.config.ConfigProblem;
import dev.overnight.api.config.PermissionMode;
import dev.overnight.api.config.SpendingLimit;
import dev.overnight.api.pipeline.OperationParameters;
import dev.overnight.api.pipeline.PipelineOperation;
import dev.overnight.api.pipeline.StepStatus;
import dev.overnight.core.config.internal.JsonObject;
import dev.overnight.core.config.internal.Problems;
import dev.overnight.core.config.internal.Suggestions;
import dev.overnight.core.json.OvernightJson;
import dev.overnight.core.pipeline.internal.Templates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads and validates pipeline manifests, in JSON or YAML (a document starting with <code>{</code>
 * is JSON), the way the config loader reads configs: every problem in the document at once, each
 * with its JSON Pointer and a plain reason, unknown keys with a "did you mean". Beyond the shape it
 * checks what only the whole manifest can say: step ids are unique, {@code op} names an operation
 * that exists and {@code with} only keys it understands, templates and conditions name declared
 * inputs and earlier steps.
 *
 * <p>The schema of the format is {@code docs/schema/pipeline.schema.json}. Immutable and
 * thread-safe; the only exception thrown for a bad document is {@link ConfigException}.
 *
 * @since 0.1.0
 */
public final class PipelineLoader {
  /** The largest manifest read: far above any real one. */
  public static final int MAX_BYTES = 256 * 1024;

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,63}");
  private static final Pattern STEP_ID = Pattern.compile("[a-z][a-z0-9_-]{0,63}");
  private static final Pattern INPUT_NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

  private final Map<String, OperationParameters> operations;

  private PipelineLoader(Map<String, OperationParameters> operations) {
    this.operations = operations;
  }

  /** A loader that knows {@code operations} (the first of a name wins). */
  public static PipelineLoader of(Collection<? extends PipelineOperation> operations) {
    Map<String, OperationParameters> known = new TreeMap<>();
    operations.forEach(o -> known.putIfAbsent(o.name(), o.parameters()));
    return new PipelineLoader(known);
  }

  /** The SHA-256 of a manifest's text, in hex: the hash a user accepts. */
  public static String hash(String text) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /**
   * Reads a manifest file.
   *
   * @throws ConfigException for every problem in it, or if it cannot be read
   */
  public PipelineManifest load(Path file) {
    String text;
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new ConfigException(
            file.toString(), List.of(new ConfigProblem("", "larger than " + MAX_BYTES + " bytes")));
      }
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException(
          file.toString(), List.of(new ConfigProblem("", "cannot be read: " + e.getMessage())));
    }
    return read(file.toString(), text);
  }

  /**
   * Reads a manifest's text.
   *
   * @param source what it is, for messages (a file path, {@code builtin:NAME})
   * @throws ConfigException for every problem in it
   */
  public PipelineManifest read(String source, String text) {
    if (text.length() > MAX_BYTES) {
      throw new ConfigException(
          source, List.of(new ConfigProblem("", "larger than " + MAX_BYTES + " bytes")));
    }
    JsonNode root;
    try {
      root =
          text.stripLeading().startsWith("{")
              ? OvernightJson.read(text)
              : OvernightJson.readYaml(text);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(source, List.of(new ConfigProblem("", "is " + e.getMessage())));
    }
    Problems problems = new Problems();
    if (root == null || !root.isObject()) {
      problems.add(
          "",
          "expected an object but found " + (root == null ? "nothing" : JsonObject.describe(root)));
      problems.throwIfAny(source);
    }
    PipelineManifest m =
        new Reader(problems).manifest(new JsonObject(root, "", problems), hash(text));
    problems.throwIfAny(source);
    return m;
  }

  /** Reads one document, recording problems. */
  private final class Reader {
    private final Problems problems;

    Reader(Problems problems) {
      this.problems = problems;
    }

    PipelineManifest manifest(JsonObject o, String hash) {
      String name = o.requiredString("name").orElse("");
      if (o.has("name") && !name.isEmpty() && !NAME.matcher(name).matches()) {
        problems.add(
            o.pathOf("name"),
            "\"" + name + "\" is not a pipeline name: lower case letters, digits and '-'");
      }
      String description = o.string("description").orElse("");
      List<PipelineManifest.Input> inputs = o.object("inputs").map(this::inputs).orElse(List.of());
      PipelineManifest.Permissions permissions =
          o.object("permissions")
              .map(this::permissions)
              .orElse(PipelineManifest.Permissions.none());
      SpendingLimit budget = o.object("budget").map(this::budget).orElse(SpendingLimit.unbounded());
      if (!o.has("steps")) {
        o.missing("steps");
      }
      Set<String> inputNames = new LinkedHashSet<>();
      inputs.forEach(i -> inputNames.add(i.name()));
      List<String> earlier = new ArrayList<>();
      List<PipelineManifest.Step> steps =
          o.list(
              "steps",
              (node, path) -> {
                if (!node.isObject()) {
                  problems.add(path, "expected an object but found " + JsonObject.describe(node));
                  return null;
                }
                PipelineManifest.Step s =
                    step(new JsonObject(node, path, problems), inputNames, earlier);
                if (s != null) {
                  if (earlier.contains(s.id())) {
                    problems.add(path + "/id", "\"" + s.id() + "\" is the id of an earlier step");
                  }
                  earlier.add(s.id());
                }
                return s;
              });
      if (o.has("steps") && steps.isEmpty() && !problems.hasAt(o.pathOf("steps"))) {
        problems.add(o.pathOf("steps"), "must hold at least one step");
      }
      o.finish();
      return new PipelineManifest(name, description, inputs, permissions, budget, steps, hash);
    }

    private List<PipelineManifest.Input> inputs(JsonObject o) {
      List<PipelineManifest.Input> inputs = new ArrayList<>();
      for (String key : o.keys()) {
        String path = o.pathOf(key);
        if (!INPUT_NAME.matcher(key).matches()) {
          problems.add(
              path, "\"" + key + "\" is not an input name: lower case letters, digits and '_'");
        }
        Optional<JsonObject> spec = o.object(key);
        if (spec.isEmpty()) {
          continue;
        }
        JsonObject i = spec.get();
        String description = i.string("description").orElse("");
        Optional<String> dflt = i.string("default");
        boolean required = i.bool("required", dflt.isEmpty());
        if (required && dflt.isPresent()) {
          problems.add(i.pathOf("required"), "an input with a default is never required");
        }
        i.finish();
        inputs.add(new PipelineManifest.Input(key, description, required && dflt.isEmpty(), dflt));
      }
      return inputs;
    }

    private PipelineManifest.Permissions permissions(JsonObject p) {
      Optional<PermissionMode> mode =
          p.string("mode")
              .flatMap(
                  m -> {
                    Optional<PermissionMode> parsed = PermissionMode.parse(m);
                    if (parsed.isEmpty()) {
                      problems.add(
                          p.pathOf("mode"),
                          "\""
                              + m
                              + "\" is not a permission mode: read_only, unattended or allow_all");
                    }
                    return parsed;
                  });
      boolean fetch = p.bool("allow_fetch", false);
      boolean network = p.bool("allow_network", false);
      p.finish();
      return new PipelineManifest.Permissions(mode, fetch, network);
    }

    private SpendingLimit budget(JsonObject s) {
      Optional<Long> tokens = s.integer("tokens", 1, Long.MAX_VALUE, "a positive integer");
      Optional<Double> cost = s.number("cost_usd", 0.01, 1_000_000, "between 0.01 and 1000000");
      Optional<Long> seconds = s.integer("agent_seconds", 1, Long.MAX_VALUE, "a positive integer");
      s.finish();
      return new SpendingLimit(tokens, cost, seconds);
    }

    private PipelineManifest.Step step(JsonObject s, Set<String> inputs, List<String> earlier) {
      String id = s.requiredString("id").orElse("");
      if (!id.isEmpty() && !STEP_ID.matcher(id).matches()) {
        problems.add(
            s.pathOf("id"),
            "\"" + id + "\" is not a step id: lower case letters, digits, '_' and '-'");
      }
      String op = s.requiredString("op").orElse("");
      OperationParameters params = operations.get(op);
      if (!op.isEmpty() && params == null) {
        problems.add(
            s.pathOf("op"),
            Suggestions.closest(op, operations.keySet())
                .map(c -> "no operation \"" + op + "\"; did you mean \"" + c + "\"?")
                .orElse(
                    "no operation \""
                        + op
                        + "\"; known: "
                        + String.join(", ", operations.keySet())));
      }
      Map<String, String> with = new LinkedHashMap<>();
      s.object("with").ifPresent(w -> with.putAll(with(w, params, inputs, earlier)));
      if (params != null) {
        for (String required : params.required()) {
          if (!with.containsKey(required) && !problems.hasAt(s.pathOf("with") + "/" + required)) {
            problems.add(s.pathOf("with"), "operation \"" + op + "\" needs \"" + required + "\"");
          }
        }
      }
      Optional<PipelineManifest.Condition> when =
          s.string("when").flatMap(w -> condition(w, s.pathOf("when"), earlier));
      int retries = s.integer("retries", 0, 5, "between 0 and 5").map(Long::intValue).orElse(0);
      SpendingLimit budget = s.object("budget").map(this::budget).orElse(SpendingLimit.unbounded());
      PipelineManifest.Permissions permissions =
          s.object("permissions")
              .map(this::permissions)
              .orElse(PipelineManifest.Permissions.none());
      boolean continueOnFailure = s.bool("continue_on_failure", false);
      s.finish();
      return new PipelineManifest.Step(
          id, op, with, when, retries, budget, permissions, continueOnFailure);
    }

    private Map<String, String> with(
        JsonObject w, OperationParameters params, Set<String> inputs, List<String> earlier) {
      Map<String, String> with = new LinkedHashMap<>();
      for (String key : w.keys()) {
        String path = w.pathOf(key);
        if (params != null && !params.all().contains(key)) {
          problems.add(
              path,
              Suggestions.closest(key, params.all())
                  .map(c -> "unknown parameter; did you mean \"" + c + "\"?")
                  .orElse(
                      params.all().isEmpty()
                          ? "unknown parameter; this operation takes none"
                          : "unknown parameter; expected one of: "
                              + String.join(", ", params.all())));
        }
        Optional<String> value = w.string(key);
        if (value.isEmpty()) {
          continue;
        }
        for (Templates.Reference r : Templates.references(value.get())) {
          if (r instanceof Templates.InputRef i && !inputs.contains(i.name())) {
            problems.add(path, "${inputs." + i.name() + "} names no declared input");
          } else if (r instanceof Templates.StepRef st && !earlier.contains(st.step())) {
            problems.add(path, "${steps." + st.step() + "." + st.key() + "} names no earlier step");
          } else if (r instanceof Templates.Unknown u) {
            problems.add(
                path,
                "${" + u.text() + "} is not a template: use ${inputs.NAME} or ${steps.ID.OUTPUT}");
          }
        }
        with.put(key, value.get());
      }
      return with;
    }

    private Optional<PipelineManifest.Condition> condition(
        String text, String path, List<String> earlier) {
      String t = text.strip();
      boolean negated = t.startsWith("not ");
      if (negated) {
        t = t.substring(4).strip();
      }
      int dot = t.lastIndexOf('.');
      Optional<StepStatus> status =
          dot < 0
              ? Optional.empty()
              : java.util.Arrays.stream(StepStatus.values())
                  .filter(
                      v ->
                          v.wireName()
                              .equals(text.strip().substring(text.strip().lastIndexOf('.') + 1)))
                  .findFirst();
      if (dot < 0 || status.isEmpty()) {
        problems.add(
            path,
            "\""
                + text
                + "\" is not a condition: write STEP.succeeded, STEP.failed, STEP.skipped or"
                + " STEP.unavailable, optionally after \"not \"");
        return Optional.empty();
      }
      String step = t.substring(0, dot);
      if (!earlier.contains(step)) {
        problems.add(path, "\"" + step + "\" is not an earlier step");
        return Optional.empty();
      }
      return Optional.of(new PipelineManifest.Condition(step, status.get(), negated));
    }
  }
}
