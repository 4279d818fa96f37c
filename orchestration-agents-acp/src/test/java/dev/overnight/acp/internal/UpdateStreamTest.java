package dev.overnight.acp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class UpdateStreamTest {
  private final ThreadFactory executor = Executors.defaultThreadFactory();

  private static final class Probe implements Flow.Subscriber<Integer> {
    final List<Integer> items = new CopyOnWriteArrayList<>();
    final CompletableFuture<Throwable> end = new CompletableFuture<>();
    final CompletableFuture<Flow.Subscription> subscription = new CompletableFuture<>();
    final long initialRequest;

    Probe(long initialRequest) {
      this.initialRequest = initialRequest;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription.complete(s);
      if (initialRequest != 0) {
        s.request(initialRequest);
      }
    }

    @Override
    public void onNext(Integer item) {
      items.add(item);
    }

    @Override
    public void onError(Throwable t) {
      end.complete(t);
    }

    @Override
    public void onComplete() {
      end.complete(null);
    }
  }

  @Test
  void itemsBeforeTheFirstSubscriberAreKeptForItAndOrderIsPreserved() throws Exception {
    UpdateStream<Integer> stream = new UpdateStream<>(executor, 100);
    stream.publish(1);
    stream.publish(2);
    Probe first = new Probe(Long.MAX_VALUE);
    stream.subscribe(first);
    for (int i = 3; i <= 1000; i++) {
      stream.publish(i);
    }
    Probe late = new Probe(Long.MAX_VALUE);
    stream.subscribe(late);
    stream.publish(1001);
    stream.complete();
    assertThat(first.end.get(30, TimeUnit.SECONDS)).isNull();
    assertThat(late.end.get(30, TimeUnit.SECONDS)).isNull();
    assertThat(first.items).hasSize(1001).isSorted();
    assertThat(late.items).containsExactly(1001);
  }

  @Test
  void demandIsRespectedAndAFailureEndsTheStream() throws Exception {
    UpdateStream<Integer> stream = new UpdateStream<>(executor, 100);
    Probe probe = new Probe(2);
    stream.subscribe(probe);
    for (int i = 0; i < 5; i++) {
      stream.publish(i);
    }
    IllegalStateException boom = new IllegalStateException("boom");
    stream.fail(boom);
    probe.subscription.get(30, TimeUnit.SECONDS).request(3);
    assertThat(probe.end.get(30, TimeUnit.SECONDS)).isSameAs(boom);
    assertThat(probe.items).containsExactly(0, 1, 2, 3, 4);
  }

  @Test
  void aNonPositiveRequestIsAnError() throws Exception {
    UpdateStream<Integer> stream = new UpdateStream<>(executor, 100);
    Probe probe = new Probe(0);
    stream.subscribe(probe);
    probe.subscription.get(30, TimeUnit.SECONDS).request(0);
    assertThat(probe.end.get(30, TimeUnit.SECONDS)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theEarlyBufferIsBounded() throws Exception {
    UpdateStream<Integer> stream = new UpdateStream<>(executor, 3);
    for (int i = 0; i < 10; i++) {
      stream.publish(i);
    }
    stream.complete();
    Probe probe = new Probe(Long.MAX_VALUE);
    stream.subscribe(probe);
    assertThat(probe.end.get(30, TimeUnit.SECONDS)).isNull();
    assertThat(probe.items).containsExactly(7, 8, 9);
  }
}
