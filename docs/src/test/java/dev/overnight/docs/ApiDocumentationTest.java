package dev.overnight.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The published modules' reference: every public type a library module exports says since which
 * version it exists, and every public type of {@code orchestration-api} has its page in the Javadoc
 * the build puts beside the guides ({@code docs/target/site/apidocs}).
 */
class ApiDocumentationTest {
  private static final Path API_SOURCES =
      SnippetsTest.ROOT.resolve("orchestration-api/src/main/java");
  private static final Path SITE =
      Path.of(System.getProperty("overnight.moduleDir", "."), "target/site/apidocs");

  /** A top-level public type with the Javadoc right above it (annotations in between allowed). */
  private static final Pattern TYPE =
      Pattern.compile(
          "/\\*\\*((?:(?!\\*/).)*)\\*/\\s*(?:@\\w+\\s*)*public (?:(?:final|abstract|sealed|static)"
              + " )*(?:class|interface|record|enum|@interface) (\\w+)",
          Pattern.DOTALL);

  /**
   * The published modules, whose exported types users compile against (the CLI's too: embedders
   * reuse its commands).
   */
  private static final List<String> LIBRARIES =
      List.of(
          "orchestration-api",
          "orchestration-core",
          "orchestration-fakes",
          "orchestration-testing",
          "orchestration-sqlite",
          "orchestration-postgres",
          "orchestration-macos",
          "orchestration-linux",
          "orchestration-agents-acp",
          "orchestration-server",
          "orchestration-micrometer",
          "orchestration-opentelemetry",
          "orchestration-spring-boot-starter",
          "orchestration-nostr",
          "orchestration-cli");

  record PublicType(String qualifiedName, String javadoc) {}

  static List<PublicType> publicTypes() throws IOException {
    return publicTypes(API_SOURCES);
  }

  /** The top-level public types outside {@code internal} packages under a source root. */
  static List<PublicType> publicTypes(Path sources) throws IOException {
    List<PublicType> types = new ArrayList<>();
    try (Stream<Path> files = Files.walk(sources)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
        String name = file.getFileName().toString();
        if (name.equals("package-info.java")
            || name.equals("module-info.java")
            || file.toString().contains("/internal/")) {
          continue;
        }
        String source = Files.readString(file);
        Matcher m = TYPE.matcher(source);
        String type = name.substring(0, name.length() - ".java".length());
        while (m.find()) {
          if (m.group(2).equals(type)) {
            String pkg = sources.relativize(file.getParent()).toString().replace('/', '.');
            types.add(new PublicType(pkg + "." + type, m.group(1)));
            break;
          }
        }
      }
    }
    return types;
  }

  @Test
  void everyPublicTypeALibraryModuleExportsSaysSinceWhichVersion() throws IOException {
    List<PublicType> types = new ArrayList<>();
    for (String module : LIBRARIES) {
      types.addAll(publicTypes(SnippetsTest.ROOT.resolve(module).resolve("src/main/java")));
    }

    assertThat(types).hasSizeGreaterThan(200);
    assertThat(types)
        .filteredOn(t -> !t.javadoc().matches("(?s).*@since \\d+\\.\\d+\\.\\d+.*"))
        .extracting(PublicType::qualifiedName)
        .as("public types without @since")
        .isEmpty();
  }

  @Test
  void theSiteHasAJavadocPageForEveryPublicTypeOfTheApi() throws IOException {
    assertThat(SITE.resolve("index.html")).exists();
    for (PublicType type : publicTypes()) {
      // The API is a named module: its pages are under the module's folder.
      assertThat(
              SITE.resolve("dev.overnight.api")
                  .resolve(type.qualifiedName().replace('.', '/') + ".html"))
          .as(type.qualifiedName())
          .exists()
          .content()
          .contains("Since:");
    }
  }
}
