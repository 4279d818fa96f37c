package dev.overnight.core.coordinator;

import dev.overnight.api.agent.QuotaReading;
import dev.overnight.api.agent.QuotaWindow;
import dev.overnight.api.schedule.SchedulerStateStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each agent's usage windows, learned as the night goes and kept in the state store: the tokens its
 * tasks used, and the windows its limit errors closed (with their reset, when the agent said). A
 * window whose limit was hit knows its size; the next window of the agent is taken to be alike, in
 * size and in length.
 *
 * <p>It holds an agent back when its window is known spent, and, with {@code
 * limits.leave_for_morning}, once the window's share for the night is used: so much is left of each
 * known window when it closes.
 *
 * <p>Thread-safe; methods block on the state store while they save.
 *
 * @since 0.1.0
 */
public final class QuotaLedger {
  private static final Logger LOG = LoggerFactory.getLogger(QuotaLedger.class);

  private final SchedulerStateStore store;
  private final double leaveForMorning;
  private final Map<String, QuotaWindow> latest = new HashMap<>(); // guarded by this

  /**
   * A ledger over what the store kept.
   *
   * @param store where the windows are kept
   * @param leaveForMorning the share of each known window to leave when it closes, 0 to 1
   */
  public QuotaLedger(SchedulerStateStore store, double leaveForMorning) {
    this.store = Objects.requireNonNull(store, "store");
    if (leaveForMorning < 0 || leaveForMorning >= 1) {
      throw new IllegalArgumentException("leaveForMorning must be in [0, 1): " + leaveForMorning);
    }
    this.leaveForMorning = leaveForMorning;
    for (QuotaWindow w : store.quotaWindows()) {
      latest.merge(w.agentId(), w, (a, b) -> a.start().isAfter(b.start()) ? a : b);
    }
  }

  /** The agent's window at {@code now}: the last one, or the one after it once it reset. */
  public synchronized QuotaWindow window(String agentId, Instant now) {
    QuotaWindow w = latest.get(agentId);
    if (w == null) {
      return new QuotaWindow(agentId, now, Optional.empty(), 0, OptionalLong.empty(), false);
    }
    while (!w.openAt(now)) {
      Instant reset = w.resetsAt().orElseThrow();
      w =
          new QuotaWindow(
              agentId,
              reset,
              w.length().filter(l -> !l.isZero()).map(reset::plus),
              0,
              w.limitTokens(),
              false);
      if (w.resetsAt().isEmpty()) {
        break;
      }
    }
    return w;
  }

  /** Counts tokens an attempt of the agent used. */
  public synchronized void used(String agentId, long tokens, Instant now) {
    if (tokens <= 0) {
      return;
    }
    QuotaWindow w = window(agentId, now);
    keep(
        new QuotaWindow(
            agentId,
            w.start(),
            w.resetsAt(),
            w.usedTokens() + tokens,
            w.limitTokens(),
            w.exhausted()));
  }

  /**
   * The agent said its limit is reached: its window is spent, and holds what was used of it. A
   * reset the agent named ends the window then; without one, the window's end stays unknown.
   */
  public synchronized void exhausted(String agentId, Optional<Instant> resetAt, Instant now) {
    QuotaWindow w = window(agentId, now);
    OptionalLong limit = w.usedTokens() > 0 ? OptionalLong.of(w.usedTokens()) : w.limitTokens();
    keep(
        new QuotaWindow(
            agentId,
            w.start(),
            resetAt.filter(now::isBefore).or(w::resetsAt),
            w.usedTokens(),
            limit,
            true));
  }

  /**
   * The agent said, while its window still had room, when the window resets and how much of it is
   * used. The window then ends at that reset, and, when the share used is above zero and tokens
   * were used, holds about the tokens used divided by that share: so the night is paced on the
   * window before it is spent. {@code pendingTokens} are the tokens of the attempt that read it,
   * not counted yet; they are counted by {@link #used} as usual. A reset already past is ignored.
   */
  public synchronized void reported(
      String agentId, QuotaReading reading, long pendingTokens, Instant now) {
    QuotaWindow w = window(agentId, now);
    Optional<Instant> reset = Optional.of(reading.resetsAt()).filter(now::isBefore);
    long used = w.usedTokens() + Math.max(0, pendingTokens);
    OptionalLong limit =
        reading.utilization() > 0 && used > 0
            ? OptionalLong.of(Math.round(used / reading.utilization()))
            : w.limitTokens();
    keep(
        new QuotaWindow(
            agentId, w.start(), reset.or(w::resetsAt), w.usedTokens(), limit, w.exhausted()));
  }

  /**
   * Why the agent must not take work now, if it must not: its window is known spent until its
   * reset, or the night's share of a known window is used.
   */
  public synchronized Optional<String> holdsBack(String agentId, Instant now) {
    QuotaWindow w = window(agentId, now);
    if (w.resetsAt().isEmpty()) {
      return Optional.empty();
    }
    Instant reset = w.resetsAt().get();
    if (w.exhausted()) {
      return Optional.of("has spent its usage window until " + reset);
    }
    if (leaveForMorning > 0
        && w.usedShare().filter(share -> share >= 1 - leaveForMorning).isPresent()) {
      return Optional.of(
          String.format(
              Locale.ROOT,
              "keeps %d%% of its usage window for the morning (used %d of %d tokens; resets %s)",
              Math.round(leaveForMorning * 100),
              w.usedTokens(),
              w.limitTokens().getAsLong(),
              reset));
    }
    return Optional.empty();
  }

  /** Every window the ledger kept, oldest first per agent. */
  public List<QuotaWindow> windows() {
    return store.quotaWindows();
  }

  private void keep(QuotaWindow w) {
    latest.put(w.agentId(), w);
    try {
      store.saveQuotaWindow(w);
    } catch (RuntimeException e) {
      // The night goes on with what this process knows; only a restart would forget it.
      LOG.warn("Could not keep {}'s usage window: {}", w.agentId(), e.toString());
    }
  }
}
