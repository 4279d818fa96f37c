package dev.overnight.cli;

import dev.overnight.core.rehearsal.ServiceEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the context an installed service starts in from its definition: a systemd unit's {@code
 * Environment=}, {@code EnvironmentFile=} and {@code WorkingDirectory=}, or a launchd plist's
 * {@code EnvironmentVariables}, {@code WorkingDirectory} and the environment file its wrapper
 * reads. What the service manager itself gives every service (home, user, shell) is taken from this
 * process; nothing else of it is.
 *
 * <p>Stateless; reads files only.
 */
final class InstalledService {
  /** What systemd's user manager passes to every unit, besides what the unit sets. */
  private static final List<String> SYSTEMD_BASE =
      List.of(
          "HOME",
          "USER",
          "LOGNAME",
          "SHELL",
          "LANG",
          "XDG_RUNTIME_DIR",
          "DBUS_SESSION_BUS_ADDRESS");

  /** What launchd passes to every agent, besides what the plist sets. */
  private static final List<String> LAUNCHD_BASE =
      List.of("HOME", "USER", "LOGNAME", "SHELL", "TMPDIR");

  /** systemd's PATH for units that set none. */
  private static final String SYSTEMD_DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

  /** launchd's PATH for agents that set none. */
  private static final String LAUNCHD_DEFAULT_PATH = "/usr/bin:/bin:/usr/sbin:/sbin";

  private InstalledService() {}

  /**
   * The context of the service defined by {@code file}, else, when there is no such file, this
   * process's.
   *
   * @param file a systemd unit, or a launchd plist (by its {@code .plist} name)
   * @param process this process's environment
   * @param directory this process's working folder
   * @throws IOException if the definition or its environment file cannot be read
   */
  static ServiceEnvironment read(Path file, Map<String, String> process, Path directory)
      throws IOException {
    if (!Files.isRegularFile(file)) {
      return new ServiceEnvironment(
          "this shell (no service installed at " + file + ")",
          process,
          directory,
          Optional.empty(),
          Optional.empty());
    }
    String text = Files.readString(file);
    return file.getFileName().toString().endsWith(".plist")
        ? launchd(file, text, process)
        : systemd(file, text, process);
  }

