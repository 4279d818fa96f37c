package dev.overnight.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A throwaway folder holding a small git repository with a README and some code, for the examples
 * to work on. In an application of your own, this is your repository and a state folder you choose.
 *
 * <p>Not thread-safe. Methods that run git block until it ends and throw {@link
 * IllegalStateException} when it fails; {@link #close()} deletes the folder and everything in it.
 */
public final class SampleWorkspace implements AutoCloseable {
  private final Path root;

  private SampleWorkspace(Path root) {
    this.root = root;
  }

  /**
   * Creates a temporary folder with a git repository in {@code repo/} holding one commit.
   *
   * @throws IOException if the folder cannot be written
   * @throws IllegalStateException if git is missing or fails
   */
  public static SampleWorkspace create() throws IOException {
    SampleWorkspace w = new SampleWorkspace(Files.createTempDirectory("overnight-example-"));
    Path repo = Files.createDirectories(w.repository());
    Files.writeString(repo.resolve("README.md"), "# Sample\n\nsample app.  Run it with java.\n");
    Files.writeString(
        repo.resolve("App.java"),
        "public class App {\n"
            + "  public static void main(String[] args) {\n"
            + "    System.out.println(\"Hello\");\n"
            + "  }\n"
            + "}\n");
    w.git("init", "-q");
    w.git("add", ".");
    w.git(
        "-c",
        "user.name=Sample",
        "-c",
        "user.email=sample@localhost",
        "commit",
        "-q",
        "-m",
        "Start");
    return w;
  }

  /** The temporary folder: config files and state folders go here. */
  public Path root() {
    return root;
  }

  /** The git repository the agents work on. */
  public Path repository() {
    return root.resolve("repo");
  }

  /** Writes {@code json} as {@code overnight.json} in {@link #root()} and returns the file. */
  public Path writeConfig(String json) throws IOException {
    return Files.writeString(root.resolve("overnight.json"), json);
  }

  /** Runs git in the repository and returns what it printed, trimmed. */
  public String git(String... args) {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    try {
      Process p =
          new ProcessBuilder(command)
              .directory(repository().toFile())
              .redirectErrorStream(true)
              .start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (p.waitFor() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
      }
      return output;
    } catch (IOException e) {
      throw new IllegalStateException("could not run git (is it installed?): " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running git", e);
    }
  }

  /** Deletes the folder and everything in it. */
  @Override
  public void close() throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      all.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
