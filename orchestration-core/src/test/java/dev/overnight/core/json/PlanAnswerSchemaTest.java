package dev.overnight.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.config.Focus;
import dev.overnight.core.decision.internal.PlanAnswers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The published plan-answer schema and the engine's own check of an answer agree: what the schema
 * accepts is read as a plan, and each shape the schema refuses is refused or dropped by the engine
 * too, so the prompt's promise and the validation are one contract.
 */
class PlanAnswerSchemaTest {
  private static final String SCHEMA = "plan-answer.schema.json";

  @TempDir Path ws;

  private static String task(String extra) {
    return "{\"kind\":\"tests\",\"files\":[\"src/A.java\"],\"title\":\"Test A\","
        + "\"prompt\":\"Add tests for A.\",\"acceptance_check\":\"The tests pass.\","
        + "\"rationale\":\"A changed often.\",\"expected_size\":\"small\""
        + extra
        + "}";
  }

  private PlanAnswers.Result read(String answer) throws Exception {
    Files.createDirectories(ws.resolve("src"));
    Files.writeString(ws.resolve("src/A.java"), "class A {}\n");
    return PlanAnswers.read(
        answer, new PlanAnswers.Rules(ws, Focus.everything(), Set.of(), 5, 3600));
  }

  @Test
  void aValidAnswerIsValidForBoth() throws Exception {
    String answer = "{\"tasks\":[" + task("") + "]}";
    assertThat(ShapeSchemas.errors(SCHEMA, answer)).isEmpty();
    assertThat(read(answer)).isInstanceOf(PlanAnswers.Plan.class);
    assertThat(((PlanAnswers.Plan) read(answer)).dropped()).isEmpty();
  }

  @Test
  void whatTheSchemaRefusesTheEngineDoesNotKeep() throws Exception {
    List<String> refused =
        List.of(
            "{\"tasks\":[" + task(",\"agent\":\"x\"") + "]}",
            "{\"tasks\":[" + task("").replace("\"small\"", "\"huge\"") + "]}",
            "{\"tasks\":[" + task("").replace("\"tests\"", "\"wizardry\"") + "]}",
            "{\"tasks\":[" + task("").replace("src/A.java", "../A.java") + "]}",
            "{\"tasks\":[" + task("").replace("src/A.java", "/etc/passwd") + "]}",
            "{\"tasks\":[" + task("").replace(",\"title\":\"Test A\"", "") + "]}",
            "{\"tasks\":[" + task("").replace("Test A", "x".repeat(201)) + "]}",
            "{\"tasks\":[" + task("") + "],\"run\":\"sh\"}",
            "{\"plan\":[]}");
    for (String answer : refused) {
      assertThat(ShapeSchemas.errors(SCHEMA, answer)).as(answer).isNotEmpty();
      PlanAnswers.Result r = read(answer);
      boolean kept = r instanceof PlanAnswers.Plan p && !p.kept().isEmpty();
      assertThat(kept).as(answer).isFalse();
    }
  }
}
