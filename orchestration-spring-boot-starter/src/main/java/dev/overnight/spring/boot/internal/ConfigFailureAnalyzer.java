package dev.overnight.spring.boot.internal;

import dev.overnight.api.config.ConfigException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports an Overnight configuration that does not load, when the application fails to start: every
 * problem with its property (or, for a config file, its JSON path), instead of a stack trace.
 */
public final class ConfigFailureAnalyzer extends AbstractFailureAnalyzer<ConfigException> {

  /** Created by Spring Boot from {@code META-INF/spring.factories}. */
  public ConfigFailureAnalyzer() {}

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, ConfigException cause) {
    return new FailureAnalysis(
        "Overnight's configuration does not load. " + cause.getMessage(),
        "Fix each overnight.* property listed (or the config file at overnight.config-file),"
            + " or set overnight.enabled=false to run the application without Overnight.",
        cause);
  }
}