  private static ServiceEnvironment systemd(Path file, String text, Map<String, String> process)
      throws IOException {
    Map<String, String> vars = base(process, SYSTEMD_BASE);
    vars.put("PATH", SYSTEMD_DEFAULT_PATH);
    String home = process.getOrDefault("HOME", System.getProperty("user.home", "/"));
    Path working = Path.of(home);
    Optional<Path> envFile = Optional.empty();
    List<String[]> assignments = new ArrayList<>();
    boolean service = false;
    for (String raw : text.lines().toList()) {
      String line = raw.strip();
      if (line.startsWith("[")) {
        service = line.equals("[Service]");
        continue;
      }
      if (!service || line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String key = line.substring(0, eq).strip();
      String value = line.substring(eq + 1).strip();
      switch (key) {
        case "Environment" -> {
          for (String word : words(value)) {
            int at = word.indexOf('=');
            if (at > 0) {
              assignments.add(new String[] {word.substring(0, at), word.substring(at + 1)});
            }
          }
        }
        case "EnvironmentFile" -> {
          String path = value.startsWith("-") ? value.substring(1) : value;
          List<String> w = words(path);
          if (!w.isEmpty()) {
            envFile = Optional.of(Path.of(w.get(0)));
          }
        }
        case "WorkingDirectory" -> {
          String path = value.startsWith("-") ? value.substring(1) : value;
          List<String> w = words(path);
          if (!w.isEmpty()) {
            working = w.get(0).equals("~") ? Path.of(home) : Path.of(w.get(0));
          }
        }
        default -> {
          // Other settings do not shape the service's context.
        }
      }
    }
    // systemd applies Environment= lines, then the file, which wins.
    for (String[] a : assignments) {
      vars.put(a[0], a[1]);
    }
    if (envFile.isPresent()) {
      vars.putAll(environmentFile(envFile.get()));
    }
    return new ServiceEnvironment(
        "systemd unit " + file, vars, working, Optional.of(file), envFile);
  }

  private static ServiceEnvironment launchd(Path file, String text, Map<String, String> process)
      throws IOException {
    Map<String, String> vars = base(process, LAUNCHD_BASE);
    vars.put("PATH", LAUNCHD_DEFAULT_PATH);
    Path working = Path.of("/");
    Optional<String> dir = plistString(text, "WorkingDirectory");
    if (dir.isPresent()) {
      working = Path.of(dir.get());
    }
    Matcher env =
        Pattern.compile("<key>EnvironmentVariables</key>\\s*<dict>(.*?)</dict>", Pattern.DOTALL)
            .matcher(text);
    if (env.find()) {
      Matcher pair =
          Pattern.compile("<key>(.*?)</key>\\s*<string>(.*?)</string>", Pattern.DOTALL)
              .matcher(env.group(1));
      while (pair.find()) {
        vars.put(unxml(pair.group(1)), unxml(pair.group(2)));
      }
    }
    Optional<Path> envFile = Optional.empty();
    Matcher args =
        Pattern.compile("<key>ProgramArguments</key>\\s*<array>(.*?)</array>", Pattern.DOTALL)
            .matcher(text);
    if (args.find()) {
      List<String> argv = new ArrayList<>();
      Matcher s = Pattern.compile("<string>(.*?)</string>", Pattern.DOTALL).matcher(args.group(1));
      while (s.find()) {
        argv.add(unxml(s.group(1)));
      }
      // install-service's wrapper: /bin/sh -c SCRIPT ENV_FILE COMMAND...
      if (argv.size() > 3 && argv.get(0).equals("/bin/sh") && argv.get(1).equals("-c")) {
        envFile = Optional.of(Path.of(argv.get(3)));
      }
    }
    if (envFile.isPresent()) {
      vars.putAll(environmentFile(envFile.get()));
    }
    return new ServiceEnvironment(
        "launchd agent " + file, vars, working, Optional.of(file), envFile);
  }

  /**
   * The {@code NAME=value} lines of an environment file, in order; comments and blank lines
   * skipped, one pair of quotes around a value removed. A missing file is empty, as the service
   * takes it.
   */
  static Map<String, String> environmentFile(Path file) throws IOException {
    Map<String, String> vars = new LinkedHashMap<>();
    if (!Files.isRegularFile(file)) {
      return vars;
    }
    for (String raw : Files.readAllLines(file)) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      if (line.startsWith("export ")) {
        line = line.substring("export ".length()).strip();
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String value = line.substring(eq + 1).strip();
      if (value.length() >= 2
          && (value.startsWith("\"") && value.endsWith("\"")
              || value.startsWith("'") && value.endsWith("'"))) {
        value = value.substring(1, value.length() - 1);
      }
      vars.put(line.substring(0, eq).strip(), value);
    }
    return vars;
  }

  private static Map<String, String> base(Map<String, String> process, List<String> names) {
    Map<String, String> vars = new LinkedHashMap<>();
    for (String name : names) {
      String value = process.get(name);
      if (value != null) {
        vars.put(name, value);
      }
    }
    return vars;
  }

  /**
   * The words of a unit setting: blank-separated, double-quoted ones unescaped, {@code %%} as %.
   */
  static List<String> words(String value) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (quoted) {
        if (c == '\\' && i + 1 < value.length()) {
          word.append(value.charAt(++i));
        } else if (c == '"') {
          quoted = false;
        } else {
          word.append(c);
        }
      } else if (c == '"') {
        quoted = true;
        any = true;
      } else if (Character.isWhitespace(c)) {
        if (any || word.length() > 0) {
          words.add(word.toString().replace("%%", "%"));
          word.setLength(0);
          any = false;
        }
      } else {
        word.append(c);
      }
    }
    if (any || word.length() > 0) {
      words.add(word.toString().replace("%%", "%"));
    }
    return words;
  }

  private static Optional<String> plistString(String text, String key) {
    Matcher m =
        Pattern.compile("<key>" + key + "</key>\\s*<string>(.*?)</string>", Pattern.DOTALL)
            .matcher(text);
    return m.find() ? Optional.of(unxml(m.group(1))) : Optional.empty();
  }

  private static String unxml(String s) {
    return s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
  }
}
