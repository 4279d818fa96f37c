package dev.overnight.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every Java snippet in README.md and docs/*.md is marked {@code <!-- snippet: Class#tag -->} and
 * is, line for line, a tagged region of a test in this module — so every snippet users read
 * compiles and runs. Every Maven artifact the README names is one the BOM manages.
 */
class SnippetsTest {
  static final Path ROOT =
      Path.of(System.getProperty("overnight.moduleDir", "."), "..").normalize();
  static final Path SOURCES = ROOT.resolve("docs/src/test/java/dev/overnight/docs");
  private static final Pattern SNIPPET =
      Pattern.compile("<!-- snippet: (\\w+)#([\\w-]+) -->\\s*```java\\n(.*?)```", Pattern.DOTALL);

  static List<Path> markdownFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    files.add(ROOT.resolve("README.md"));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
    }
    return files;
  }

  @Test
  void everyJavaSnippetIsATestedRegion() throws IOException {
    int checked = 0;
    for (Path md : markdownFiles()) {
      String text = Files.readString(md);
      long javaBlocks = Pattern.compile("```java").matcher(text).results().count();
      Matcher m = SNIPPET.matcher(text);
      int marked = 0;
      while (m.find()) {
        marked++;
        String region = region(m.group(1), m.group(2));
        assertThat(m.group(3).stripTrailing())
            .as("%s: snippet %s#%s", md.getFileName(), m.group(1), m.group(2))
            .isEqualTo(region);
      }
      assertThat(marked)
          .as("%s: every ```java block is marked as a snippet", md)
          .isEqualTo(javaBlocks);
      checked += marked;
    }
    assertThat(checked).isPositive();
  }

  @Test
  void readmeNamesOnlyArtifactsTheBomManages() throws IOException {
    String bom = Files.readString(ROOT.resolve("orchestration-bom/pom.xml"));
    Matcher m =
        Pattern.compile("<artifactId>([\\w-]+)</artifactId>")
            .matcher(Files.readString(ROOT.resolve("README.md")));
    int found = 0;
    while (m.find()) {
      found++;
      assertThat(bom).contains("<artifactId>" + m.group(1) + "</artifactId>");
    }
    assertThat(found).isPositive();
  }

  /** The lines between {@code // tag::name[]} and {@code // end::name[]}, dedented. */
  static String region(String className, String tag) throws IOException {
    List<String> lines = Files.readAllLines(SOURCES.resolve(className + ".java"));
    int start = -1;
    int end = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).trim().equals("// tag::" + tag + "[]")) {
        start = i + 1;
      } else if (lines.get(i).trim().equals("// end::" + tag + "[]")) {
        end = i;
      }
    }
    assertThat(start).as("tag %s in %s", tag, className).isPositive();
    List<String> body = lines.subList(start, end);
    int indent =
        body.stream()
            .filter(l -> !l.isBlank())
            .mapToInt(l -> l.length() - l.stripLeading().length())
            .min()
            .orElse(0);
    return body.stream()
        .map(l -> l.length() >= indent ? l.substring(indent) : l.strip())
        .collect(Collectors.joining("\n"))
        .stripTrailing();
  }
}
