package dev.overnight.acp.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into newline-delimited lines with a hard cap on line length, so that an
 * agent writing one endless line costs at most the cap in memory, never more.
 *
 * <p>Written by hand because the JDK readers either grow without bound ({@code BufferedReader}) or
 * decode to {@code char}s first; here a line stays bytes, handed to Jackson without copying when it
 * lies within one read chunk. Not thread-safe: one reader thread owns it.
 */
final class LineReader {
  private static final int CHUNK = 64 * 1024;

  private final InputStream in;
  private final int maxLineBytes;
  private final byte[] chunk = new byte[CHUNK];
  private int pos;
  private int limit;
  private byte[] line = new byte[8 * 1024];
  private int lineLength;
  private long highWater;

  // The current line: either a view into chunk or into line.
  private byte[] currentArray;
  private int currentOffset;
  private int currentLength;

  LineReader(InputStream in, int maxLineBytes) {
    this.in = in;
    this.maxLineBytes = maxLineBytes;
  }

  /** Thrown when a line exceeds the cap; the rest of the stream is not read. */
  static final class LineTooLongException extends IOException {
    private static final long serialVersionUID = 1L;

    LineTooLongException(int max) {
      super("a line longer than " + max + " bytes");
    }
  }

  /**
   * Advances to the next line (without its {@code \n} or {@code \r\n}).
   *
   * @return false at the end of the stream
   */
  boolean next() throws IOException {
    lineLength = 0;
    boolean copying = false;
    while (true) {
      if (pos == limit) {
        int n = in.read(chunk, 0, CHUNK);
        if (n <= 0) {
          pos = 0;
          limit = 0;
          if (copying && lineLength > 0) {
            set(line, 0, lineLength);
            return true;
          }
          return false;
        }
        pos = 0;
        limit = n;
      }
      int start = pos;
      int newline = indexOfNewline(start, limit);
      int end = newline < 0 ? limit : newline;
      if (newline >= 0 && !copying) {
        // The whole line lies in this chunk: hand out a view, no copy.
        pos = newline + 1;
        if (end - start > maxLineBytes) {
          throw new LineTooLongException(maxLineBytes);
        }
        set(chunk, start, trimCarriageReturn(chunk, start, end));
        return true;
      }
      append(start, end);
      copying = true;
      if (newline >= 0) {
        pos = newline + 1;
        set(line, 0, trimCarriageReturn(line, 0, lineLength));
        return true;
      }
      pos = limit;
    }
  }

  byte[] array() {
    return currentArray;
  }

  int offset() {
    return currentOffset;
  }

  int length() {
    return currentLength;
  }

  /** The most bytes this reader ever held for one line: the proof that memory stays bounded. */
  long highWaterBytes() {
    return Math.max(highWater, line.length);
  }

  private void set(byte[] array, int offset, int length) {
    currentArray = array;
    currentOffset = offset;
    currentLength = length;
  }

  private int indexOfNewline(int from, int to) {
    byte[] c = chunk;
    for (int i = from; i < to; i++) {
      if (c[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private static int trimCarriageReturn(byte[] array, int start, int end) {
    return end > start && array[end - 1] == '\r' ? end - start - 1 : end - start;
  }

  private void append(int start, int end) throws LineTooLongException {
    int n = end - start;
    if ((long) lineLength + n > maxLineBytes) {
      throw new LineTooLongException(maxLineBytes);
    }
    if (lineLength + n > line.length) {
      int capacity = (int) Math.min(maxLineBytes, Math.max((long) line.length * 2, lineLength + n));
      line = Arrays.copyOf(line, capacity);
      highWater = Math.max(highWater, capacity);
    }
    System.arraycopy(chunk, start, line, lineLength, n);
    lineLength += n;
  }
}
