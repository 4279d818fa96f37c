package dev.overnight.core.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

/**
 * Makes JUnit's temporary folders under the module's {@code target/tmp}: a sandbox gives commands a
 * private {@code /tmp}, so what a test wants them to see, or checks they cannot see, must live
 * elsewhere, as a user's files do.
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
