package dev.overnight.acp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overnight.api.agent.QuotaReading;
import dev.overnight.api.agent.SessionUpdate;
import dev.overnight.api.agent.ToolKind;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What the session keeps from the agent's updates, per profile, and that every one is passed on.
 */
class SessionUpdatesTest {
  private static final String CLAUDE_LIMIT =
      "{\"update\":{\"sessionUpdate\":\"usage_update\",\"used\":1,\"size\":2,"
          + "\"_meta\":{\"_claude/rateLimit\":{\"status\":\"rejected\",\"resetsAt\":1764039600}}}}";

  private final ToolCalls toolCalls = new ToolCalls();
  private final UsageLedger usage = new UsageLedger();
  private final SessionModes modes = new SessionModes();
  private final UpdateStream<SessionUpdate> stream =
      new UpdateStream<>(Executors.defaultThreadFactory(), 100);

  private SessionUpdates updates(AgentExtensions extensions) {
    return new SessionUpdates(extensions, toolCalls, usage, modes, stream);
  }

  private static void send(SessionUpdates updates, String params) throws Exception {
    updates.accept(Json.MAPPER.readTree(params));
  }

  @Test
  void claudeCodesRateLimitResetIsReadFromItsUsageUpdates() throws Exception {
    send(updates(AgentExtensions.claudeCode()), CLAUDE_LIMIT);

    assertThat(usage.limitReset()).contains(Instant.ofEpochSecond(1764039600));
  }

  private static String claudeStatus(String status, String window, double utilization) {
    return "{\"update\":{\"sessionUpdate\":\"usage_update\",\"used\":1,\"size\":2,"
        + "\"_meta\":{\"_claude/rateLimit\":{\"status\":\""
        + status
        + "\",\"rateLimitType\":\""
        + window
        + "\",\"resetsAt\":1764039600,\"utilization\":"
        + utilization
        + "}}}}";
  }

  @Test
  void claudeCodesFiveHourWindowIsReadWhileItStillHasRoom() throws Exception {
    SessionUpdates updates = updates(AgentExtensions.claudeCode());

    send(updates, claudeStatus("allowed", "five_hour", 0.25));
    assertThat(usage.quota()).contains(new QuotaReading(Instant.ofEpochSecond(1764039600), 0.25));
    send(updates, claudeStatus("allowed_warning", "five_hour", 0.8));
    assertThat(usage.quota()).hasValueSatisfying(q -> assertThat(q.utilization()).isEqualTo(0.8));
    assertThat(usage.limitReset()).as("not a limit hit").isEmpty();

    send(updates, claudeStatus("allowed", "seven_day", 0.1)); // not the window a night runs into
    send(updates, claudeStatus("rejected", "five_hour", 1.0)); // a limit hit: its own path
    assertThat(usage.quota()).hasValueSatisfying(q -> assertThat(q.utilization()).isEqualTo(0.8));
  }

  @Test
  void anAgentWithoutThatExtensionHasItsMetaIgnored() throws Exception {
    send(updates(AgentExtensions.none()), CLAUDE_LIMIT);
    send(updates(AgentExtensions.none()), claudeStatus("allowed", "five_hour", 0.25));

    assertThat(usage.limitReset()).isEmpty();
    assertThat(usage.quota()).isEmpty();
  }

  @Test
  void theCostIsKeptInDollarsOnly() throws Exception {
    SessionUpdates updates = updates(AgentExtensions.none());
    String update =
        "{\"update\":{\"sessionUpdate\":\"usage_update\",\"used\":1,\"size\":2,"
            + "\"cost\":{\"amount\":%s%s}}}";

    send(updates, update.formatted("0.5", ",\"currency\":\"USD\""));
    send(updates, update.formatted("9", ",\"currency\":\"EUR\""));
    assertThat(usage.cost()).contains(0.5);
    send(updates, update.formatted("0.75", ""));
    assertThat(usage.cost()).contains(0.75);
  }

  @Test
  void modesOptionsAndToolCallsAreKeptAndEveryUpdatePassedOn() throws Exception {
    SessionUpdates updates = updates(AgentExtensions.none());
    send(
        updates,
        "{\"update\":{\"sessionUpdate\":\"current_mode_update\",\"currentModeId\":\"plan\"}}");
    send(
        updates,
        "{\"update\":{\"sessionUpdate\":\"config_option_update\",\"configOptions\":"
            + "[{\"id\":\"model\",\"currentValue\":\"fast\",\"options\":[{\"value\":\"fast\"}]}]}}");
    send(
        updates,
        "{\"update\":{\"sessionUpdate\":\"tool_call\",\"toolCallId\":\"c1\",\"title\":\"Read\","
            + "\"kind\":\"read\",\"locations\":[{\"path\":\"a.txt\"}]}}");
    send(updates, "{\"no\":\"update\"}");

    assertThat(modes.current()).contains("plan");
    assertThat(modes.configOptions().get(0).currentValue()).contains("fast");
    assertThat(toolCalls.get("c1").orElseThrow().kind()).isEqualTo(ToolKind.READ);
    assertThat(toolCalls.get("c1").orElseThrow().locations()).containsExactly("a.txt");
    assertThat(published())
        .extracting(SessionUpdate::kind)
        .containsExactly("current_mode_update", "config_option_update", "tool_call");
  }

  private List<SessionUpdate> published() throws Exception {
    List<SessionUpdate> items = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> end = new CompletableFuture<>();
    stream.subscribe(
        new Flow.Subscriber<>() {
          @Override
          public void onSubscribe(Flow.Subscription s) {
            s.request(Long.MAX_VALUE);
          }

          @Override
          public void onNext(SessionUpdate item) {
            items.add(item);
          }

          @Override
          public void onError(Throwable t) {
            end.completeExceptionally(t);
          }

          @Override
          public void onComplete() {
            end.complete(null);
          }
        });
    stream.complete();
    end.get(30, TimeUnit.SECONDS);
    return items;
  }
}
