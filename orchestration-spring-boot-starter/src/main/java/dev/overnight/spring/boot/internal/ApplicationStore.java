package dev.overnight.spring.boot.internal;

import dev.overnight.api.store.Store;
import java.util.Optional;

/**
 * A store the application provides for Overnight (its DataSource's), named by a type that does not
 * need the store's module on the class path. Closed after the runtime that used it.
 */
public interface ApplicationStore extends AutoCloseable {

  /** The store, if the application has one for Overnight. */
  Optional<Store> store();

  @Override
  void close();
}
