package dev.overnight.acp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * An agent's end of the connection, played by a test: records what the client sends, answers the
 * methods it was told to at once, and leaves every other request pending for the test to answer.
 */
final class FakeChannel implements RpcChannel {

  /** How the fake agent answers one method. */
  @FunctionalInterface
  interface Answer {
    JsonNode apply(JsonNode params) throws RpcException;
  }

  /** A message the client sent; a request's answer is completed by the fake or the test. */
  record Sent(String method, JsonNode params, CompletableFuture<JsonNode> answer) {}

  final List<Sent> requests = new CopyOnWriteArrayList<>();
  final List<Sent> notifications = new CopyOnWriteArrayList<>();
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  volatile Instant lastActivity;

  FakeChannel(Instant lastActivity) {
    this.lastActivity = lastActivity;
  }

  /** Answers every later {@code method} request with {@code answer}. */
  FakeChannel answering(String method, Answer answer) {
    answers.put(method, answer);
    return this;
  }

  @Override
  public CompletableFuture<JsonNode> request(String method, JsonNode params) {
    CompletableFuture<JsonNode> future = new CompletableFuture<>();
    requests.add(new Sent(method, params, future));
    Answer answer = answers.get(method);
    if (answer != null) {
      try {
        future.complete(answer.apply(params));
      } catch (RpcException e) {
        future.completeExceptionally(e);
      }
    }
    return future;
  }

  @Override
  public void notify(String method, JsonNode params) {
    notifications.add(new Sent(method, params, CompletableFuture.completedFuture(null)));
  }

  @Override
  public Instant lastActivity() {
    return lastActivity;
  }

  /** The methods of the requests sent, in order. */
  List<String> requestMethods() {
    return requests.stream().map(Sent::method).collect(Collectors.toList());
  }

  /** The methods of the notifications sent, in order. */
  List<String> notificationMethods() {
    return notifications.stream().map(Sent::method).collect(Collectors.toList());
  }

  /** The last request of {@code method}. */
  Sent last(String method) {
    for (int i = requests.size() - 1; i >= 0; i--) {
      if (requests.get(i).method().equals(method)) {
        return requests.get(i);
      }
    }
    throw new AssertionError("no " + method + " was sent; sent: " + requestMethods());
  }
}
