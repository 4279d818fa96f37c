package dev.overnight.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.docs.site.SiteBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The site the build writes to {@code docs/target/site}: the README as its index, a page per guide,
 * the API's Javadoc beside them, and no link on any page that leads nowhere.
 */
class SiteTest {
  private static final Path SITE =
      Path.of(System.getProperty("overnight.moduleDir", "."), "target/site");
  private static final Pattern HREF = Pattern.compile("href=\"([^\"]*)\"");
  private static final Pattern ID = Pattern.compile("id=\"([^\"]*)\"");

  @Test
  void everyGuideHasItsPageAndTheIndexLinksThemAndTheJavadoc() throws IOException {
    assertThat(SITE.resolve("index.html")).exists();
    String index = Files.readString(SITE.resolve("index.html"));
    assertThat(index).contains("href=\"apidocs/index.html\"");
    for (Path md : SnippetsTest.markdownFiles()) {
      if (md.getFileName().toString().equals("README.md")) {
        continue;
      }
      String page = md.getFileName().toString().replace(".md", ".html");
      assertThat(SITE.resolve(page)).as(page).exists();
      assertThat(index).as("the index links " + page).contains("href=\"" + page);
    }
  }

  @Test
  void everyLinkOnEveryPageLeadsToAPageAnAnchorOrARepositoryFile() throws IOException {
    List<String> broken = new ArrayList<>();
    int checked = 0;
    try (var pages = Files.list(SITE)) {
      for (Path page : pages.filter(p -> p.toString().endsWith(".html")).sorted().toList()) {
        Matcher href = HREF.matcher(Files.readString(page));
        while (href.find()) {
          String link = href.group(1);
          if (link.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
            continue;
          }
          checked++;
          String file = link.replaceAll("[#?].*$", "");
          String anchor = link.contains("#") ? link.substring(link.indexOf('#') + 1) : "";
          Path target = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
          if (!Files.exists(target)) {
            broken.add(page.getFileName() + ": " + link);
          } else if (!anchor.isEmpty()
              && target.toString().endsWith(".html")
              && !ids(target).contains(anchor)) {
            broken.add(page.getFileName() + ": " + link + " (no such heading)");
          }
        }
      }
    }
    assertThat(checked).isGreaterThan(20);
    assertThat(broken).isEmpty();
  }

  @Test
  void linksBetweenGuidesBecomeLinksBetweenPagesAndOthersPointAtTheRepository(@TempDir Path dir)
      throws IOException {
    Files.createDirectories(dir.resolve("docs"));
    Files.writeString(
        dir.resolve("README.md"),
        "# Home\n\nSee [config](docs/configuration.md#store), [the queue](orchestration-sqlite/README.md)"
            + " and [site](https://example.org).\n");
    Files.writeString(
        dir.resolve("docs/configuration.md"),
        "# Configuration\n\n## Store\n\nBack [home](../README.md), [json](json.md).\n\n"
            + "| a | b |\n|---|---|\n| 1 | 2 |\n");
    Path site = dir.resolve("site");

    new SiteBuilder(dir, site, "https://git.example/overnight/blob/v1/").build();

    String index = Files.readString(site.resolve("index.html"));
    assertThat(index)
        .contains("<title>Home — Overnight</title>")
        .contains("href=\"configuration.html#store\"")
        .contains("href=\"https://git.example/overnight/blob/v1/orchestration-sqlite/README.md\"")
        .contains("href=\"https://example.org\"");
    String guide = Files.readString(site.resolve("configuration.html"));
    assertThat(guide)
        .contains("href=\"index.html\"")
        .contains("href=\"json.html\"")
        .contains("id=\"store\"")
        .contains("<table>");
  }

  private static List<String> ids(Path page) throws IOException {
    List<String> ids = new ArrayList<>();
    Matcher m = ID.matcher(Files.readString(page));
    while (m.find()) {
      ids.add(m.group(1));
    }
    return ids;
  }
}
