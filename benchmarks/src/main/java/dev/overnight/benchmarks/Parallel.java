package dev.overnight.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;

/** Runs one body on N threads started together, and rethrows the first failure. */
final class Parallel {

  /** What one of the threads does, given its number. */
  interface Body {
    void run(int worker) throws Exception;
  }

  private Parallel() {}

  /** Runs {@code body} on {@code threads} threads that start at one barrier; waits for all. */
  static void run(int threads, Body body) throws Exception {
    CyclicBarrier start = new CyclicBarrier(threads);
    List<Thread> all = new ArrayList<>();
    Throwable[] failure = new Throwable[1];
    for (int w = 0; w < threads; w++) {
      int worker = w;
      Thread t =
          new Thread(
              () -> {
                try {
                  start.await();
                  body.run(worker);
                } catch (Throwable e) {
                  synchronized (failure) {
                    if (failure[0] == null) {
                      failure[0] = e;
                    }
                  }
                }
              },
              "bench-worker-" + w);
      all.add(t);
      t.start();
    }
    for (Thread t : all) {
      t.join();
    }
    if (failure[0] != null) {
      throw new IllegalStateException("a worker failed: " + failure[0], failure[0]);
    }
  }
}
