package dev.overnight.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The operating system's way to keep {@code overnight run} going: a launchd agent on macOS, a
 * systemd user unit elsewhere.
 *
 * @param kind {@code launchd} or {@code systemd}
 * @param file where the definition goes
 * @param content the definition
 * @param install the commands that load it
 * @param uninstall the commands that unload it
 */
record ServiceDefinition(
    String kind,
    Path file,
    String content,
    List<List<String>> install,
    List<List<String>> uninstall) {

  /** The definition for this machine. */
  static ServiceDefinition forThisMachine(
      String configId, List<String> command, Path home, String osName) {
    String name = "overnight-" + configId;
    if (osName.toLowerCase(Locale.ROOT).startsWith("mac")) {
      String label = "dev.overnight." + configId;
      Path plist = home.resolve("Library/LaunchAgents/" + label + ".plist");
      Path logs = home.resolve("Library/Logs/Overnight");
      String args =
          command.stream()
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
          List.of(List.of("launchctl", "load", "-w", plist.toString())),
          List.of(List.of("launchctl", "unload", "-w", plist.toString())));
    }
    Path unit = home.resolve(".config/systemd/user/" + name + ".service");
    String content =
        "[Unit]\n"
            + "Description=Overnight: coding agents while you sleep ("
            + configId
            + ")\n"
            + "After=network-online.target\n\n"
            + "[Service]\n"
            + "Type=simple\n"
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

  private static String systemdQuote(String s) {
    return s.matches("[A-Za-z0-9_./:=@+-]+")
        ? s
        : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
