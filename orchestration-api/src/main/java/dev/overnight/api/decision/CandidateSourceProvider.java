package dev.overnight.api.decision;

import dev.overnight.api.ProviderContext;

/**
 * ServiceLoader SPI that contributes a {@link CandidateSource} under a name. Every source found is
 * used unless the config's {@code decision.sources} lists which ones to use. A source given
 * explicitly to the runtime's builder wins over a discovered one of the same name.
 *
 * <p>Implementations must have a public no-argument constructor and be cheap to construct.
 *
 * @since 0.1.0
 */
public interface CandidateSourceProvider {

  /** The name the config uses, e.g. {@code tests}, {@code todo}. */
  String name();

  /** Precedence among providers of one name; lower wins. */
  default int order() {
    return 0;
  }

  /** Creates the source for a runtime. */
  CandidateSource create(ProviderContext context);
}
