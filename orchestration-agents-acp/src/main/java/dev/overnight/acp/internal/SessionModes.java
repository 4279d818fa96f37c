package dev.overnight.acp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.overnight.acp.AcpAgentSession.ConfigOption;
import dev.overnight.acp.AcpAgentSession.Mode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A session's modes and configuration options as the agent last reported them: in its answer to
 * {@code session/new}, in updates, and in its answers to switching them. Thread-safe: each value is
 * replaced whole; never blocks.
 */
final class SessionModes {
  private volatile List<Mode> modes = List.of();
  private volatile String current;
  private volatile List<ConfigOption> configOptions = List.of();
  private volatile String currentModel;

  List<Mode> modes() {
    return modes;
  }

  Optional<String> current() {
    return Optional.ofNullable(current);
  }

  List<ConfigOption> configOptions() {
    return configOptions;
  }

  /**
   * The model the session runs on: the current value of its {@code model} category option, else the
   * {@code currentModelId} of {@code session/new}'s (unstable) {@code models} answer.
   */
  Optional<String> model() {
    Optional<String> option =
        configOptions.stream()
            .filter(o -> o.category().filter("model"::equals).isPresent())
            .flatMap(o -> o.currentValue().stream())
            .findFirst();
    return option.or(() -> Optional.ofNullable(currentModel));
  }

  /** Reads the {@code models} object of ACP's {@code session/new} answer; ignores others. */
  void readModels(JsonNode modelsNode) {
    if (modelsNode.isObject()) {
      currentModel = Json.text(modelsNode, "currentModelId", null);
    }
  }

  /** The session now runs in mode {@code modeId}. */
  void current(String modeId) {
    current = modeId;
  }

  /** Whether the agent offers a mode of that id. */
  boolean offers(String modeId) {
    return modes.stream().anyMatch(m -> m.id().equals(modeId));
  }

  /** Whether {@code configId} is a boolean option (its value is sent as a JSON boolean). */
  boolean isBoolean(String configId) {
    return configOptions.stream()
        .anyMatch(o -> o.id().equals(configId) && o.type().equals("boolean"));
  }

  /** The option of the {@code mode} category that offers {@code modeId}, if any. */
  Optional<ConfigOption> modeOption(String modeId) {
    return configOptions.stream()
        .filter(o -> o.category().filter("mode"::equals).isPresent())
        .filter(o -> o.values().contains(modeId))
        .findFirst();
  }

  /** Reads ACP's {@code modes} object (available modes and the current one); ignores others. */
  void readModes(JsonNode modesNode) {
    if (!modesNode.isObject()) {
      return;
    }
    List<Mode> list = new ArrayList<>();
    for (JsonNode m : modesNode.path("availableModes")) {
      Json.text(m, "id")
          .ifPresent(
              id -> list.add(new Mode(id, Json.text(m, "name", id), Json.text(m, "description"))));
    }
    modes = List.copyOf(list);
    current = Json.text(modesNode, "currentModeId", null);
  }

  /**
   * Reads ACP's {@code configOptions} array, values of grouped selects included; ignores others.
   */
  void readConfigOptions(JsonNode options) {
    if (!options.isArray()) {
      return;
    }
    List<ConfigOption> list = new ArrayList<>();
    for (JsonNode o : options) {
      Optional<String> id = Json.text(o, "id");
      if (id.isEmpty()) {
        continue;
      }
      List<String> values = new ArrayList<>();
      for (JsonNode v : o.path("options")) {
        if (v.has("value")) {
          values.add(v.path("value").asText());
        }
        for (JsonNode grouped : v.path("options")) {
          values.add(grouped.path("value").asText());
        }
      }
      JsonNode value = o.get("currentValue");
      list.add(
          new ConfigOption(
              id.get(),
              Json.text(o, "name", id.get()),
              Json.text(o, "category"),
              Json.text(o, "type", "select"),
              value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText()),
              values));
    }
    configOptions = List.copyOf(list);
  }
}
