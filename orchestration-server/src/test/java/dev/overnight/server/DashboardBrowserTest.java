package dev.overnight.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.agent.ContentBlock;
import dev.overnight.api.agent.QuotaWindow;
import dev.overnight.api.agent.SessionEvent;
import dev.overnight.api.agent.SessionUpdate;
import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.api.fleet.WorkerInfo;
import dev.overnight.api.fleet.WorkerRegistry;
import dev.overnight.api.fleet.WorkerState;
import dev.overnight.api.queue.Task;
import dev.overnight.api.queue.TaskFacts;
import dev.overnight.api.queue.TaskFilter;
import dev.overnight.api.queue.TaskQueue;
import dev.overnight.api.queue.TaskSpec;
import dev.overnight.api.queue.TaskStatus;
import dev.overnight.api.schedule.CycleOutcome;
import dev.overnight.api.schedule.CycleRecord;
import dev.overnight.api.schedule.SchedulerEvent;
import dev.overnight.api.schedule.SchedulerState;
import dev.overnight.api.schedule.SchedulerStateStore;
import dev.overnight.api.schedule.SkipReason;
import dev.overnight.api.schedule.WakeReason;
import dev.overnight.api.schedule.WakeReceipt;
import dev.overnight.api.store.Store;
import dev.overnight.core.coordinator.CoordinatorEvent;
import dev.overnight.core.queue.InMemoryTaskQueue;
import dev.overnight.core.runtime.StatePaths;
import dev.overnight.core.schedule.TransientSchedulerStateStore;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium (Debian's chromium and chromium-driver, installed by
 * {@code .ci/run}), driven by Selenium while the backend streams a night's events into it.
 * Screenshots go to {@code target/screenshots/}.
 */
class DashboardBrowserTest {
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path TARGET =
      Path.of(System.getProperty("overnight.moduleDir", "."), "target");

  @TempDir static Path profile;
  private static ChromeDriverService service;
  private static WebDriver driver;

  @TempDir Path reports;
  private final InstantSource clock = InstantSource.system();
  private final InMemoryTaskQueue queue = InMemoryTaskQueue.builder(clock).build();
  private InMemoryDashboardBackend backend;
  private DashboardServer server;
  private final AtomicLong sequence = new AtomicLong();

