package dev.overnight.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.cli.WorkerSetup;
import dev.overnight.core.worktree.Git;
import dev.overnight.fakes.ScriptedAgentScripts;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard of a real {@code overnight run} daemon, in headless Chromium (installed by {@code
 * .ci/run}): the page loads with the token, a task is cancelled from it, "run now" starts a real
 * cycle, and the scripted agent's session streams into the page. Screenshots go to {@code
 * target/screenshots/}.
 */
class DaemonDashboardBrowserIT {
  private static final Path TARGET =
      Path.of(System.getProperty("overnight.moduleDir", "."), "target");

  @TempDir Path dir;
  private ChromeDriverService chromedriver;
  private WebDriver browser;

  @BeforeEach
  void openBrowser() {
    chromedriver =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File("/usr/bin/chromedriver"))
            .usingAnyFreePort()
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--window-size=1280,1100",
        "--user-data-dir=" + dir.resolve("chromium"));
    browser = new ChromeDriver(chromedriver, options);
  }

  @AfterEach
  void closeBrowser() {
    browser.quit();
    chromedriver.stop();
  }

  @Test
  void aCancelAndRunNowFromThePageReachTheDaemonAndTheSessionStreamsIn() throws Exception {
    Git git = WorkerSetup.repository(dir);
    Path config =
        WorkerSetup.config(
            dir,
            git.dir(),
            dir.resolve("state"),
            List.of(
                OvernightProcess.JAVA,
                "-cp",
                OvernightProcess.JAR.toString(),
                "dev.overnight.fakes.ScriptedAgent",
                "--script-json",
                ScriptedAgentScripts.DEMO));
    for (String title : List.of("Task first", "Task second")) {
      OvernightProcess.Result r =
          OvernightProcess.run(
              "queue",
              "add",
              "--config",
              config.toString(),
              "--prompt",
              title,
              "--agent",
              "worker");
      assertThat(r.exitCode()).as(r.output()).isZero();
    }

    try (OvernightProcess daemon = OvernightProcess.start("run", "--config", config.toString())) {
      String line = daemon.await(l -> l.contains("  dashboard  "), "the dashboard address");
      browser.get(line.substring(line.indexOf("http")).trim());
      waitFor().until(ExpectedConditions.attributeToBe(By.id("connection"), "data-status", "live"));
      waitForStatus("Task first", "pending");
      waitForStatus("Task second", "pending");

      // Cancel the second task from the page (the button asks to confirm).
      By cancel = By.xpath(row("Task second") + "//button[contains(@class,'cancel')]");
      click(cancel);
      waitFor().until(ExpectedConditions.textToBe(cancel, "Confirm cancel"));
      click(cancel);
      waitForStatus("Task second", "cancelled");

      // Run now: a real cycle, the first task's agent session streams into the page.
      click(By.id("run-now"));
      daemon.await(l -> l.matches(".*task +\\w{8} completed.*"), "the first task to complete");
      waitForStatus("Task first", "completed");
      waitFor()
          .until(
              ExpectedConditions.presenceOfElementLocated(
                  By.cssSelector("#session-list [data-session-id]")));
      click(By.cssSelector("#session-list [data-session-id]"));
      waitFor()
          .until(
              ExpectedConditions.textToBePresentInElementLocated(
                  By.cssSelector("#transcript"), "Wrote hello.txt."));
      assertThat(browser.findElement(By.cssSelector("#transcript")).getText())
          .contains("Looking at the repository.");
      assertThat(browser.findElements(By.cssSelector("#plan li"))).hasSize(2);
      screenshot("daemon-dashboard");
      assertThat(git.check("branch", "--list", "overnight/*")).contains("overnight/task-first-");

      daemon.interrupt();
      assertThat(daemon.awaitExit()).as(daemon.output()).isZero();
    }
  }

  private static String row(String title) {
    return "//tr[@data-task-id][contains(., '" + title + "')]";
  }

  private void waitForStatus(String title, String status) {
    waitFor().until(ExpectedConditions.attributeToBe(By.xpath(row(title)), "data-status", status));
  }

  private WebDriverWait waitFor() {
    // A safety net: every wait ends as soon as its condition holds.
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
    wait.ignoring(StaleElementReferenceException.class);
    return wait;
  }

  private void click(By locator) {
    waitFor()
        .until(
            d -> {
              var element = d.findElement(locator);
              ((JavascriptExecutor) d)
                  .executeScript("arguments[0].scrollIntoView({block: 'center'})", element);
              element.click();
              return true;
            });
  }

  private void screenshot(String name) throws Exception {
    Path shots = Files.createDirectories(TARGET.resolve("screenshots"));
    File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Files.copy(shot.toPath(), shots.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }
}
