package dev.overnight.core.decision.internal;

import dev.overnight.api.ProviderContext;
import dev.overnight.api.decision.SessionHistorySource;
import dev.overnight.api.decision.SessionHistorySourceProvider;
import dev.overnight.core.decision.OvernightTranscripts;

/**
 * Overnight's own session transcripts, in the runtime's state folder. Found through {@link
 * java.util.ServiceLoader}.
 */
public final class OvernightTranscriptsProvider implements SessionHistorySourceProvider {
  /** Creates the provider (for {@link java.util.ServiceLoader}). */
  public OvernightTranscriptsProvider() {}

  @Override
  public String name() {
    return "overnight";
  }

  @Override
  public SessionHistorySource create(ProviderContext context) {
    return OvernightTranscripts.inStateDirectory(context.stateDirectory());
  }
}
