package dev.overnight.acp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.overnight.core.json.OvernightJson;
import org.junit.jupiter.api.Test;

/** Which model a session says it runs on. */
class SessionModesTest {

  private static JsonNode json(String text) {
    return OvernightJson.read(text);
  }

  @Test
  void theModelCategoryOptionWinsOverTheUnstableModelsAnswer() {
    SessionModes modes = new SessionModes();
    assertThat(modes.model()).isEmpty();

    modes.readModels(json("{\"currentModelId\":\"from-models\",\"availableModels\":[]}"));
    assertThat(modes.model()).contains("from-models");

    modes.readConfigOptions(
        json(
            "[{\"id\":\"mode\",\"category\":\"mode\",\"currentValue\":\"plan\"},"
                + "{\"id\":\"model\",\"category\":\"model\",\"currentValue\":\"opus\"}]"));
    assertThat(modes.model()).contains("opus");
  }

  @Test
  void aModelsAnswerThatIsNotAnObjectIsIgnored() {
    SessionModes modes = new SessionModes();
    modes.readModels(json("[\"a\"]"));
    modes.readModels(json("null"));

    assertThat(modes.model()).isEmpty();
  }
}
