package dev.overnight.acp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** Reset times read from the words of real limit errors. */
class LimitResetsTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final Instant NOW = Instant.parse("2026-11-25T01:30:00Z"); // 02:30 in Berlin

  @Test
  void codexNamesTodaysResetInTheMachinesLocalTime() {
    assertThat(
            LimitResets.fromText(
                "You've hit your usage limit. Upgrade to Pro (https://chatgpt.com/explore/pro),"
                    + " visit https://chatgpt.com/codex/settings/usage to purchase more credits"
                    + " or try again at 3:45 PM.",
                NOW,
                BERLIN))
        .contains(Instant.parse("2026-11-25T14:45:00Z"));
  }

  @Test
  void codexNamesALaterDayWithItsDate() {
    assertThat(
            LimitResets.fromText(
                "You've hit your usage limit. Try again at Nov 28th, 2026 9:05 AM.", NOW, BERLIN))
        .contains(Instant.parse("2026-11-28T08:05:00Z"));
  }

  @Test
  void claudesOlderMessageCarriesTheEpochSecond() {
    assertThat(LimitResets.fromText("Claude AI usage limit reached|1764039600", NOW, BERLIN))
        .contains(Instant.ofEpochSecond(1764039600L));
  }

  @Test
  void aWaitInWordsCountsFromNow() {
    assertThat(
            LimitResets.fromText(
                "Rate limit reached. Please try again in 2 hours 13 minutes.", NOW, BERLIN))
        .contains(NOW.plusSeconds(2 * 3600 + 13 * 60));
    assertThat(LimitResets.fromText("429 Too Many Requests: try again in 45s", NOW, BERLIN))
        .contains(NOW.plusSeconds(45));
  }

  @Test
  void wordsWithoutAResetGiveNone() {
    assertThat(LimitResets.fromText("You've hit your usage limit. Try again later.", NOW, BERLIN))
        .isEmpty();
    assertThat(LimitResets.fromText("Try again at Foo 3rd, 2026 9:05 AM.", NOW, BERLIN)).isEmpty();
    assertThat(LimitResets.fromText("You've hit your limit · resets 3am (UTC)", NOW, BERLIN))
        .as("Claude's words: its usage_update says the reset exactly")
        .isEmpty();
  }
}
