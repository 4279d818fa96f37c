package dev.overnight.core.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessCommandRunnerTest {
  private final CommandRunner runner = CommandRunner.system();

  @Test
  void capturesOutputAndExitCode() {
    CommandResult r =
        runner.run(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), Duration.ofSeconds(30));
    assertThat(r.outcome()).isEqualTo(CommandResult.Outcome.EXITED);
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.stdout()).isEqualTo("out\n");
    assertThat(r.stderr()).isEqualTo("err\n");
    assertThat(r.succeeded()).isFalse();
    assertThat(r.describe()).isEqualTo("exit 3: err");
  }

  @Test
  void standardInputIsEmptySoReadersFinish() {
    CommandResult r = runner.run(List.of("cat"), Duration.ofSeconds(30));
    assertThat(r.succeeded()).isTrue();
    assertThat(r.stdout()).isEmpty();
  }

  @Test
  void runsInTheCLocale() {
    CommandResult r = runner.run(List.of("sh", "-c", "echo $LC_ALL"), Duration.ofSeconds(30));
    assertThat(r.firstLine()).isEqualTo("C");
  }

  @Test
  void aMissingCommandIsReportedNotThrown() {
    CommandResult r = runner.run(List.of("overnight-no-such-command"), Duration.ofSeconds(5));
    assertThat(r.outcome()).isEqualTo(CommandResult.Outcome.NOT_STARTED);
    assertThat(r.describe()).isEqualTo("command not found: overnight-no-such-command");
  }

  @Test
  void aCommandThatOverrunsIsKilledWithItsChildren() {
    // The shell's child sleep holds the output pipe: the runner must not wait for it either.
    CommandResult r =
        runner.run(List.of("sh", "-c", "echo started; sleep 600 & wait"), Duration.ofMillis(500));
    assertThat(r.outcome()).isEqualTo(CommandResult.Outcome.TIMED_OUT);
    assertThat(r.describe()).isEqualTo("timed out after 500 ms");
    assertThat(
            ProcessHandle.current()
                .descendants()
                .filter(p -> p.info().command().orElse("").endsWith("sleep"))
                .filter(ProcessHandle::isAlive)
                .count())
        .isZero();
  }
}