  @BeforeAll
  static void openBrowser() throws IOException {
    assertThat(CHROMEDRIVER)
        .as("Chromium's driver; install it with: apt-get install chromium chromium-driver")
        .isExecutable();
    assertThat(CHROMIUM).as("Chromium").isExecutable();
    Files.createDirectories(TARGET.resolve("screenshots"));
    service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .withLogFile(TARGET.resolve("chromedriver.log").toFile())
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // Offline, as root, in a container: no sandbox, no GPU, no calls home.
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,1100",
        "--user-data-dir=" + profile.resolve("chromium"));
    driver = new ChromeDriver(service, options);
  }

  @AfterAll
  static void closeBrowser() {
    if (driver != null) {
      driver.quit();
    }
    if (service != null) {
      service.stop();
    }
  }

  @BeforeEach
  void startServer() {
    backend =
        InMemoryDashboardBackend.builder(queue).clock(clock).reportsDirectory(reports).build();
    server = DashboardServer.builder(backend).clock(clock).build().start();
    driver.manage().window().setSize(new Dimension(1280, 1100));
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void withoutTheTokenTheDashboardIsRefused() {
    driver.get(server.baseUri().toString());
    WebElement refusal =
        waitFor().until(ExpectedConditions.presenceOfElementLocated(By.id("unauthorized")));
    assertThat(refusal.getText()).contains("Token required");
    assertThat(driver.findElements(By.id("state"))).isEmpty();
    screenshot("unauthorized");

    driver.get(server.baseUri() + "api/status");
    String body = driver.findElement(By.tagName("body")).getText();
    assertThat(body).contains("unauthorized").doesNotContain("scheduler");
    assertThat(backend.controlLog()).isEmpty();
  }

  @Test
  void theDashboardFollowsTheNightAndItsControlsReachTheBackend() throws IOException {
    Instant now = clock.instant();
    Files.writeString(
        reports.resolve("latest.html"),
        "<html><head><style>h1{color:#335}</style></head>"
            + "<body><h1>Night of the 25th</h1><p>2 tasks completed.</p></body></html>");
    Task parserTests =
        queue.enqueue(TaskSpec.builder("Add tests for the parser").agentId("codex").build()).task();
    Task lexer =
        queue.enqueue(TaskSpec.builder("Refactor the lexer").agentId("claude-code").build()).task();
    backend.onSchedulerEvent(
        new SchedulerEvent.StateChanged(
            now, new SchedulerState.Idle(), new SchedulerState.Running(now.plusSeconds(7200))));
    backend.onSchedulerEvent(
        new SchedulerEvent.ConstraintsChecked(
            now,
            Map.of(
                "plugged_in", ConstraintResult.satisfied("on AC power"),
                "cpu_max_percentage", ConstraintResult.satisfied("CPU 12% <= 80%")),
            true));
    backend.onCoordinatorEvent(
        new CoordinatorEvent.Decided(
            now,
            Fixtures.decision("Add tests for the parser", "src/Parser.java was touched 27 times"),
            true));
    backend.onSessionEvent(update("earlier", text("Work from before the page was opened.")));

    driver.get(server.url().toString());
    waitFor().until(ExpectedConditions.attributeToBe(By.id("connection"), "data-status", "live"));
    assertThat(driver.getCurrentUrl()).doesNotContain("token=");
    assertThat(driver.findElement(By.id("state")).getText()).isEqualTo("running");
    assertThat(driver.findElement(By.id("next-wake")).getText()).startsWith("next wake in");
    assertThat(driver.findElements(By.cssSelector("#constraints [data-constraint]"))).hasSize(2);
    assertThat(driver.findElement(By.id("decisions")).getText())
        .contains("src/Parser.java was touched 27 times");
    assertThat(rows()).isEqualTo(2);
    waitFor()
        .until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#session-list [data-session-id='earlier']")));

    // A task starts and its agent's session streams in while the page is open.
    Task running = queue.claimNext("overnight-1", Duration.ofMinutes(10)).orElseThrow();
    assertThat(running.id()).isEqualTo(parserTests.id());
    backend.onCoordinatorEvent(
        new CoordinatorEvent.TaskStarted(
            clock.instant(), running, "codex", "overnight/add-tests-parser", "night-1"));
    waitForTaskStatus(parserTests, "in_progress");
    backend.onSessionEvent(
        update("night-1", new SessionUpdate.SessionInfo(Optional.of("Parser tests"))));
    backend.onSessionEvent(update("night-1", Fixtures.plan("Read the parser", "Write the tests")));
    backend.onSessionEvent(
        update("night-1", Fixtures.thought("The parser has no tests for errors.")));
    backend.onSessionEvent(update("night-1", text("I'll start by reading")));
    backend.onSessionEvent(update("night-1", text(" the parser.")));
    waitForText(By.cssSelector("#transcript .item.message"), "I'll start by reading the parser.");
    assertThat(driver.findElement(By.cssSelector("#transcript .item.thought")).getText())
        .isEqualTo("The parser has no tests for errors.");
    assertThat(driver.findElements(By.cssSelector("#plan li"))).hasSize(2);
    assertThat(driver.findElement(By.id("session-head")).getText()).contains("Parser tests");

    backend.onSessionEvent(
        update(
            "night-1",
            Fixtures.editWithDiff(
                "edit-1",
                "src/test/ParserTest.java",
                "class ParserTest {\n}",
                "class ParserTest {\n  @Test void rejectsEmptyInput() {}\n}")));
    waitFor()
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("#transcript .diff .add"), "rejectsEmptyInput"));
    backend.onSessionEvent(update("night-1", Fixtures.toolDone("edit-1")));
    waitForText(By.cssSelector("#transcript [data-tool-call-id='edit-1'] .badge"), "completed");
    backend.onSessionEvent(update("night-1", text("Tests written.")));
    waitFor()
        .until(
            ExpectedConditions.numberOfElementsToBe(
                By.cssSelector("#transcript .item.message"), 2));
    scrollTo("sessions-card");
    screenshot("session-stream");

    // Run now.
    click(By.id("run-now"));
    waitFor()
        .until(
            ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "A cycle started"));
    assertThat(backend.controlLog()).containsExactly("run_now");

    // Cancel a task: the button asks for confirmation first.
    By cancel = By.cssSelector("tr[data-task-id='" + lexer.id() + "'] button.cancel");
    click(cancel);
    waitForText(cancel, "Confirm cancel");
    click(cancel);
    waitForTaskStatus(lexer, "cancelled");
    assertThat(queue.get(lexer.id()).orElseThrow().status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(backend.controlLog()).containsExactly("run_now", "cancel " + lexer.id());

    // And put it back.
    click(By.cssSelector("tr[data-task-id='" + lexer.id() + "'] button.retry"));
    waitForTaskStatus(lexer, "pending");
    assertThat(queue.get(lexer.id()).orElseThrow().status()).isEqualTo(TaskStatus.PENDING);

    // Pause and resume.
    click(By.id("pause"));
    waitForText(By.id("state"), "paused");
    assertThat(driver.findElement(By.id("pause-reason")).getText())
        .contains("paused from the dashboard");
    click(By.id("resume"));
    waitForText(By.id("state"), "running");
    assertThat(backend.controlLog())
        .containsExactly(
            "run_now",
            "cancel " + lexer.id(),
            "retry " + lexer.id(),
            "pause paused from the dashboard",
            "resume");

    // Last night's report, in its sandboxed frame.
    WebElement frame =
        waitFor().until(ExpectedConditions.visibilityOfElementLocated(By.id("report")));
    driver.switchTo().frame(frame);
    waitFor()
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.tagName("h1"), "Night of the 25th"));
    driver.switchTo().defaultContent();
    screenshot("dashboard-desktop");

    // On a phone-sized screen nothing spills sideways.
    driver.manage().window().setSize(new Dimension(390, 844));
    waitFor()
        .until(
            d ->
                (Boolean)
                    ((JavascriptExecutor) d).executeScript("return window.innerWidth <= 420"));
    JavascriptExecutor js = (JavascriptExecutor) driver;
    Object overflow =
        js.executeScript(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
    Object culprits =
        js.executeScript(
            "const w = document.documentElement.clientWidth;"
                + "return [...document.querySelectorAll('body *')]"
                + ".filter(e => e.getBoundingClientRect().right > w + 1)"
                + ".map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className"
                + " + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 12);");
    assertThat(((Number) overflow).intValue())
        .as("pixels the page is wider than the screen; widest elements: %s", culprits)
        .isLessThanOrEqualTo(0);
    assertThat(driver.findElement(By.id("run-now")).isDisplayed()).isTrue();
    // Every task's status shows whole, without scrolling the queue sideways.
    Object cutStatuses =
        js.executeScript(
            "const wrap = document.querySelector('#queue-card .table-wrap').getBoundingClientRect();"
                + "return [...document.querySelectorAll('#tasks td.status .badge')]"
                + ".map(b => b.getBoundingClientRect())"
                + ".filter(r => r.width === 0 || r.left < wrap.left || r.right > wrap.right + 0.5"
                + " || r.height > 40)"
                + ".length;");
    assertThat(((Number) cutStatuses).intValue()).as("statuses cut or wrapped").isZero();
    Object queueScroll =
        js.executeScript(
            "const w = document.querySelector('#queue-card .table-wrap');"
                + "return w.scrollWidth - w.clientWidth;");
    assertThat(((Number) queueScroll).intValue())
        .as("the queue scrolls sideways")
        .isLessThanOrEqualTo(0);
    screenshot("dashboard-phone");
    scrollTo("sessions-card");
    screenshot("dashboard-phone-session");
  }

  @Test
  void timesAreReadOnTheNightsClockAndATimeAheadOfItIsADate() {
    // A demo's night runs on virtual time, fifteen and a half hours ahead of this machine's.
    Instant night = clock.instant().plus(Duration.ofHours(15).plusMinutes(35));
    InstantSource virtual = InstantSource.fixed(night);
    InMemoryTaskQueue nightQueue = InMemoryTaskQueue.builder(virtual).build();
    Task demo = nightQueue.enqueue(TaskSpec.builder("Add tests for Parser.java").build()).task();
    InMemoryDashboardBackend nightBackend =
        InMemoryDashboardBackend.builder(nightQueue).clock(virtual).build();
    nightBackend.onSchedulerEvent(
        new SchedulerEvent.StateChanged(
            night,
            new SchedulerState.Idle(),
            new SchedulerState.Running(night.plus(Duration.ofMinutes(30)))));
    try (DashboardServer demoServer =
        DashboardServer.builder(nightBackend).clock(virtual).build().start()) {
      driver.get(demoServer.url().toString());
      waitForTaskStatus(demo, "pending");

      assertThat(updated(demo)).matches("just now|\\d+ s ago");
      waitFor()
          .until(
              ExpectedConditions.textToBePresentInElementLocated(By.id("next-wake"), "in 30 min"));
    }

    // The same night's tasks served later on this machine's clock: ahead of it, so a date.
    Task ahead = nightQueue.get(demo.id()).orElseThrow();
    InMemoryDashboardBackend later = InMemoryDashboardBackend.builder(nightQueue).build();
    try (DashboardServer serve = DashboardServer.builder(later).build().start()) {
      driver.get(serve.url().toString());
      waitForTaskStatus(ahead, "pending");

      assertThat(updated(ahead)).doesNotStartWith("in ").doesNotContain(" h ").isNotBlank();
      assertThat(
              driver
                  .findElement(
                      By.cssSelector("tr[data-task-id='" + ahead.id() + "'] td.updated time"))
                  .getAttribute("datetime"))
          .isEqualTo(ahead.updatedAt().toString());
    }
  }

  @Test
  void overAStateFolderAloneThePageSaysNoDaemonRunsAndShowsTheNightFromTheStore()
      throws IOException {
    Instant now = clock.instant();
    InMemoryTaskQueue stored = InMemoryTaskQueue.builder(clock).build();
    TransientSchedulerStateStore schedules = new TransientSchedulerStateStore();
    Task decided =
        stored
            .enqueue(
                TaskSpec.builder("Generate tests for src/Parser.java")
                    .title("Add tests for Parser.java")
                    .metadata("decision_path", "tests")
                    .metadata("rationale", "src/Parser.java was touched 27 times")
                    .build())
            .task();
    stored.claimNext("w1", Duration.ofMinutes(5)).orElseThrow();
    stored.annotate(decided.id(), "w1", Map.of("session_id", "night-7"));
    schedules.record(
        new CycleRecord(
            "cycle-1",
            "app",
            now.minusSeconds(3600),
            Optional.of(now.minusSeconds(3600)),
            Optional.of(now.minusSeconds(3000)),
            CycleOutcome.COMPLETED,
            Optional.empty(),
            List.of("1 task started"),
            false));
    schedules.record(
        new CycleRecord(
            "defer-1",
            "app",
            now.minusSeconds(1800),
            Optional.empty(),
            Optional.empty(),
            CycleOutcome.SKIPPED,
            Optional.of(SkipReason.CONSTRAINTS_UNSATISFIED),
            List.of("the machine is in a dark wake (no display)"),
            false,
            WakeReceipt.deferred(
                WakeReason.DARK_WAKE, "the machine is in a dark wake (no display)")));
    schedules.saveQuotaWindow(
        new QuotaWindow(
            "codex",
            now.minusSeconds(7200),
            Optional.of(now.plusSeconds(3 * 3600)),
            80_000,
            OptionalLong.of(100_000),
            true));
    Store store =
        new Store() {
          @Override
          public TaskQueue taskQueue() {
            return stored;
          }

          @Override
          public SchedulerStateStore schedulerStateStore() {
            return schedules;
          }

          @Override
          public void close() {}
        };
    StatePaths paths = new StatePaths(reports.resolve("app"));
    Files.createDirectories(paths.transcripts());
    Files.writeString(paths.transcripts().resolve("codex-night-7.jsonl"), "recorded\n");
    StateFolderBackend folder =
        StateFolderBackend.builder(store, paths)
            .transcriptReader(
                file ->
                    List.of(
                        new SessionEvent(
                            "night-7",
                            "codex",
                            Optional.empty(),
                            1,
                            now.minusSeconds(3500),
                            new SessionUpdate.AgentMessageChunk(
                                new ContentBlock.Text("Parser tests written.")))))
            .build();
    try (DashboardServer serve = DashboardServer.builder(folder).build().start()) {
      driver.get(serve.url().toString());
      waitForText(By.id("state"), "no daemon");

      assertThat(driver.findElement(By.id("run-now")).isEnabled()).isFalse();
      assertThat(driver.findElement(By.id("pause")).isEnabled()).isFalse();
      assertThat(driver.findElement(By.id("run-now")).getAttribute("title"))
          .startsWith("No daemon is running on this state folder");
      assertThat(driver.findElement(By.id("daemon-note")).getText())
          .startsWith("No daemon is running on this state folder");
      waitFor()
          .until(
              ExpectedConditions.textToBePresentInElementLocated(
                  By.cssSelector("#cycles [data-cycle-id='cycle-1']"), "1 task started"));
      waitFor()
          .until(
              ExpectedConditions.textToBePresentInElementLocated(
                  By.id("decisions"), "src/Parser.java was touched 27 times"));
      waitForText(By.cssSelector("#transcript .item.message"), "Parser tests written.");
      WebElement deferred = driver.findElement(By.cssSelector("#cycles [data-cycle-id='defer-1']"));
      assertThat(deferred.getAttribute("data-receipt")).isEqualTo("deferred");
      assertThat(deferred.getText()).contains("deferred: dark wake", "no display");
      WebElement quota = driver.findElement(By.cssSelector("#quota [data-quota='codex']"));
      assertThat(quota.getText()).contains("spent").contains("codex").contains("tokens");
      assertThat(quota.getText().replaceAll("[^0-9]", "")).startsWith("80000100000");
      assertThat(driver.findElement(By.id("session-head")).getText())
          .contains("Add tests for Parser.java");
      screenshot("dashboard-state-folder");
    }
  }

  @Test
  void theFleetViewShowsEachMachineAndTheFormQueuesWorkForOne() {
    Instant now = clock.instant();
    Map<String, WorkerInfo> recorded = new ConcurrentHashMap<>();
    WorkerRegistry registry =
        new WorkerRegistry() {
          @Override
          public void record(WorkerInfo worker) {
            recorded.put(worker.id(), worker);
          }

          @Override
          public List<WorkerInfo> workers() {
            return recorded.values().stream()
                .sorted((a, b) -> a.name().compareTo(b.name()))
                .toList();
          }
        };
    registry.record(
        new WorkerInfo(
            "mini-1a2b3c4d",
            "mac-mini",
            Set.of("os:macos", "agent:codex", "worker:mini-1a2b3c4d"),
            WorkerState.constraintsUnmet(List.of("plugged_in: on battery")),
            List.of(),
            now.minusSeconds(20),
            now.minus(Duration.ofHours(1))));
    registry.record(
        new WorkerInfo(
            "box-9f8e7d6c",
            "build-box",
            Set.of("os:linux", "worker:box-9f8e7d6c"),
            WorkerState.idle(),
            List.of(),
            now.minus(Duration.ofMinutes(30)),
            now.minus(Duration.ofHours(5))));
    server.close();
    backend =
        InMemoryDashboardBackend.builder(queue)
            .clock(clock)
            .reportsDirectory(reports)
            .workers(registry)
            .build();
    server = DashboardServer.builder(backend).clock(clock).build().start();

    driver.get(server.url().toString());
    By mini = By.cssSelector("#machines tr[data-worker-id='mini-1a2b3c4d']");
    waitFor().until(ExpectedConditions.presenceOfElementLocated(mini));
    assertThat(driver.findElement(mini).getAttribute("data-state")).isEqualTo("constraints_unmet");
    assertThat(driver.findElement(mini).getText()).contains("mac-mini", "plugged_in: on battery");
    assertThat(
            driver
                .findElement(By.cssSelector("#machines tr[data-worker-id='box-9f8e7d6c']"))
                .getAttribute("data-state"))
        .as("silent for 30 minutes")
        .isEqualTo("offline");

    scrollTo("enqueue");
    click(By.cssSelector("#enqueue summary"));
    driver.findElement(By.id("enqueue-prompt")).sendKeys("Upgrade the Xcode project settings");
    new Select(driver.findElement(By.id("enqueue-on"))).selectByValue("mini-1a2b3c4d");
    driver.findElement(By.id("enqueue-require")).sendKeys("agent:codex");
    click(By.id("enqueue-submit"));

    waitFor().until(d -> queue.list(TaskFilter.all()).total() == 1);
    Task queued = queue.list(TaskFilter.all()).items().get(0);
    assertThat(queued.title()).isEqualTo("Upgrade the Xcode project settings");
    assertThat(TaskFacts.REQUIRED_LABELS.from(queued))
        .contains(Set.of("agent:codex", "worker:mini-1a2b3c4d"));
    waitForTaskStatus(queued, "pending");
    waitFor()
        .until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#queue-labels tr[data-label='worker:mini-1a2b3c4d']")));
    screenshot("dashboard-fleet");
  }

  private static String updated(Task task) {
    return driver
        .findElement(By.cssSelector("tr[data-task-id='" + task.id() + "'] td:nth-child(5)"))
        .getText();
  }

  private SessionEvent update(String session, SessionUpdate update) {
    return new SessionEvent(
        session, "codex", Optional.empty(), sequence.incrementAndGet(), clock.instant(), update);
  }

  private static SessionUpdate text(String text) {
    return new SessionUpdate.AgentMessageChunk(new ContentBlock.Text(text));
  }

  private static WebDriverWait waitFor() {
    // A safety net: every wait ends as soon as its condition holds. The page re-renders what
    // changes, so an element found a moment ago may have been replaced: look it up again.
    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
    wait.ignoring(StaleElementReferenceException.class);
    return wait;
  }

  /** Clicks an element, looking it up again if the page replaced it meanwhile. */
  private static void click(By locator) {
    waitFor()
        .until(
            d -> {
              WebElement element = d.findElement(locator);
              // Clear of the sticky header, as a person would scroll before tapping.
              ((JavascriptExecutor) d)
                  .executeScript("arguments[0].scrollIntoView({block: 'center'})", element);
              element.click();
              return true;
            });
  }

  private static void waitForText(By locator, String text) {
    waitFor().until(ExpectedConditions.textToBe(locator, text));
  }

  private static void waitForTaskStatus(Task task, String status) {
    waitFor()
        .until(
            ExpectedConditions.attributeToBe(
                By.cssSelector("tr[data-task-id='" + task.id() + "']"), "data-status", status));
  }

  private static int rows() {
    return driver.findElements(By.cssSelector("#tasks tbody tr[data-task-id]")).size();
  }

  private static void scrollTo(String id) {
    ((JavascriptExecutor) driver)
        .executeScript("document.getElementById(arguments[0]).scrollIntoView()", id);
  }

  private static void screenshot(String name) {
    File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
    try {
      Files.copy(
          shot.toPath(),
          TARGET.resolve("screenshots").resolve(name + ".png"),
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
