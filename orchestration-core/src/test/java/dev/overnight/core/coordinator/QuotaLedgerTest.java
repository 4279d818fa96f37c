package dev.overnight.core.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.agent.QuotaReading;
import dev.overnight.api.agent.QuotaWindow;
import dev.overnight.core.schedule.TransientSchedulerStateStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The ledger learns a window from what an agent says of it before it is spent. */
class QuotaLedgerTest {
  private static final Instant NIGHT = Instant.parse("2026-11-25T01:00:00Z");
  private static final Instant RESET = Instant.parse("2026-11-25T04:00:00Z");

  private final TransientSchedulerStateStore store = new TransientSchedulerStateStore();

  @Test
  void aReadingGivesTheWindowItsResetAndASizeFromTheShareUsed() {
    QuotaLedger ledger = new QuotaLedger(store, 0.2);
    ledger.used("claude-code", 20_000, NIGHT);

    ledger.reported("claude-code", new QuotaReading(RESET, 0.25), 10_000, NIGHT.plusSeconds(60));

    QuotaWindow w = ledger.window("claude-code", NIGHT.plusSeconds(60));
    assertThat(w.resetsAt()).contains(RESET);
    assertThat(w.limitTokens()).hasValue(120_000);
    assertThat(w.usedTokens())
        .as("the attempt's tokens are counted once, by used")
        .isEqualTo(20_000);
    assertThat(w.exhausted()).isFalse();
    assertThat(ledger.holdsBack("claude-code", NIGHT.plusSeconds(60))).isEmpty();

    ledger.used("claude-code", 80_000, NIGHT.plusSeconds(120)); // 100 000 of 120 000: over 80%
    assertThat(ledger.holdsBack("claude-code", NIGHT.plusSeconds(120)))
        .hasValueSatisfying(why -> assertThat(why).contains("keeps 20%", "resets " + RESET));
    assertThat(new QuotaLedger(store, 0.2).window("claude-code", NIGHT.plusSeconds(120)))
        .as("kept in the state store")
        .isEqualTo(ledger.window("claude-code", NIGHT.plusSeconds(120)));
  }

  @Test
  void aReadingWithoutAShareUsedOrAPastResetLeavesWhatWasKnown() {
    QuotaLedger ledger = new QuotaLedger(store, 0.2);
    ledger.used("claude-code", 5_000, NIGHT);

    ledger.reported("claude-code", new QuotaReading(RESET, 0), 1_000, NIGHT);
    assertThat(ledger.window("claude-code", NIGHT).limitTokens()).isEmpty();
    assertThat(ledger.window("claude-code", NIGHT).resetsAt()).contains(RESET);

    Instant later = RESET.minus(Duration.ofMinutes(1));
    ledger.reported("claude-code", new QuotaReading(NIGHT, 0.5), 0, later);
    assertThat(ledger.window("claude-code", later).resetsAt())
        .as("a reset already past is not taken")
        .isEqualTo(Optional.of(RESET));
    assertThat(ledger.window("claude-code", later).limitTokens()).hasValue(10_000);
  }
}
