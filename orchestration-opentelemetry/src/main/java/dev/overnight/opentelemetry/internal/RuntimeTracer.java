package dev.overnight.opentelemetry.internal;

import dev.overnight.api.Subscription;
import dev.overnight.api.agent.AgentOutcome;
import dev.overnight.api.agent.Usage;
import dev.overnight.api.queue.TaskId;
import dev.overnight.core.coordinator.AttemptObserver;
import dev.overnight.core.coordinator.AttemptOutcome;
import dev.overnight.core.coordinator.CoordinatorEvent;
import dev.overnight.core.coordinator.GateResult;
import dev.overnight.core.runtime.OvernightRuntime;
import dev.overnight.opentelemetry.OvernightTracing;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns one runtime's coordinator events and attempts into spans: a cycle span (a child of the
 * context current where the cycle began, so {@code runOnce} inside an application's span nests
 * under it), an attempt span under its cycle's, and an {@code invoke_agent} span per turn under its
 * attempt's. Thread-safe: cycles are tracked by id; an attempt's state is kept on its own thread.
 *
 * @since 0.1.0
 */
public final class RuntimeTracer {
  static final AttributeKey<String> CONFIG_ID = AttributeKey.stringKey("overnight.config.id");
  static final AttributeKey<String> CYCLE_ID = AttributeKey.stringKey("overnight.cycle.id");
  static final AttributeKey<Long> CYCLE_TASKS_RUN =
      AttributeKey.longKey("overnight.cycle.tasks_run");
  static final AttributeKey<String> TASK_ID = AttributeKey.stringKey("overnight.task.id");
  static final AttributeKey<String> TASK_TITLE = AttributeKey.stringKey("overnight.task.title");
  static final AttributeKey<Long> TASK_ATTEMPT = AttributeKey.longKey("overnight.task.attempt");
  static final AttributeKey<String> TASK_OUTCOME = AttributeKey.stringKey("overnight.task.outcome");
  static final AttributeKey<String> TASK_REASON = AttributeKey.stringKey("overnight.task.reason");
  static final AttributeKey<Double> COST_USD = AttributeKey.doubleKey("overnight.usage.cost_usd");
  static final AttributeKey<Long> TURN_INDEX = AttributeKey.longKey("overnight.turn.index");
  static final AttributeKey<Boolean> TURN_FOLLOW_UP =
      AttributeKey.booleanKey("overnight.turn.follow_up");
  static final AttributeKey<String> LINK_TYPE = AttributeKey.stringKey("overnight.link.type");
  static final AttributeKey<Boolean> GATE_PASSED =
      AttributeKey.booleanKey("overnight.quality_gate.passed");
  static final AttributeKey<Long> GATE_EXIT_CODE =
      AttributeKey.longKey("overnight.quality_gate.exit_code");
  static final AttributeKey<Long> GATE_RUN = AttributeKey.longKey("overnight.quality_gate.run");
  static final AttributeKey<Long> GATE_DURATION_MS =
      AttributeKey.longKey("overnight.quality_gate.duration_ms");

  // The GenAI semantic conventions.
  static final AttributeKey<String> GEN_AI_OPERATION =
      AttributeKey.stringKey("gen_ai.operation.name");
  static final AttributeKey<String> GEN_AI_AGENT = AttributeKey.stringKey("gen_ai.agent.name");
  static final AttributeKey<String> GEN_AI_PROVIDER =
      AttributeKey.stringKey("gen_ai.provider.name");
  static final AttributeKey<String> GEN_AI_SYSTEM = AttributeKey.stringKey("gen_ai.system");
  static final AttributeKey<String> GEN_AI_MODEL = AttributeKey.stringKey("gen_ai.request.model");
  static final AttributeKey<String> GEN_AI_CONVERSATION =
      AttributeKey.stringKey("gen_ai.conversation.id");
  static final AttributeKey<Long> GEN_AI_INPUT_TOKENS =
      AttributeKey.longKey("gen_ai.usage.input_tokens");
  static final AttributeKey<Long> GEN_AI_OUTPUT_TOKENS =
      AttributeKey.longKey("gen_ai.usage.output_tokens");
  static final AttributeKey<List<String>> GEN_AI_FINISH_REASONS =
      AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  /** The GenAI provider behind Overnight's built-in agents, as the conventions name them. */
  private static final Map<String, String> PROVIDERS =
      Map.of("claude-code", "anthropic", "codex", "openai", "gemini", "gcp.gemini");

