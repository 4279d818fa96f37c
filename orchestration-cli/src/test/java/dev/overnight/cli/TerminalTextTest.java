package dev.overnight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TerminalTextTest {
  @Test
  void plainTextIsLeftAlone() {
    String s = "Add tests for Parser.java — café ☕ 😀";
    assertThat(TerminalText.line(s)).isSameAs(s);
    assertThat(TerminalText.text("two\n\tlines")).isEqualTo("two\n\tlines");
  }

  @Test
  void controlCharactersAreShownNotObeyed() {
    assertThat(TerminalText.line("\u001b[2J\u001b]0;title\u0007\u009b31m\u007f\u0000"))
        .isEqualTo("\\x1b[2J\\x1b]0;title\\x07\\x9b31m\\x7f\\x00");
    assertThat(TerminalText.line("abc\u202edef\u2066\u2028\u200f"))
        .isEqualTo("abc\\u202edef\\u2066\\u2028\\u200f");
  }

  @Test
  void oneLineShowsLineBreaksWhileTextKeepsThem() {
    assertThat(TerminalText.line("a\nb\r\nc\td")).isEqualTo("a\\nb\\r\\nc\\td");
    assertThat(TerminalText.text("a\nb\r\nc\td\rhidden")).isEqualTo("a\nb\nc\td\\rhidden");
  }
}
