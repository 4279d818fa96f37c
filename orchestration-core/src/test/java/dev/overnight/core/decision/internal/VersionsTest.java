package dev.overnight.core.decision.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.core.decision.internal.Versions.Version;
import java.util.List;
import org.junit.jupiter.api.Test;

class VersionsTest {
  @Test
  void numbersCompareAsNumbersAndAReleaseComesAfterItsPreReleases() {
    assertThat(Versions.parse("1.10.0").orElseThrow())
        .isGreaterThan(Versions.parse("1.9.2").orElseThrow());
    assertThat(Versions.parse("2.0").orElseThrow())
        .isGreaterThan(Versions.parse("2.0.0-rc1").orElseThrow());
    assertThat(Versions.parse("3.0.0-M1").orElseThrow().preRelease()).isTrue();
    assertThat(Versions.parse("5.3.1.Final").orElseThrow().preRelease()).isFalse();
    assertThat(Versions.parse("5.3.1.Final").orElseThrow().flavour()).isEmpty();
    assertThat(Versions.parse("latest")).isEmpty();
  }

  @Test
  void theNewerReleaseIsNeverAPreReleaseAndStaysInItsFlavour() {
    List<String> known =
        List.of("32.1.0-jre", "33.0.0-android", "33.1.0-jre", "34.0.0-rc1-jre", "1.0-SNAPSHOT");
    assertThat(Versions.newerRelease("32.1.0-jre", known))
        .map(Version::text)
        .contains("33.1.0-jre");
    assertThat(Versions.newerRelease("33.1.0-jre", known)).isEmpty();
    assertThat(Versions.newerRelease("2.15.0", List.of("2.15.0", "2.16.0-beta", "2.15.4")))
        .map(Version::text)
        .contains("2.15.4");
    assertThat(Versions.newerRelease("not-a-version", List.of("1.0"))).isEmpty();
  }

  @Test
  void buildFilesYieldWhatTheyPinAndNothingTheyCannotTell() {
    String pom =
        "<!DOCTYPE project [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><project><version>&x;</version></project>";
    assertThat(BuildFiles.read("pom.xml", pom)).isEmpty();
    String pkg = "{\"dependencies\":{\"a\":\"~1.2.3\",\"b\":\">=2\",\"c\":\"workspace:*\"}}";
    assertThat(BuildFiles.read("web/package.json", pkg))
        .extracting(BuildFiles.Declared::name, BuildFiles.Declared::version)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("a", "1.2.3"));
    String plugin =
        "<project><build><plugins><plugin><artifactId>maven-surefire-plugin</artifactId>"
            + "<version>3.0.0</version></plugin></plugins></build></project>";
    assertThat(BuildFiles.read("pom.xml", plugin))
        .extracting(BuildFiles.Declared::name)
        .containsExactly("org.apache.maven.plugins:maven-surefire-plugin");
  }
}
