package dev.overnight.spring.boot.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.api.config.ConfigException;
import dev.overnight.api.config.ConfigProblem;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.core.config.ConfigLoader;
import dev.overnight.spring.boot.OvernightProperties;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns the {@code overnight.*} properties into an {@link OrchestrationConfig} through the config
 * loader itself: the inline settings become the JSON document a config file would hold (kebab-case
 * properties, snake_case keys), so they get the file's defaults and every one of its rules, and
 * each problem the loader finds is named by its property ({@code /schedule/window_start} becomes
 * {@code overnight.schedule.window-start}).
 *
 * <p>Stateless and thread-safe; loading a config file reads it.
 */
public final class PropertiesConfig {

  /** What the problems of the inline settings are reported as coming from. */
  public static final String SOURCE = "in the overnight.* application properties";

  /** The starter's own settings, which are not part of Overnight's configuration. */
  @JsonIgnoreProperties({
    "enabled",
    "config_file",
    "use_data_source",
    "lock_state_folder",
    "worker_id",
    "scheduler"
  })
  private abstract static class StarterSettings {}

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .setSerializationInclusion(JsonInclude.Include.NON_NULL)
          .addMixIn(OvernightProperties.class, StarterSettings.class);

  /**
   * Config keys whose children are names the user chose (agent ids, variable names, issue labels),
   * not keys.
   */
  private static final Set<String> MAPS = Set.of("agents", "env", "priority_labels");

  private static final Pattern PLAIN_NAME = Pattern.compile("[a-z0-9-]+");

  private PropertiesConfig() {}

  /**
   * The configuration the properties describe: the {@code config-file}'s, or the inline settings'.
   * Relative paths in inline settings resolve against {@code baseDir}; without {@code
   * overnight.id}, the inline configuration's id is {@code defaultId}.
   *
   * @throws ConfigException listing every problem, each under its property name (or, for a config
   *     file, its JSON path in the file)
   */
  public static OrchestrationConfig load(
      OvernightProperties properties, ConfigLoader loader, Path baseDir, String defaultId) {
    ObjectNode inline = inlineSettings(properties);
    if (properties.getConfigFile() != null) {
      if (!inline.isEmpty()) {
        List<ConfigProblem> both = new ArrayList<>();
        for (Iterator<String> keys = inline.fieldNames(); keys.hasNext(); ) {
          both.add(
              new ConfigProblem(
                  propertyName("/" + keys.next()),
                  "cannot be set together with overnight.config-file: put it in "
                      + properties.getConfigFile()
                      + ", or leave config-file out"));
        }
        throw new ConfigException(SOURCE, both.stream().sorted().toList());
      }
      return loader.load(baseDir.resolve(properties.getConfigFile()));
    }
    if (!inline.has("id")) {
      inline.put("id", defaultId);
    }
    ConfigLoader.Result result = loader.result(inline.toString(), baseDir, SOURCE);
    if (result.isValid()) {
      return result.config().orElseThrow();
    }
    throw new ConfigException(
        SOURCE,
        result.problems().stream()
            .map(p -> new ConfigProblem(propertyName(p.path()), p.message()))
            .sorted()
            .toList());
  }

  /** The inline settings as the config file's JSON document; empty when none is set. */
  public static ObjectNode inlineSettings(OvernightProperties properties) {
    return MAPPER.valueToTree(properties);
  }

  /**
   * The property a config file's JSON path stands for: {@code /agents/my_agent/env/API_KEY} is
   * {@code overnight.agents[my_agent].env[API_KEY]}, {@code /goals/1} is {@code
   * overnight.goals[1]}.
   */
  public static String propertyName(String jsonPath) {
    StringBuilder name = new StringBuilder("overnight");
    if (jsonPath.isEmpty() || jsonPath.equals("/")) {
      return name.toString();
    }
    String previous = "";
    for (String segment : jsonPath.substring(1).split("/", -1)) {
      if (MAPS.contains(previous) || segment.chars().allMatch(Character::isDigit)) {
        if (!MAPS.contains(previous) || !PLAIN_NAME.matcher(segment).matches()) {
          name.append('[').append(segment).append(']');
        } else {
          name.append('.').append(segment);
        }
        // A name the user chose is never a map of names itself.
        previous = "";
        continue;
      }
      name.append('.').append(segment.replace('_', '-').toLowerCase(Locale.ROOT));
      previous = segment;
    }
    return name.toString();
  }
}
