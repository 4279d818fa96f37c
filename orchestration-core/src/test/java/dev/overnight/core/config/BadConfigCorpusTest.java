package dev.overnight.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.overnight.api.config.ConfigException;
import dev.overnight.api.config.ConfigProblem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every file under {@code bad-configs/} is rejected by the loader with exactly the problems in its
 * {@code .expected} file, and by the JSON Schema; the loader throws nothing but {@link
 * ConfigException}.
 */
class BadConfigCorpusTest {
  /**
   * Cases whose only problem is a name no provider on the class path serves: the schema checks a
   * plugin name's shape, and only the loader, which sees the providers, can tell it is unknown.
   */
  static final Set<String> UNKNOWN_PLUGIN_NAMES =
      Set.of("44-history-source-unknown.json", "54-decision-engine-unknown.json");

  static final Path CORPUS =
      Path.of(System.getProperty("overnight.moduleDir", "."), "src/test/resources/bad-configs");

  private final ConfigLoader loader =
      ConfigLoader.builder()
          .environment(Map.of())
          .homeDirectory(Path.of("/home/dev"))
          .userName("dev")
          .build();

  static List<Path> cases() throws IOException {
    try (Stream<Path> files = Files.list(CORPUS)) {
      return files
          .filter(f -> f.toString().endsWith(".json"))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  @Test
  void corpusHasAtLeastFortyCases() throws IOException {
    assertThat(cases()).hasSizeGreaterThanOrEqualTo(40);
  }

  @TestFactory
  Stream<DynamicTest> loaderReportsExactlyTheExpectedProblems() throws IOException {
    return cases().stream()
        .map(
            file ->
                dynamicTest(
                    file.getFileName().toString(),
                    () -> {
                      Path expectedFile =
                          Path.of(file.toString().replaceAll("\\.json$", ".expected"));
                      List<String> expected = Files.readAllLines(expectedFile);
                      assertThatThrownBy(() -> loader.load(file))
                          .isExactlyInstanceOf(ConfigException.class)
                          .satisfies(
                              e ->
                                  assertThat(
                                          ((ConfigException) e)
                                              .problems().stream()
                                                  .map(ConfigProblem::toString)
                                                  .collect(Collectors.toList()))
                                      .containsExactlyElementsOf(expected));
                    }));
  }

  @TestFactory
  Stream<DynamicTest> schemaRejectsEveryCase() throws IOException {
    return cases().stream()
        .filter(file -> !UNKNOWN_PLUGIN_NAMES.contains(file.getFileName().toString()))
        .map(
            file ->
                dynamicTest(
                    file.getFileName().toString(),
                    () -> assertThat(SchemaValidator.errors(Files.readString(file))).isNotEmpty()));
  }

  @TestFactory
  Stream<DynamicTest> theSchemaAcceptsWellFormedPluginNamesItCannotKnow() {
    return UNKNOWN_PLUGIN_NAMES.stream()
        .sorted()
        .map(
            name ->
                dynamicTest(
                    name,
                    () ->
                        assertThat(SchemaValidator.errors(Files.readString(CORPUS.resolve(name))))
                            .isEmpty()));
  }
}
