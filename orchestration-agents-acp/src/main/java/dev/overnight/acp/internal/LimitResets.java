package dev.overnight.acp.internal;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Month;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a usage limit resets, read from the words of the agent's error, for agents that say it only
 * there: Codex's {@code "You've hit your usage limit. … Try again at 3:45 PM."} (or {@code "… at
 * Nov 26th, 2026 3:45 PM."} when not today), in the local time of the machine it runs on; Claude's
 * {@code "You've hit your limit · resets 3am (Europe/Berlin)"} (or {@code "resets Nov 27, 5pm
 * (…)"}), in the zone it names (an hour without its zone is not read: whose 3am?), and its older
 * {@code "Claude AI usage limit reached|EPOCH"}; and the common {@code "try again in 2 hours 13
 * minutes"}.
 *
 * <p>Stateless and thread-safe. A text that names no reset, or one that cannot be read, gives
 * empty: the caller then parks the agent for a back-off instead.
 */
final class LimitResets {
  private static final Pattern CODEX_DATE =
      Pattern.compile(
          "try again at ([A-Za-z]{3}) (\\d{1,2})(?:st|nd|rd|th), (\\d{4}) (\\d{1,2}):(\\d{2})"
              + " ?([AP]M)",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern CODEX_TIME =
      Pattern.compile("try again at (\\d{1,2}):(\\d{2}) ?([AP]M)", Pattern.CASE_INSENSITIVE);
  private static final Pattern IN =
      Pattern.compile(
          "try again in ((?:\\d+ ?(?:days?|d|hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s)"
              + "[ ,]*(?:and )?)+)",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern EPOCH =
      Pattern.compile("usage limit reached\\|(\\d{9,11})\\b", Pattern.CASE_INSENSITIVE);
  private static final Pattern PART =
      Pattern.compile("(\\d+) ?(d|h|m|s)[a-z]*", Pattern.CASE_INSENSITIVE);

  private LimitResets() {}

  /**
   * The reset the text names, read at {@code now} in {@code zone} (the agent's local time, where
   * the text does not name a zone); a time without a date is its next occurrence after now.
   */
  static Optional<Instant> fromText(String text, Instant now, ZoneId zone) {
    try {
      Matcher m = EPOCH.matcher(text);
      if (m.find()) {
        return Optional.of(Instant.ofEpochSecond(Long.parseLong(m.group(1))));
      }
      m = CODEX_DATE.matcher(text);
      if (m.find()) {
        LocalDate day =
            LocalDate.of(
                Integer.parseInt(m.group(3)), month(m.group(1)), Integer.parseInt(m.group(2)));
        return Optional.of(
            day.atTime(clock(m.group(4), m.group(5), m.group(6))).atZone(zone).toInstant());
      }
      m = CODEX_TIME.matcher(text);
      if (m.find()) {
        return Optional.of(next(clock(m.group(1), m.group(2), m.group(3)), now, zone));
      }
      m = IN.matcher(text);
      if (m.find()) {
        Duration wait = Duration.ZERO;
        Matcher part = PART.matcher(m.group(1));
        while (part.find()) {
          long n = Long.parseLong(part.group(1));
          wait =
              wait.plus(
                  switch (Character.toLowerCase(part.group(2).charAt(0))) {
                    case 'd' -> Duration.ofDays(n);
                    case 'h' -> Duration.ofHours(n);
                    case 'm' -> Duration.ofMinutes(n);
                    default -> Duration.ofSeconds(n);
                  });
        }
        return wait.isZero() ? Optional.empty() : Optional.of(now.plus(wait));
      }
    } catch (DateTimeException | NumberFormatException e) {
      // A reset that cannot be read is no reset: the agent gets a back-off.
    }
    return Optional.empty();
  }

  private static Month month(String abbreviation) {
    return Arrays.stream(Month.values())
        .filter(
            mo -> mo.getDisplayName(TextStyle.SHORT, Locale.ENGLISH).equalsIgnoreCase(abbreviation))
        .findFirst()
        .orElseThrow(() -> new DateTimeException("not a month: " + abbreviation));
  }

  private static LocalTime clock(String hour, String minute, String meridiem) {
    int h = Integer.parseInt(hour) % 12;
    if (meridiem.equalsIgnoreCase("pm")) {
      h += 12;
    }
    return LocalTime.of(h, Integer.parseInt(minute));
  }

  /** The first {@code at} in {@code zone} after {@code now}: today's, or tomorrow's. */
  private static Instant next(LocalTime at, Instant now, ZoneId zone) {
    ZonedDateTime today = now.atZone(zone).toLocalDate().atTime(at).atZone(zone);
    return today.toInstant().isAfter(now) ? today.toInstant() : today.plusDays(1).toInstant();
  }
}
