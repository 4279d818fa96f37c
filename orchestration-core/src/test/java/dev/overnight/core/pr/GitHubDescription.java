package dev.overnight.core.pr;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.OpenApi30;
import dev.overnight.core.json.OvernightJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * GitHub's own OpenAPI description of api.github.com (npm {@code @octokit/openapi}, pinned in
 * {@code src/test/node}, installed by the build): the schema of each operation's response, to
 * validate against, and the examples GitHub publishes, to build responses from.
 */
final class GitHubDescription {
  private static final String BASE = "https://overnight.test/github/";
  private static final Path FILE =
      Path.of(System.getProperty("overnight.moduleDir", "."))
          .resolve("src/test/node/node_modules/@octokit/openapi/generated/api.github.com.json")
          .toAbsolutePath()
          .normalize();

  private static volatile GitHubDescription instance;

  private final JsonNode document;
  private final SchemaRegistry registry;
  private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

  private GitHubDescription() {
    if (!Files.isRegularFile(FILE)) {
      throw new IllegalStateException(
          FILE + " is missing: the build installs it with npm ci (src/test/node)");
    }
    String text;
    try {
      text = Files.readString(FILE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    document = OvernightJson.read(text);
    // Served from memory under its own IRI, so the schemas' "#/components/..." references resolve.
    registry =
        SchemaRegistry.withDefaultDialect(
            OpenApi30.getInstance(), b -> b.schemas(Map.of(BASE + FILE.getFileName(), text)));
  }

  static GitHubDescription get() {
    GitHubDescription d = instance;
    if (d == null) {
      synchronized (GitHubDescription.class) {
        d = instance;
        if (d == null) {
          d = new GitHubDescription();
          instance = d;
        }
      }
    }
    return d;
  }

  /** The version of the description, e.g. {@code 1.1.4}. */
  String version() {
    return document.path("info").path("version").asText();
  }

  /** A copy of the value of {@code #/components/examples/<name>}. */
  JsonNode example(String name) {
    JsonNode value = document.path("components").path("examples").path(name).path("value");
    if (value.isMissingNode()) {
      throw new IllegalArgumentException("no example " + name + " in GitHub's description");
    }
    return value.deepCopy();
  }

  /**
   * What the description's schema for a {@code GET} of {@code template} answering 200 finds wrong
   * in {@code body}; empty when it conforms.
   */
  List<String> errors(String template, String body) {
    Schema schema =
        schemas.computeIfAbsent(
            template,
            t ->
                registry.getSchema(
                    SchemaLocation.of(
                        BASE
                            + FILE.getFileName()
                            + "#/paths/"
                            + pointer(t)
                            + "/get/responses/200/content/application~1json/schema")));
    return schema.validate(body, InputFormat.JSON).stream()
        .map(e -> e.getInstanceLocation() + ": " + e.getMessage())
        .toList();
  }

  /**
   * What the description's schema for {@code method} of {@code template} answering {@code status}
   * finds wrong in {@code body}; empty when it conforms.
   */
  List<String> errors(String method, String template, int status, String body) {
    return validate(
        method + " " + status + " " + template,
        template,
        "/" + method.toLowerCase(java.util.Locale.ROOT) + "/responses/" + status,
        body);
  }

  /** What the description's schema of {@code method}'s request body finds wrong in {@code body}. */
  List<String> requestErrors(String method, String template, String body) {
    return validate(
        method + " request " + template,
        template,
        "/" + method.toLowerCase(java.util.Locale.ROOT) + "/requestBody",
        body);
  }

  private List<String> validate(String key, String template, String operation, String body) {
    Schema schema =
        schemas.computeIfAbsent(
            key,
            k ->
                registry.getSchema(
                    SchemaLocation.of(
                        BASE
                            + FILE.getFileName()
                            + "#/paths/"
                            + pointer(template)
                            + operation
                            + "/content/application~1json/schema")));
    return schema.validate(body, InputFormat.JSON).stream()
        .map(e -> e.getInstanceLocation() + ": " + e.getMessage())
        .toList();
  }

  /** Whether the description says {@code method} on {@code template} may answer {@code status}. */
  boolean declares(String method, String template, int status) {
    return !document
        .path("paths")
        .path(template)
        .path(method.toLowerCase(java.util.Locale.ROOT))
        .path("responses")
        .path(String.valueOf(status))
        .isMissingNode();
  }

  /**
   * What the description's schema for a {@code method} of {@code template} answering {@code status}
   * finds wrong in {@code body}, as the request handlers for {@code gh} ask it.
   */
  List<String> errors(String method, int status, String template, String body) {
    return errors(method.toUpperCase(java.util.Locale.ROOT), template, status, body);
  }

  private static String pointer(String segment) {
    return segment.replace("~", "~0").replace("/", "~1").replace("{", "%7B").replace("}", "%7D");
  }
}
