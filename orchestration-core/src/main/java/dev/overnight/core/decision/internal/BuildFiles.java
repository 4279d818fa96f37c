package dev.overnight.core.decision.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.overnight.core.json.OvernightJson;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * The dependencies a repository's build files pin: Maven {@code pom.xml} (parent, dependencies,
 * managed dependencies and plugins, with versions written out or in a {@code <properties>} entry of
 * the same file) and npm {@code package.json} ({@code dependencies} and {@code devDependencies}
 * with an exact, caret or tilde version). What the file cannot tell alone — a version inherited
 * from a parent, an npm range — is left out rather than guessed.
 *
 * <p>A build file is the repository's text, not ours: the XML parser reads no DTD and no external
 * entity. Stateless and thread-safe.
 */
public final class BuildFiles {
  private static final Pattern PROPERTY = Pattern.compile("^\\$\\{([A-Za-z0-9_.-]+)}$");
  private static final Pattern NPM_SPEC = Pattern.compile("^([~^=]?)v?(\\d+\\.\\d+\\.\\d+\\S*)$");

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
    Document doc = parse(text);
    Element project = doc.getDocumentElement();
    Map<String, String> properties = new HashMap<>();
    child(project, "properties")
        .ifPresent(
            p -> {
              NodeList kids = p.getChildNodes();
              for (int i = 0; i < kids.getLength(); i++) {
                if (kids.item(i) instanceof Element e) {
                  properties.put(e.getTagName(), e.getTextContent().strip());
                }
              }
            });
    List<Declared> out = new ArrayList<>();
    child(project, "parent").ifPresent(p -> coordinate(p, path, properties, null, out));
    for (String tag : List.of("dependency", "plugin", "extension")) {
      NodeList nodes = project.getElementsByTagName(tag);
      for (int i = 0; i < nodes.getLength(); i++) {
        Element e = (Element) nodes.item(i);
        coordinate(
            e, path, properties, tag.equals("plugin") ? "org.apache.maven.plugins" : null, out);
      }
    }
    return out;
  }

  private static void coordinate(
      Element e,
      String path,
      Map<String, String> properties,
      String defaultGroup,
      List<Declared> out) {
    Optional<String> group = text(e, "groupId").or(() -> Optional.ofNullable(defaultGroup));
    Optional<String> artifact = text(e, "artifactId");
    Optional<String> version = text(e, "version");
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
    if (v.contains("${") || v.startsWith("[") || v.startsWith("(")) {
      return;
    }
    out.add(new Declared(Ecosystem.MAVEN, group.get() + ":" + artifact.get(), v, path, property));
  }

  private static Optional<Element> child(Element parent, String tag) {
    NodeList kids = parent.getChildNodes();
    for (int i = 0; i < kids.getLength(); i++) {
      Node n = kids.item(i);
      if (n instanceof Element e && e.getTagName().equals(tag)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  private static Optional<String> text(Element parent, String tag) {
    return child(parent, tag).map(e -> e.getTextContent().strip()).filter(s -> !s.isEmpty());
  }

  private static Document parse(String text) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature("http://xml.org/sax/features/external-general-entities", false);
      f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
      f.setXIncludeAware(false);
      f.setExpandEntityReferences(false);
      f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
      f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
      DocumentBuilder b = f.newDocumentBuilder();
      b.setErrorHandler(new org.xml.sax.helpers.DefaultHandler());
      return b.parse(new InputSource(new StringReader(text)));
    } catch (Exception e) {
      throw new IllegalArgumentException("not a readable pom.xml: " + e.getMessage(), e);
    }
  }
}