  /** How many tasks' last attempts are remembered, to link a retry to the attempt before it. */
  private static final int REMEMBERED_TASKS = 1024;

  private final Tracer tracer;
  private final String configId;
  private final Map<String, Span> cycles = new ConcurrentHashMap<>();
  private final Map<TaskId, SpanContext> lastAttempts =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<TaskId, SpanContext> eldest) {
          return size() > REMEMBERED_TASKS;
        }
      };

  private RuntimeTracer(Tracer tracer, String configId) {
    this.tracer = tracer;
    this.configId = configId;
  }

  /** Traces {@code runtime} into {@code openTelemetry} until the subscription is closed. */
  public static Subscription attach(OvernightRuntime runtime, OpenTelemetry openTelemetry) {
    Objects.requireNonNull(runtime, "runtime");
    Objects.requireNonNull(openTelemetry, "openTelemetry");
    RuntimeTracer tracer =
        new RuntimeTracer(
            openTelemetry.getTracer(OvernightTracing.INSTRUMENTATION_SCOPE), runtime.config().id());
    Subscription events = runtime.subscribe(tracer::onEvent);
    Subscription attempts = runtime.observe(tracer::attemptStarted);
    return () -> {
      attempts.close();
      events.close();
    };
  }

  private void onEvent(CoordinatorEvent event) {
    if (event instanceof CoordinatorEvent.CycleBegan b) {
      Span span =
          tracer
              .spanBuilder("overnight.cycle")
              .setSpanKind(SpanKind.INTERNAL)
              .setParent(Context.current())
              .setStartTimestamp(b.at())
              .setAttribute(CONFIG_ID, configId)
              .setAttribute(CYCLE_ID, b.cycleId())
              .startSpan();
      Span earlier = cycles.put(b.cycleId(), span);
      if (earlier != null) {
        earlier.end(b.at());
      }
    } else if (event instanceof CoordinatorEvent.CycleEnded e) {
      Span span = cycles.remove(e.cycleId());
      if (span != null) {
        span.setAttribute(CYCLE_TASKS_RUN, (long) e.tasksRun());
        span.end(e.at());
      }
    }
  }

  private AttemptObserver.Attempt attemptStarted(AttemptObserver.Start start) {
    Span cycle = cycles.get(start.cycleId());
    Context parent = cycle != null ? Context.root().with(cycle) : Context.root();
    SpanBuilder builder =
        tracer
            .spanBuilder("overnight.task")
            .setSpanKind(SpanKind.INTERNAL)
            .setParent(parent)
            .setStartTimestamp(start.at())
            .setAttribute(CONFIG_ID, configId)
            .setAttribute(CYCLE_ID, start.cycleId())
            .setAttribute(TASK_ID, start.task().id().value())
            .setAttribute(TASK_TITLE, start.task().title())
            .setAttribute(TASK_ATTEMPT, (long) start.task().attempts())
            .setAttribute(GEN_AI_AGENT, start.agentId());
    previousAttempt(start.task().id())
        .ifPresent(
            previous -> builder.addLink(previous, Attributes.of(LINK_TYPE, "previous_attempt")));
    Span span = builder.startSpan();
    remember(start.task().id(), span.getSpanContext());
    return new Attempt(span, start.agentId());
  }

  private Optional<SpanContext> previousAttempt(TaskId task) {
    synchronized (lastAttempts) {
      return Optional.ofNullable(lastAttempts.get(task));
    }
  }

  private void remember(TaskId task, SpanContext attempt) {
    synchronized (lastAttempts) {
      lastAttempts.put(task, attempt);
    }
  }

  /** One attempt's span and its turns; used on the attempt's thread only. */
  private final class Attempt implements AttemptObserver.Attempt {
    private final Span span;
    private final String agent;
    private SpanContext previousTurn;

    Attempt(Span span, String agent) {
      this.span = span;
      this.agent = agent;
    }

    @Override
    public Map<String, String> agentEnvironment() {
      Map<String, String> carrier = new LinkedHashMap<>();
      W3CTraceContextPropagator.getInstance()
          .inject(Context.root().with(span), carrier, (c, key, value) -> c.put(key, value));
      Map<String, String> env = new LinkedHashMap<>();
      carrier.forEach((key, value) -> env.put(key.toUpperCase(Locale.ROOT), value));
      return env;
    }

    @Override
    public AttemptObserver.TurnWatch turnStarted(AttemptObserver.Turn turn) {
      SpanBuilder builder =
          tracer
              .spanBuilder("invoke_agent " + agent)
              .setSpanKind(SpanKind.CLIENT)
              .setParent(Context.root().with(span))
              .setStartTimestamp(turn.at())
              .setAttribute(GEN_AI_OPERATION, "invoke_agent")
              .setAttribute(GEN_AI_AGENT, agent)
              .setAttribute(GEN_AI_CONVERSATION, turn.sessionId())
              .setAttribute(TURN_INDEX, (long) turn.index())
              .setAttribute(TURN_FOLLOW_UP, turn.followUp());
      Optional.ofNullable(PROVIDERS.get(agent))
          .ifPresent(
              provider -> {
                builder.setAttribute(GEN_AI_PROVIDER, provider);
                builder.setAttribute(GEN_AI_SYSTEM, provider);
              });
      turn.model().ifPresent(model -> builder.setAttribute(GEN_AI_MODEL, model));
      if (turn.followUp()) {
        builder.addLink(span.getSpanContext(), Attributes.of(LINK_TYPE, "task"));
        if (previousTurn != null) {
          builder.addLink(previousTurn, Attributes.of(LINK_TYPE, "follows_up"));
        }
      }
      Span turnSpan = builder.startSpan();
      previousTurn = turnSpan.getSpanContext();
      return new AttemptObserver.TurnWatch() {
        @Override
        public void ended(Instant at, AgentOutcome outcome) {
          usage(turnSpan, outcome.usage());
          turnSpan.setAttribute(GEN_AI_FINISH_REASONS, List.of(outcome.stopReason().wireName()));
          turnSpan.end(at);
        }

        @Override
        public void failed(Instant at, Throwable error) {
          RuntimeTracer.failed(turnSpan, error);
          turnSpan.end(at);
        }
      };
    }

    @Override
    public void gateChecked(Instant at, GateResult result) {
      span.addEvent(
          "overnight.quality_gate",
          Attributes.builder()
              .put(GATE_PASSED, result.passed())
              .put(GATE_EXIT_CODE, (long) result.exitCode())
              .put(GATE_RUN, (long) result.attempts())
              .put(GATE_DURATION_MS, result.duration().toMillis())
              .build(),
          at);
    }

    @Override
    public void ended(AttemptObserver.End end) {
      span.setAttribute(TASK_OUTCOME, end.outcome().key());
      if (!end.reason().isEmpty()) {
        span.setAttribute(TASK_REASON, end.reason());
      }
      usage(span, end.usage());
      end.usage().costUsd().ifPresent(cost -> span.setAttribute(COST_USD, cost));
      if (end.outcome() == AttemptOutcome.FAILED
          || end.outcome() == AttemptOutcome.RETRY
          || end.outcome() == AttemptOutcome.LOST) {
        span.setStatus(StatusCode.ERROR, end.reason());
      }
      span.end(end.at());
    }

    @Override
    public void failed(Instant at, Throwable error) {
      RuntimeTracer.failed(span, error);
      span.end(at);
    }
  }

  private static void usage(Span span, Usage usage) {
    span.setAttribute(GEN_AI_INPUT_TOKENS, usage.inputTokens());
    span.setAttribute(GEN_AI_OUTPUT_TOKENS, usage.outputTokens());
  }

  private static void failed(Span span, Throwable error) {
    span.recordException(error);
    span.setAttribute(ERROR_TYPE, error.getClass().getName());
    span.setStatus(StatusCode.ERROR, String.valueOf(error.getMessage()));
  }
}
