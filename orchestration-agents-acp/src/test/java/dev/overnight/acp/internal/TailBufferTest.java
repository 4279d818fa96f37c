package dev.overnight.acp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TailBufferTest {

  private static void append(TerminalService.TailBuffer b, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    b.append(bytes, bytes.length);
  }

  @Test
  void keepsTheLastBytesAndSaysWhenItCut() {
    TerminalService.TailBuffer b = new TerminalService.TailBuffer(10);
    append(b, "0123");
    assertThat(b.snapshot()).isEqualTo(new TerminalService.TailBuffer.Snapshot("0123", false));
    for (int i = 0; i < 100; i++) {
      append(b, "abcdefg");
    }
    append(b, "XYZ");
    assertThat(b.snapshot().text()).isEqualTo("abcdefgXYZ");
    assertThat(b.snapshot().truncated()).isTrue();
    append(b, "0123456789012345");
    assertThat(b.snapshot().text()).isEqualTo("6789012345");
  }

  @Test
  void neverStartsInTheMiddleOfACharacter() {
    TerminalService.TailBuffer b = new TerminalService.TailBuffer(5);
    append(b, "ééé"); // six bytes: the first byte of the window is a continuation byte
    assertThat(b.snapshot().text()).isEqualTo("éé");
  }
}
