package dev.overnight.linux.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.constraint.ConstraintResult;
import dev.overnight.api.constraint.ConstraintStatus;
import dev.overnight.core.platform.CpuLimit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcStatCpuCheckerTest {
  static final String BEFORE =
      "cpu  21368 0 3586 217546 209 0 77 1086 0 0\ncpu0 10509 0 1587 109228 37 0 13 544 0 0\n";

  @TempDir Path temp;

  /** The second reading appears during the sampling window, as the kernel updates the file. */
  private ConstraintResult check(String first, String second, double limit) {
    FakeTree tree = new FakeTree(temp).proc("stat", first);
    SysfsLinuxHost host =
        tree.host(FakeTree.failingCommands(), Map.of(), d -> tree.proc("stat", second));
    return new ProcStatCpuChecker(host, new CpuLimit(limit), Duration.ofMillis(500)).check();
  }

  /** A reading {@code busy} user ticks and {@code idle} idle ticks after {@link #BEFORE}. */
  private static String after(long busy, long idle) {
    return "cpu  " + (21368 + busy) + " 0 3586 " + (217546 + idle) + " 209 0 77 1086 0 0\n";
  }

  @Test
  void busyAboveTheLimitIsUnsatisfied() {
    assertThat(check(BEFORE, after(91, 9), 80))
        .isEqualTo(ConstraintResult.unsatisfied("CPU 91% > 80% (over 500 ms)"));
  }

  @Test
  void busyAtOrBelowTheLimitIsSatisfied() {
    assertThat(check(BEFORE, after(12, 88), 80))
        .isEqualTo(ConstraintResult.satisfied("CPU 12% ≤ 80% (over 500 ms)"));
  }

  @Test
  void iowaitCountsAsIdleAndStealAsBusy() {
    String first = "cpu  100 0 0 100 0 0 0 0 0 0\n";
    String second = "cpu  100 0 0 100 50 0 0 50 40 0\n";
    // +50 iowait (idle), +50 steal (busy); guest (+40) is already inside user and is not added.
    assertThat(check(first, second, 80).reason()).startsWith("CPU 50% ≤ 80%");
  }

  @Test
  void countersThatDidNotMoveAreUnknown() {
    ConstraintResult r = check(BEFORE, BEFORE, 80);
    assertThat(r.status()).isEqualTo(ConstraintStatus.UNKNOWN);
    assertThat(r.reason()).endsWith("did not move in 500 ms");
  }

  @Test
  void countersThatWentBackwardsAreUnknown() {
    assertThat(check(after(10, 10), BEFORE, 80).reason()).contains("went backwards");
  }

  @Test
  void garbageOrMissingStatIsUnknown() {
    assertThat(check("cpu  a b c d e\n", BEFORE, 80).status()).isEqualTo(ConstraintStatus.UNKNOWN);
    assertThat(check("intr 1 2 3\n", BEFORE, 80).reason()).startsWith("cannot read the cpu line");
    assertThat(check(BEFORE, "", 80).status()).isEqualTo(ConstraintStatus.UNKNOWN);
  }

  @Test
  void aReadingOfThisMachineParses() {
    assertThat(ProcStatCpuChecker.parse(BEFORE)).isPresent();
    assertThat(ProcStatCpuChecker.parse(BEFORE).get().busy()).isEqualTo(21368 + 3586 + 77 + 1086);
    assertThat(ProcStatCpuChecker.parse(BEFORE).get().idle()).isEqualTo(217546 + 209);
  }
}
