package dev.overnight.core.schedule;

import dev.overnight.api.KeepAwake;
import dev.overnight.api.config.Schedule;
import dev.overnight.core.spi.ProviderLoader;
import java.util.concurrent.CountDownLatch;

/**
 * A daemon that exits in the middle of a cycle, run as a child process by {@link
 * KeepAwakeShutdownHookTest}: it prints what happens to its keep-awake hold.
 */
public final class ExitDuringCycleMain {
  private ExitDuringCycleMain() {}

  /** Starts a cycle that never ends, then exits the JVM while it runs. */
  public static void main(String[] args) throws InterruptedException {
    KeepAwake printing =
        new KeepAwake() {
          @Override
          public Handle acquire(String reason) {
            System.out.println("acquired: " + reason);
            return new Handle() {
              @Override
              public boolean held() {
                return true;
              }

              @Override
              public void close() {
                System.out.println("released");
                System.out.flush();
              }
            };
          }

          @Override
          public String describe() {
            return "printing";
          }
        };
    CountDownLatch running = new CountDownLatch(1);
    DefaultScheduler scheduler =
        DefaultScheduler.builder()
            .id("exiting")
            .schedule(Schedule.cron("0 3 * * *"))
            .providerLoader(ProviderLoader.none())
            .keepAwake(printing)
            .cycleRunner(
                ctx -> {
                  running.countDown();
                  new CountDownLatch(1).await(); // works until the process ends
                })
            .build();
    scheduler.start();
    if (!scheduler.runNow()) {
      throw new IllegalStateException("the cycle did not start");
    }
    running.await();
    System.out.println("exiting");
    System.out.flush();
    System.exit(0);
  }
}
