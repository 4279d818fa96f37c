package dev.overnight.build;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Leaves a marker file when every test of a module was skipped or aborted, so the build can fail.
 *
 * <p>A suite whose tests all skip (a missing tool, a failed assumption) looks green while proving
 * nothing. Surefire has no switch for that, so this listener records the outcome and the enforcer's
 * {@code requireFilesDontExist} rule in the root pom turns the marker into a failure. Surefire and
 * Failsafe both run in one module; a run that executed tests records that, so a later all-skipped
 * run of the same build does not mark the module.
 */
public final class AllTestsSkippedGuard implements TestExecutionListener {

  static final String MARKER = "overnight-all-tests-skipped.txt";
  static final String EXECUTED = "overnight-tests-executed.txt";

  private final AtomicInteger executed = new AtomicInteger();
  private final AtomicInteger skipped = new AtomicInteger();

  @Override
  public void executionSkipped(TestIdentifier test, String reason) {
    if (test.isTest()) {
      skipped.incrementAndGet();
    }
  }

  @Override
  public void executionFinished(TestIdentifier test, TestExecutionResult result) {
    if (!test.isTest()) {
      return;
    }
    if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
      skipped.incrementAndGet();
    } else {
      executed.incrementAndGet();
    }
  }

  @Override
  public void testPlanExecutionFinished(TestPlan plan) {
    String moduleDir = System.getProperty("overnight.moduleDir");
    if (moduleDir == null) {
      return; // not run by this build (an IDE, a user's project)
    }
    Path target = Path.of(moduleDir, "target");
    try {
      Files.createDirectories(target);
      if (executed.get() > 0) {
        Files.writeString(target.resolve(EXECUTED), executed.get() + " tests executed\n");
        Files.deleteIfExists(target.resolve(MARKER));
      } else if (skipped.get() > 0 && !Files.exists(target.resolve(EXECUTED))) {
        Files.writeString(
            target.resolve(MARKER),
            "All "
                + skipped.get()
                + " tests of "
                + moduleDir
                + " were skipped or aborted; see target/surefire-reports or"
                + " target/failsafe-reports for the reasons.\n",
            StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
