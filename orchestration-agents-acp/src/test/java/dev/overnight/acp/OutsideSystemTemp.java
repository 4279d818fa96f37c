package dev.overnight.acp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

/**
 * Makes JUnit's temporary folders under the module's {@code target/tmp} instead of the system's
 * temporary folder: a sandboxed command sees a private, empty {@code /tmp}, so what a test wants it
 * to see (or checks it cannot see) must live elsewhere, as a user's files do; and Codex refuses to
 * set up its own sandbox when its home lies in the system's temporary folder.
 */
public final class OutsideSystemTemp implements TempDirFactory {
  @Override
  public Path createTempDirectory(
      AnnotatedElementContext elementContext, ExtensionContext extensionContext)
      throws IOException {
    Path base = Path.of(System.getProperty("overnight.moduleDir", "."), "target", "tmp");
    Files.createDirectories(base);
    return Files.createTempDirectory(base.toAbsolutePath(), "junit-");
  }
}
