package dev.overnight.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An example's {@code main}, run as a user runs it: in a JVM of its own, on the programs' runtime
 * class path only (no test libraries), with its own temporary folder.
 *
 * @param stdout every line it printed on standard output
 * @param stderr what it printed on standard error, for failure messages
 */
public record ExampleRun(List<String> stdout, String stderr) {
  /** Longer than any example needs; only a hung program gets near it. */
  private static final long HANG_GUARD_MINUTES = 3;

  /**
   * Runs {@code main} with {@code tmp} as its {@code java.io.tmpdir}, and checks that it exited
   * with 0 and left no folder of its own behind there.
   */
  public static ExampleRun of(Class<?> main, Path tmp) throws Exception {
    Path classes = Path.of(main.getProtectionDomain().getCodeSource().getLocation().toURI());
    String dependencies =
        Files.readString(Path.of(System.getProperty("overnight.examples.classpathFile"))).strip();
    Path stderrFile = tmp.resolve("stderr.txt");
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmp,
                "-cp",
                classes + File.pathSeparator + dependencies,
                main.getName())
            .redirectError(stderrFile.toFile())
            .start();
    process.getOutputStream().close();
    CompletableFuture<String> stdout =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    if (!process.waitFor(HANG_GUARD_MINUTES, TimeUnit.MINUTES)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new AssertionError(main.getSimpleName() + " did not finish: " + stdout.getNow(""));
    }
    ExampleRun run = new ExampleRun(stdout.get().lines().toList(), Files.readString(stderrFile));
    assertThat(process.exitValue())
        .as("exit code of %s; it printed %s and %s", main.getSimpleName(), run.stdout, run.stderr)
        .isZero();
    try (Stream<Path> left = Files.list(tmp)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .as("what %s left in its temporary folder", main.getSimpleName())
          .noneMatch(name -> name.startsWith("overnight-example-"));
    }
    return run;
  }
}
