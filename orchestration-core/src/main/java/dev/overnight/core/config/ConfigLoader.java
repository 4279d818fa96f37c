package dev.overnight.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overnight.api.config.ConfigException;
import dev.overnight.api.config.ConfigProblem;
import dev.overnight.api.config.OrchestrationConfig;
import dev.overnight.api.decision.CandidateSourceProvider;
import dev.overnight.api.decision.DecisionEngineProvider;
import dev.overnight.api.decision.SessionHistorySourceProvider;
import dev.overnight.core.config.internal.ConfigReader;
import dev.overnight.core.config.internal.Problems;
import dev.overnight.core.config.internal.Variables;
import dev.overnight.core.json.OvernightJson;
import dev.overnight.core.spi.ProviderLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Loads and validates Overnight's JSON configuration.
 *
 * <p>Keys are snake_case. Every problem in a document is reported at once, each with its JSON path
 * and a plain reason ({@code /schedule/window_start: "25:00" is not a time of day (HH:mm)}); an
 * unknown key gets a "did you mean". Path fields ({@code workspace_root}, {@code state_dir}, agent
 * and MCP commands) expand {@code $WORKSPACE}, {@code $HOME}, {@code $USER}, {@code ${NAME}} and a
 * leading {@code ~}, and resolve relative paths against the config file's folder; the text as
 * written is kept so {@link ConfigWriter} saves it unexpanded.
 *
 * <p>Immutable and thread-safe. Loading reads the file and checks that the workspace exists (and is
 * a git repository when pull requests are enabled, or a repository with a commit when {@link
 * Builder#requireRepository} says so). The only exception thrown for a bad document is {@link
 * ConfigException}.
 *
 * @since 0.1.0
 */
public final class ConfigLoader {
  /** The largest config file read: far above any real config, far below a mistake. */
  public static final int MAX_BYTES = 1024 * 1024;

  /** Classpath location of the config's JSON Schema (draft 2020-12). */
  public static final String SCHEMA_RESOURCE =
      "/dev/overnight/core/config/overnight-config.schema.json";

  /** Overnight's one mapper: strict, so a duplicate key or trailing text is an error. */
  private static final ObjectMapper MAPPER = OvernightJson.mapper();

  private final Map<String, String> environment;
  private final String home;
  private final String user;
  private final ConfigReader.KnownNames known;
  private final boolean requireRepository;

  private ConfigLoader(Builder b) {
    this.environment = b.environment;
    this.home = b.home;
    this.user = b.user;
    this.known = knownNames(b.loader);
    this.requireRepository = b.requireRepository;
  }

  /** The plugin names a config may use: those the loader's providers serve. */
  private static ConfigReader.KnownNames knownNames(ProviderLoader loader) {
    Set<String> sources = new TreeSet<>();
    loader.load(SessionHistorySourceProvider.class).forEach(p -> sources.add(p.name()));
    Set<String> engines = new TreeSet<>();
    loader.load(DecisionEngineProvider.class).forEach(p -> engines.add(p.name()));
    Set<String> candidates = new TreeSet<>();
    loader.load(CandidateSourceProvider.class).forEach(p -> candidates.add(p.name()));
    return new ConfigReader.KnownNames(sources, engines, candidates);
  }

  /** A loader reading the process environment, {@code user.home} and {@code user.name}. */
  public static ConfigLoader standard() {
    return builder().build();
  }

  /** A builder, for tests and embedders that control the environment. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Loads a config file.
   *
   * @throws ConfigException listing every problem, including an unreadable file
   */
  public OrchestrationConfig load(Path file) {
    return result(file).orElseThrow();
  }

  /**
   * Loads JSON text; relative paths resolve against {@code baseDir}.
   *
   * @param source a name for messages, e.g. {@code "<inline>"}
   * @throws ConfigException listing every problem
   */
  public OrchestrationConfig parse(String json, Path baseDir, String source) {
    return result(json, baseDir, source).orElseThrow();
  }

  /** Loads a config file, returning the problems instead of throwing. Never throws. */
  public Result result(Path file) {
    String source = file.toString();
    String text;
    Path real;
    try {
      // A symlinked config is read, and its relative paths resolved, where the file really is.
      real = file.toRealPath();
      if (!Files.isRegularFile(real)) {
        return Result.failed(
            source, "", "not a regular file: " + file + " (a config is a JSON file)");
      }
      long size = Files.size(real);
      if (size > MAX_BYTES) {
        return Result.failed(
            source,
            "",
            String.format(
                java.util.Locale.ROOT,
                "the file is %.1f MB; a config is at most 1 MB",
                size / (1024.0 * 1024.0)));
      }
      byte[] bytes = Files.readAllBytes(real);
      text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (NoSuchFileException e) {
      return Result.failed(source, "", "config file not found: " + file);
    } catch (CharacterCodingException e) {
      return Result.failed(source, "", "not UTF-8 text");
    } catch (IOException | UncheckedIOException e) {
      return Result.failed(source, "", "cannot read " + file + ": " + e.getMessage());
    }
    Path dir = real.getParent();
    return result(text, dir == null ? Path.of("").toAbsolutePath() : dir, source);
  }

  /** Loads JSON text, returning the problems instead of throwing. Never throws. */
  public Result result(String json, Path baseDir, String source) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where =
          at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      return Result.failed(source, "", "not valid JSON" + where + ": " + e.getOriginalMessage());
    }
    if (root == null || root.isMissingNode()) {
      return Result.failed(source, "", "the document is empty");
    }
    ConfigReader reader =
        new ConfigReader(
            new Variables(environment, home, user), baseDir, MAPPER, known, requireRepository);
    Optional<OrchestrationConfig> config;
    try {
      config = reader.read(root);
    } catch (RuntimeException e) {
      // A bug in a rule must still surface as a config error naming the document, not a crash.
      reader.problems().add("", "could not be checked: " + e);
      config = Optional.empty();
    }
    Problems problems = reader.problems();
    return new Result(source, config.filter(c -> problems.isEmpty()), problems.sorted());
  }

  /** The config's JSON Schema (draft 2020-12), as text. */
  public static String schema() {
    try (InputStream in = ConfigLoader.class.getResourceAsStream(SCHEMA_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + SCHEMA_RESOURCE);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The outcome of loading: the config, or every problem found.
   *
   * @param source what was loaded
   * @param config the config, when there were no problems
   * @param problems every problem, sorted by path
   */
  public record Result(
      String source, Optional<OrchestrationConfig> config, List<ConfigProblem> problems) {

    /** Copies the problems. */
    public Result {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(config, "config");
      problems = List.copyOf(problems);
    }

    static Result failed(String source, String path, String message) {
      return new Result(source, Optional.empty(), List.of(new ConfigProblem(path, message)));
    }

    /** Whether the config loaded without problems. */
    public boolean isValid() {
      return problems.isEmpty() && config.isPresent();
    }

    /**
     * The config.
     *
     * @throws ConfigException listing every problem, if there were any
     */
    public OrchestrationConfig orElseThrow() {
      if (!isValid()) {
        throw new ConfigException(source, problems);
      }
      return config.orElseThrow();
    }
  }

  /** Builds a {@link ConfigLoader}. Not thread-safe. */
  public static final class Builder {
    private Map<String, String> environment = System.getenv();
    private String home = System.getProperty("user.home");
    private String user = System.getProperty("user.name");
    private ProviderLoader loader = ProviderLoader.standard();
    private boolean requireRepository;

    private Builder() {}

    /**
     * Whether the workspace must also be a git repository with at least one commit, which every
     * night needs (default: false, so loading runs no process and a config can be written before
     * its repository exists). Checked by running git; {@code overnight config validate} turns it
     * on.
     */
    public Builder requireRepository(boolean value) {
      requireRepository = value;
      return this;
    }

    /**
     * Where the plugins that serve the names a config may use ({@code decision.engine}, {@code
     * decision.history_sources}) are found (default: {@link ProviderLoader#standard()}).
     */
    public Builder providerLoader(ProviderLoader value) {
      loader = Objects.requireNonNull(value, "providerLoader");
      return this;
    }

    /**
     * The environment variables {@code $WORKSPACE} and {@code ${NAME}} read (default: the
     * process's).
     */
    public Builder environment(Map<String, String> value) {
      environment = Map.copyOf(value);
      return this;
    }

    /** The home directory for {@code $HOME} and {@code ~} (default: {@code user.home}). */
    public Builder homeDirectory(Path value) {
      home = value.toString();
      return this;
    }

    /** The user name for {@code $USER} (default: {@code user.name}). */
    public Builder userName(String value) {
      user = Objects.requireNonNull(value, "userName");
      return this;
    }

    /** Builds the loader. */
    public ConfigLoader build() {
      return new ConfigLoader(this);
    }
  }
}
