package dev.overnight.core.decision;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Copies history fixtures from the test resources, filling in {@code ${NAME}} placeholders. */
final class Fixtures {
  private Fixtures() {}

  static Path install(String resource, Path target, Map<String, String> variables) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/history/" + resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + resource);
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      for (Map.Entry<String, String> v : variables.entrySet()) {
        text = text.replace("${" + v.getKey() + "}", v.getValue());
      }
      Files.createDirectories(target.getParent());
      Files.writeString(target, text);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
