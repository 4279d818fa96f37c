package dev.overnight.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The operating system's way to keep {@code overnight run} going: a launchd agent on macOS, a
 * systemd user unit elsewhere.
 *
 * <p>A service starts with almost nothing of the user's session: the definition carries the {@code
 * PATH} the user had (where npm-installed agents are found) and reads an environment file, owner
 * only, for the agents' keys.
 *
 * @param kind {@code launchd} or {@code systemd}
 * @param file where the definition goes
 * @param content the definition
 * @param environmentFile the file of {@code NAME=value} lines the service reads at start
 * @param install the commands that load it
 * @param uninstall the commands that unload it
 */
record ServiceDefinition(
    String kind,
    Path file,
    String content,
    Path environmentFile,
    List<List<String>> install,
    List<List<String>> uninstall) {

  /** A new environment file's text: where the agents' keys go. */
  static String environmentTemplate(String configId) {
    return "# Environment of the Overnight service \""
        + configId
        + "\": NAME=value lines, read when it starts.\n"
        + "# Only you can read this file. Put the agents' keys here, for example:\n"
        + "# ANTHROPIC_API_KEY=...\n"
        + "# OPENAI_API_KEY=...\n"
        + "# GEMINI_API_KEY=...\n";
  }

  /**
   * The definition for this machine.
   *
   * @param path the {@code PATH} the service runs with (the user's own)
   */
  static ServiceDefinition forThisMachine(
      String configId, List<String> command, Path home, String osName, String path) {
    String name = "overnight-" + configId;
    if (osName.toLowerCase(Locale.ROOT).startsWith("mac")) {
      String label = "dev.overnight." + configId;
      Path plist = home.resolve("Library/LaunchAgents/" + label + ".plist");
      Path logs = home.resolve("Library/Logs/Overnight");
      Path env = home.resolve("Library/Application Support/Overnight/" + configId + ".env");
      // launchd reads no environment file: a shell reads it, then becomes the command.
      List<String> wrapped = new java.util.ArrayList<>();
      wrapped.add("/bin/sh");
      wrapped.add("-c");
      wrapped.add("if [ -f \"$0\" ]; then set -a; . \"$0\"; set +a; fi; exec \"$@\"");
      wrapped.add(env.toString());
      wrapped.addAll(command);
      String args =
          wrapped.stream()
              .map(a -> "    <string>" + xml(a) + "</string>")
              .collect(Collectors.joining("\n"));
      String content =
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              + "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
              + "<plist version=\"1.0\">\n<dict>\n"
              + "  <key>Label</key>\n  <string>"
              + label
              + "</string>\n"
              + "  <key>ProgramArguments</key>\n  <array>\n"
              + args
              + "\n  </array>\n"
              + "  <key>EnvironmentVariables</key>\n  <dict>\n    <key>PATH</key>\n    <string>"
              + xml(path)
              + "</string>\n  </dict>\n"
              + "  <key>RunAtLoad</key>\n  <true/>\n"
              + "  <key>KeepAlive</key>\n  <dict>\n    <key>SuccessfulExit</key>\n    <false/>\n  </dict>\n"
              + "  <key>ProcessType</key>\n  <string>Background</string>\n"
              + "  <key>StandardOutPath</key>\n  <string>"
              + xml(logs.resolve(name + ".log").toString())
              + "</string>\n"
              + "  <key>StandardErrorPath</key>\n  <string>"
              + xml(logs.resolve(name + ".log").toString())
              + "</string>\n"
              + "</dict>\n</plist>\n";
      return new ServiceDefinition(
          "launchd",
          plist,
          content,
          env,
          List.of(List.of("launchctl", "load", "-w", plist.toString())),
          List.of(List.of("launchctl", "unload", "-w", plist.toString())));
    }
    Path unit = home.resolve(".config/systemd/user/" + name + ".service");
    Path env = home.resolve(".config/overnight/" + configId + ".env");
    String content =
        "[Unit]\n"
            + "Description=Overnight: coding agents while you sleep ("
            + configId
            + ")\n"
            + "After=network-online.target\n\n"
            + "[Service]\n"
            + "Type=simple\n"
            + "Environment="
            + systemdQuote("PATH=" + path)
            + "\n"
            // "-": the service still starts when the file is gone.
            + "EnvironmentFile=-"
            + systemdQuote(env.toString())
            + "\n"
            + "ExecStart="
            + command.stream().map(ServiceDefinition::systemdQuote).collect(Collectors.joining(" "))
            + "\n"
            + "Restart=on-failure\n"
            + "RestartSec=30\n"
            + "KillSignal=SIGTERM\n"
            + "TimeoutStopSec=90\n\n"
            + "[Install]\n"
            + "WantedBy=default.target\n";
    return new ServiceDefinition(
        "systemd",
        unit,
        content,
        env,
        List.of(
            List.of("systemctl", "--user", "daemon-reload"),
            List.of("systemctl", "--user", "enable", "--now", name + ".service")),
        List.of(
            List.of("systemctl", "--user", "disable", "--now", name + ".service"),
            List.of("systemctl", "--user", "daemon-reload")));
  }

  private static String xml(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /** A word of a unit file: quoted when needed, and {@code %} doubled (systemd's specifiers). */
  static String systemdQuote(String s) {
    String escaped = s.replace("%", "%%");
    return escaped.matches("[A-Za-z0-9_./:=@+%-]+")
        ? escaped
        : "\"" + escaped.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
