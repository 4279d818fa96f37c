package dev.overnight.postgres;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a main class of these tests in a separate JVM, on this JVM's class path. */
final class ChildJvm {

  private ChildJvm() {}

  /** Starts {@code main} with {@code args}; its standard error goes to {@code stderr}. */
  static ProcessBuilder builder(Class<?> main, Path stderr, String... args) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElseThrow());
    // Short-lived workers of trusted test code: start fast rather than peak. Skipping bytecode
    // verification of the class path cuts a good part of loading jOOQ, most of a worker's start.
    command.addAll(
        List.of(
            "-Xshare:auto",
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-XX:-UsePerfData",
            "-XX:+UnlockDiagnosticVMOptions",
            "-XX:-BytecodeVerificationRemote",
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            main.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectError(stderr.toFile());
  }

  static Process start(Class<?> main, Path stderr, String... args) throws IOException {
    return builder(main, stderr, args).start();
  }
}
