package dev.overnight.core.decision.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each coverage format read into covered lines, uncovered lines and uncovered methods. */
class CoverageReportsTest {
  @TempDir Path ws;

  @Test
  void jacocoXmlGivesLinesAndMethodsNoTestRan() throws IOException {
    write(
        "target/site/jacoco/jacoco.xml",
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <!DOCTYPE report PUBLIC "-//JACOCO//DTD Report 1.1//EN" "report.dtd">
        <report name="app">
          <package name="org/app/io">
            <class name="org/app/io/Http" sourcefilename="Http.java">
              <method name="&lt;init&gt;" desc="()V" line="5">
                <counter type="LINE" missed="0" covered="1"/>
              </method>
              <method name="send" desc="()V" line="9">
                <counter type="INSTRUCTION" missed="4" covered="0"/>
                <counter type="LINE" missed="2" covered="0"/>
              </method>
            </class>
            <sourcefile name="Http.java">
              <line nr="5" mi="0" ci="3" mb="0" cb="0"/>
              <line nr="9" mi="2" ci="0" mb="0" cb="0"/>
              <line nr="10" mi="2" ci="0" mb="0" cb="0"/>
            </sourcefile>
          </package>
        </report>
        """);

    CoverageReports reports = CoverageReports.find(ws);

    CoverageReports.FileCoverage c = reports.of("src/main/java/org/app/io/Http.java").orElseThrow();
    assertThat(c.covered()).isEqualTo(1);
    assertThat(c.missed()).isEqualTo(2);
    assertThat(c.uncoveredLines()).containsExactly(9, 10);
    assertThat(c.uncoveredMethods()).containsExactly("send (line 9)");
    assertThat(reports.of("src/main/java/org/app/io/Other.java")).isEmpty();
  }

  @Test
  void lcovGivesFunctionsNeverCalled() throws IOException {
    write(
        "coverage/lcov.info",
        "TN:\nSF:lib/router.js\nFN:3,route\nFN:9,mount\nFNDA:4,route\nFNDA:0,mount\n"
            + "DA:3,4\nDA:4,4\nDA:9,0\nDA:10,0\nend_of_record\n");

    CoverageReports.FileCoverage c = CoverageReports.find(ws).of("lib/router.js").orElseThrow();

    assertThat(c.ratio()).isEqualTo(0.5);
    assertThat(c.uncoveredMethods()).containsExactly("mount (line 9)");
    assertThat(c.uncoveredLines()).containsExactly(9, 10);
  }

  @Test
  void goCoverProfilesMatchByPathSuffix() throws IOException {
    write(
        "cover.out",
        "mode: set\n"
            + "github.com/acme/tool/cmd/run.go:10.20,12.3 2 1\n"
            + "github.com/acme/tool/cmd/run.go:14.2,16.3 2 0\n");

    CoverageReports.FileCoverage c = CoverageReports.find(ws).of("cmd/run.go").orElseThrow();

    assertThat(c.covered()).isEqualTo(3);
    assertThat(c.uncoveredLines()).containsExactly(14, 15, 16);
  }

  @Test
  void aMalformedReportGivesNoEvidence() throws IOException {
    write("coverage.xml", "<coverage><packages><package");

    assertThat(CoverageReports.find(ws).isEmpty()).isTrue();
  }

  private void write(String path, String text) throws IOException {
    Path p = ws.resolve(path);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }
}
