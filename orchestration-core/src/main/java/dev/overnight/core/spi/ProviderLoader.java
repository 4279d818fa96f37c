package dev.overnight.core.spi;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the implementations of an SPI on a class loader through {@link ServiceLoader}.
 *
 * <p>Every discovery in Overnight goes through one instance of this class, so tests and embedders
 * can point it at their own class loader (or at nothing). A provider that cannot be loaded — its
 * class missing, its constructor throwing — is logged with its cause and skipped; the others still
 * load. Discovery is a convenience: explicit registration on a builder always comes first (see
 * {@link NamedProviders}).
 *
 * <p>Thread-safe; {@link #load} blocks on class loading and returns a fresh list each call.
 *
 * @since 0.1.0
 */
public final class ProviderLoader {
  private static final Logger LOG = LoggerFactory.getLogger(ProviderLoader.class);

  private final ClassLoader classLoader;

  private ProviderLoader(ClassLoader classLoader) {
    this.classLoader = classLoader;
  }

  /** A loader over the given class loader. */
  public static ProviderLoader of(ClassLoader classLoader) {
    return new ProviderLoader(Objects.requireNonNull(classLoader, "classLoader"));
  }

  /** A loader over the class loader that loaded Overnight. */
  public static ProviderLoader standard() {
    return new ProviderLoader(ProviderLoader.class.getClassLoader());
  }

  /** A loader that finds nothing: only explicitly registered providers are used. */
  public static ProviderLoader none() {
    return new ProviderLoader(null);
  }

  /**
   * Every provider of {@code spi} that could be instantiated, in discovery order. Broken entries
   * are logged at WARN and skipped.
   */
  public <S> List<S> load(Class<S> spi) {
    List<S> found = new ArrayList<>();
    if (classLoader == null) {
      return found;
    }
    Iterator<S> it = ServiceLoader.load(spi, classLoader).iterator();
    while (true) {
      try {
        if (!it.hasNext()) {
          break;
        }
        found.add(it.next());
      } catch (ServiceConfigurationError | LinkageError e) {
        LOG.warn(
            "Skipping a {} provider that could not be loaded: {}", spi.getName(), e.toString());
      }
    }
    return found;
  }
}
