package dev.overnight.acp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineReaderTest {

  private static List<String> lines(LineReader r) throws IOException {
    List<String> out = new ArrayList<>();
    while (r.next()) {
      out.add(new String(r.array(), r.offset(), r.length(), StandardCharsets.UTF_8));
    }
    return out;
  }

  @Test
  void splitsOnNewlinesDropsCarriageReturnsAndKeepsALastUnterminatedLine() throws IOException {
    byte[] data = "a\r\n\nbé\nlast".getBytes(StandardCharsets.UTF_8);
    assertThat(lines(new LineReader(new ByteArrayInputStream(data), 1024)))
        .containsExactly("a", "", "bé", "last");
  }

  @Test
  void linesLongerThanOneReadChunkAreJoined() throws IOException {
    String big = "x".repeat(200_000);
    byte[] data = (big + "\nshort\n" + big + "y\n").getBytes(StandardCharsets.UTF_8);
    assertThat(lines(new LineReader(new TrickleStream(data, 7_000), 1 << 20)))
        .containsExactly(big, "short", big + "y");
  }

  @Test
  void aFiftyMegabyteLineFailsAtTheCapHavingHeldNoMoreThanTheCap() {
    int cap = 1 << 20;
    LineReader reader = new LineReader(new EndlessLine(50L * 1024 * 1024), cap);
    assertThatThrownBy(reader::next)
        .isInstanceOf(LineReader.LineTooLongException.class)
        .hasMessage("a line longer than " + cap + " bytes");
    assertThat(reader.highWaterBytes()).isLessThanOrEqualTo(cap);
  }

  @Test
  void aLineOfExactlyTheCapIsAccepted() throws IOException {
    byte[] data = ("y".repeat(2048) + "\n").getBytes(StandardCharsets.UTF_8);
    assertThat(lines(new LineReader(new TrickleStream(data, 100), 2048))).hasSize(1);
  }

  /** Hands out its bytes a few at a time, as a pipe does. */
  private static final class TrickleStream extends InputStream {
    private final byte[] data;
    private final int step;
    private int pos;

    TrickleStream(byte[] data, int step) {
      this.data = data;
      this.step = step;
    }

    @Override
    public int read() {
      return pos < data.length ? data[pos++] : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos >= data.length) {
        return -1;
      }
      int n = Math.min(Math.min(len, step), data.length - pos);
      System.arraycopy(data, pos, b, off, n);
      pos += n;
      return n;
    }
  }

  /** {@code size} bytes of one line, generated on the fly: the test itself holds none of it. */
  private static final class EndlessLine extends InputStream {
    private long left;

    EndlessLine(long size) {
      left = size;
    }

    @Override
    public int read() {
      return left-- > 0 ? 'x' : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (left <= 0) {
        return -1;
      }
      int n = (int) Math.min(len, left);
      java.util.Arrays.fill(b, off, off + n, (byte) 'x');
      left -= n;
      return n;
    }
  }
}
