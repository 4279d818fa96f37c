package dev.overnight.core.decision.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.overnight.core.json.OvernightJson;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dependencies a repository's build files pin: Maven {@code pom.xml} (parent, dependencies,
 * managed dependencies and plugins, with versions written out or in a {@code <properties>} entry of
 * the same file) and npm {@code package.json} ({@code dependencies} and {@code devDependencies}
 * with an exact, caret or tilde version). What the file cannot tell alone — a version inherited
 * from a parent, an npm range — is left out rather than guessed.
 *
 * <p>A build file is the repository's text, not ours: a POM is read as text by its elements' tags,
 * never by an XML parser (no DTD, no entity is ever resolved). Stateless and thread-safe.
 */
public final class BuildFiles {
  private static final Pattern PROPERTY = Pattern.compile("^\\$\\{([A-Za-z0-9_.-]+)}$");
  private static final Pattern NPM_SPEC = Pattern.compile("^([~^=]?)v?(\\d+\\.\\d+\\.\\d+\\S*)$");
  private static final Pattern COMMENT = Pattern.compile("(?s)<!--.*?-->");
  private static final Pattern PROPERTIES = Pattern.compile("(?s)<properties>(.*?)</properties>");
  private static final Pattern SIMPLE_ELEMENT = Pattern.compile("<([A-Za-z0-9_.-]+)>([^<]*)</\\1>");
  private static final Pattern PARENT = Pattern.compile("(?s)<parent>(.*?)</parent>");
  private static final Pattern NESTED =
      Pattern.compile(
          "(?s)<(exclusions|configuration|executions|dependencies|reporting)>.*?</\\1>");

  /** The elements that pin a coordinate, with the group a plugin has when it names none. */
  private static final List<Map.Entry<Pattern, String>> BLOCKS =
      List.of(
          Map.entry(Pattern.compile("(?s)<dependency>(.*?)</dependency>"), ""),
          Map.entry(Pattern.compile("(?s)<plugin>(.*?)</plugin>"), "org.apache.maven.plugins"),
          Map.entry(Pattern.compile("(?s)<extension>(.*?)</extension>"), ""));

  private BuildFiles() {}

  /** The package ecosystem of a dependency. */
  public enum Ecosystem {
    /** Maven Central coordinates, {@code group:artifact}. */
    MAVEN,
    /** npm package names. */
    NPM
  }

  /**
   * One dependency pinned by a build file.
   *
   * @param ecosystem where its versions are published
   * @param name {@code group:artifact} for Maven, the package name for npm
   * @param version the version pinned, without an npm range prefix
   * @param file the build file, relative to the repository
   * @param property the Maven property that holds the version, when it is written in one
   */
  public record Declared(
      Ecosystem ecosystem, String name, String version, String file, Optional<String> property) {}

  /** Whether {@code path} is a build file this class reads. */
  public static boolean isBuildFile(String path) {
    String name = SourceFiles.fileName(path);
    if (path.contains("node_modules/") || path.startsWith("node_modules")) {
      return false;
    }
    return name.equals("pom.xml") || name.equals("package.json");
  }

  /** The dependencies {@code text}, the content of build file {@code path}, pins. */
  public static List<Declared> read(String path, String text) {
    String name = SourceFiles.fileName(path);
    try {
      if (name.equals("pom.xml")) {
        return maven(path, text);
      }
      if (name.equals("package.json")) {
        return npm(path, text);
      }
    } catch (RuntimeException e) {
      // An unreadable build file pins nothing we can see.
    }
    return List.of();
  }

  private static List<Declared> npm(String path, String text) {
    JsonNode root = OvernightJson.read(text);
    List<Declared> out = new ArrayList<>();
    for (String section : List.of("dependencies", "devDependencies")) {
      JsonNode deps = root.path(section);
      if (!deps.isObject()) {
        continue;
      }
      deps.fields()
          .forEachRemaining(
              e -> {
                if (!e.getValue().isTextual()) {
                  return;
                }
                Matcher m = NPM_SPEC.matcher(e.getValue().asText().strip());
                if (m.matches()) {
                  out.add(
                      new Declared(Ecosystem.NPM, e.getKey(), m.group(2), path, Optional.empty()));
                }
              });
    }
    return out;
  }

  private static List<Declared> maven(String path, String text) {
    String pom = COMMENT.matcher(text).replaceAll("");
    Map<String, String> properties = new HashMap<>();
    Matcher blocks = PROPERTIES.matcher(pom);
    while (blocks.find()) {
      Matcher p = SIMPLE_ELEMENT.matcher(blocks.group(1));
      while (p.find()) {
        properties.putIfAbsent(p.group(1), p.group(2).strip());
      }
    }
    List<Declared> out = new ArrayList<>();
    Matcher parent = PARENT.matcher(pom);
    if (parent.find()) {
      coordinate(parent.group(1), path, properties, null, out);
    }
    for (Map.Entry<Pattern, String> kind : BLOCKS) {
      Matcher m = kind.getKey().matcher(pom);
      while (m.find()) {
        coordinate(m.group(1), path, properties, kind.getValue(), out);
      }
    }
    return out;
  }

  private static void coordinate(
      String block,
      String path,
      Map<String, String> properties,
      String defaultGroup,
      List<Declared> out) {
    // Only the element's own coordinates: not those of its exclusions, configuration or executions.
    String own = NESTED.matcher(block).replaceAll("");
    Optional<String> group =
        text(own, "groupId").or(() -> Optional.ofNullable(defaultGroup).filter(g -> !g.isEmpty()));
    Optional<String> artifact = text(own, "artifactId");
    Optional<String> version = text(own, "version");
    if (group.isEmpty() || artifact.isEmpty() || version.isEmpty()) {
      return;
    }
    if (group.get().contains("${") || artifact.get().contains("${")) {
      return;
    }
    String v = version.get();
    Optional<String> property = Optional.empty();
    Matcher m = PROPERTY.matcher(v);
    if (m.matches()) {
      property = Optional.of(m.group(1));
      v = properties.get(m.group(1));
      if (v == null) {
        return;
      }
    }
    if (v.contains("${") || v.startsWith("[") || v.startsWith("(") || v.contains("<")) {
      return;
    }
    out.add(new Declared(Ecosystem.MAVEN, group.get() + ":" + artifact.get(), v, path, property));
  }

  private static Optional<String> text(String block, String tag) {
    Matcher m = Pattern.compile("<" + tag + ">\\s*([^<]*?)\\s*</" + tag + ">").matcher(block);
    return m.find() ? Optional.of(m.group(1)).filter(s -> !s.isEmpty()) : Optional.empty();
  }
}
