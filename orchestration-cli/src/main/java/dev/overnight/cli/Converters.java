package dev.overnight.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Option values checked as the command line is read, so a wrong one is a usage error (exit code
 * {@value ExitCodes#USAGE}) before anything starts.
 */
final class Converters {
  private Converters() {}

  /** A TCP port: 0 (any free port) to 65535. */
  static final class Port implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      int port;
      try {
        port = Integer.parseInt(value.strip());
      } catch (NumberFormatException e) {
        throw new TypeConversionException(
            "'" + TerminalText.line(value) + "' is not a port number (0 for any free port)");
      }
      if (port < 0 || port > 65535) {
        throw new TypeConversionException(port + " is not a port: give 0 (any free port) to 65535");
      }
      return port;
    }
  }

  /** An address this machine can listen on: an IP address or a name that resolves. */
  static final class Address implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      try {
        InetAddress.getByName(value);
        return value;
      } catch (UnknownHostException | SecurityException e) {
        throw new TypeConversionException(
            "'"
                + TerminalText.line(value)
                + "' is not an address of this machine (e.g. 127.0.0.1)");
      }
    }
  }
}
