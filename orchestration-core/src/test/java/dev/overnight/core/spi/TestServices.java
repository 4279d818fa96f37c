package dev.overnight.core.spi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A {@link ProviderLoader} that discovers the given implementation classes through real {@code
 * META-INF/services} files, written to a folder put in front of the test class path: discovery is
 * tested the way plugins are found, not around it.
 */
public final class TestServices {
  private final Path root;
  private final Map<Class<?>, List<Class<?>>> services = new LinkedHashMap<>();

  private TestServices(Path root) {
    this.root = root;
  }

  /** Services written under {@code root}. */
  public static TestServices in(Path root) {
    return new TestServices(root);
  }

  /** Registers implementations of {@code spi}, in discovery order. */
  public TestServices register(Class<?> spi, Class<?>... implementations) {
    services.put(spi, List.of(implementations));
    return this;
  }

  /** A loader that finds the registered implementations (and whatever the class path has). */
  public ProviderLoader loader() {
    try {
      Path dir = Files.createDirectories(root.resolve("META-INF/services"));
      for (Map.Entry<Class<?>, List<Class<?>>> e : services.entrySet()) {
        Files.writeString(
            dir.resolve(e.getKey().getName()),
            e.getValue().stream().map(Class::getName).collect(Collectors.joining("\n", "", "\n")));
      }
      URL url = root.toUri().toURL();
      return ProviderLoader.of(
          new URLClassLoader(new URL[] {url}, TestServices.class.getClassLoader()));
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
