package dev.overnight.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * SIGINT and SIGTERM for a long-running command: the first asks for a graceful stop, a second stops
 * at once. The JDK's shutdown hooks cannot tell a first signal from a second, hence the
 * (unsupported but stable) {@code sun.misc.Signal}.
 */
final class Signals {
  private final CountDownLatch stop = new CountDownLatch(1);
  private final AtomicInteger received = new AtomicInteger();

  private Signals() {}

  /** Installs the handlers. */
  static Signals install(Runnable onFirst) {
    Signals s = new Signals();
    for (String name : new String[] {"INT", "TERM"}) {
      Signal.handle(
          new Signal(name),
          sig -> {
            if (s.received.incrementAndGet() == 1) {
              onFirst.run();
              s.stop.countDown();
            } else {
              System.err.println("overnight: second signal, stopping now");
              // No agent outlives the daemon, even when it does not wait for them.
              ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
              Runtime.getRuntime().halt(128 + sig.getNumber());
            }
          });
    }
    return s;
  }

  /** Ends {@link #await()} as a first signal would, for a daemon that must stop by itself. */
  void release() {
    stop.countDown();
  }

  /** Blocks until the first signal (or {@link #release()}). */
  void await() throws InterruptedException {
    stop.await();
  }
}
