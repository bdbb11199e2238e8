package io.github.acivirtualnode.operator.pod;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkQueueTest {
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
  private final WorkQueue<String> queue = new WorkQueue<>(timers, Backoff.DEFAULT);

  @AfterEach
  void stop() {
    queue.close();
    timers.shutdownNow();
  }

  @Test
  void aKeyWaitsOnceAndKeysComeOutInTheOrderTheyWereFirstAdded() throws Exception {
    queue.add("a");
    queue.add("b");
    queue.add("a");
    queue.add("c");
    assertThat(queue.size()).isEqualTo(3);
    assertThat(queue.take()).isEqualTo("a");
    assertThat(queue.take()).isEqualTo("b");
    assertThat(queue.take()).isEqualTo("c");
    assertThat(queue.size()).isZero();
  }

  @Test
  void workersStartOnDemandUpToTheMostAndNotBeforeThereIsWork() {
    java.util.concurrent.atomic.AtomicInteger started =
        new java.util.concurrent.atomic.AtomicInteger();
    queue.serveOnDemand(3, started::incrementAndGet);
    assertThat(started).as("no work, no worker").hasValue(0);

    for (int i = 0; i < 10; i++) {
      queue.add("pod-" + i);
    }

    assertThat(started).as("a burst gets the most").hasValue(3);
    assertThat(queue.workers()).isEqualTo(3);
  }

  @Test
  void aWorkerThatIdlesOutIsReplacedByTheNextKey() throws Exception {
    java.util.concurrent.atomic.AtomicInteger started =
        new java.util.concurrent.atomic.AtomicInteger();
    queue.serveOnDemand(1, started::incrementAndGet);
    queue.add("a");
    assertThat(queue.poll(Duration.ofMillis(10))).isEqualTo("a");
    queue.done("a");
    queue.add("b");
    assertThat(started).as("the one worker is busy or about to poll again").hasValue(1);
    assertThat(queue.poll(Duration.ofMillis(10))).isEqualTo("b");
    queue.done("b");

    assertThat(queue.poll(Duration.ofMillis(10))).as("idled out").isNull();
    assertThat(queue.workers()).isZero();
    queue.add("c");

    assertThat(started).as("nobody left to take it: another worker").hasValue(2);
    assertThat(queue.poll(Duration.ofMillis(10))).isEqualTo("c");
  }

  @Test
  void aWaitingWorkerTakesTheNextKeyWithoutAnotherStarting() throws Exception {
    java.util.concurrent.atomic.AtomicInteger started =
        new java.util.concurrent.atomic.AtomicInteger();
    queue.serveOnDemand(4, started::incrementAndGet);
    queue.add("first");
    assertThat(queue.poll(Duration.ofMillis(10))).isEqualTo("first");
    queue.done("first");
    var waiting =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> {
              try {
                return queue.poll(Duration.ofSeconds(30));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    // Once the worker waits in poll, a key is its: no second worker.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!waitingInPoll() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    queue.add("second");

    assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo("second");
    assertThat(started).hasValue(1);
  }

  private boolean waitingInPoll() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getState() == Thread.State.TIMED_WAITING && inPoll(t));
  }

  private static boolean inPoll(Thread t) {
    for (StackTraceElement e : t.getStackTrace()) {
      if (e.getClassName().equals(WorkQueue.class.getName()) && e.getMethodName().equals("poll")) {
        return true;
      }
    }
    return false;
  }

  @Test
  void aKeyAddedWhileAWorkerHasItIsHandedOutAgainOnlyAfterDone() throws Exception {
    queue.add("a");
    String key = queue.take();
    queue.add("a");
    queue.add("a");
    assertThat(queue.size()).as("not handed to a second worker meanwhile").isZero();
    queue.done(key);
    assertThat(queue.size()).isEqualTo(1);
    assertThat(queue.take()).isEqualTo("a");
    queue.done("a");
    assertThat(queue.size()).isZero();
  }

  @Test
  void aDelayedAddArrivesAndOnlyTheEarliestOfTwoIsKept() throws Exception {
    queue.addAfter("late", Duration.ofHours(1));
    queue.addAfter("late", Duration.ofMillis(50));
    queue.addAfter("late", Duration.ofHours(2));
    assertThat(poll()).isEqualTo("late");
    queue.done("late");
    assertThat(queue.size()).isZero();
  }

  @Test
  void expeditingBringsBackOffsForwardButNotChosenDelays() throws Exception {
    WorkQueue<String> slow =
        new WorkQueue<>(timers, new Backoff(Duration.ofHours(1), Duration.ofHours(2)));
    try {
      slow.addRateLimited("backing-off");
      slow.addAfter("retry-after", Duration.ofHours(1));
      assertThat(slow.size()).isZero();

      assertThat(slow.expediteBackoffs()).isEqualTo(1);
      assertThat(slow.size()).isEqualTo(1);
      assertThat(slow.take()).isEqualTo("backing-off");
      slow.done("backing-off");
      assertThat(slow.failures("backing-off")).as("the count stays").isEqualTo(1);
      assertThat(slow.size()).as("the chosen delay still waits").isZero();
      assertThat(slow.expediteBackoffs()).as("nothing left backing off").isZero();
    } finally {
      slow.close();
    }
  }

  @Test
  void aZeroDelayAddsAtOnce() {
    queue.addAfter("now", Duration.ZERO);
    assertThat(queue.size()).isEqualTo(1);
  }

  @Test
  void failuresGrowTheBackOffUntilForgotten() {
    WorkQueue<String> slow =
        new WorkQueue<>(timers, new Backoff(Duration.ofHours(1), Duration.ofHours(4)));
    assertThat(slow.addRateLimited("k")).isEqualTo(Duration.ofHours(1));
    assertThat(slow.addRateLimited("k")).isEqualTo(Duration.ofHours(2));
    assertThat(slow.addRateLimited("k")).isEqualTo(Duration.ofHours(4));
    assertThat(slow.addRateLimited("k")).isEqualTo(Duration.ofHours(4));
    assertThat(slow.failures("k")).isEqualTo(4);
    slow.forget("k");
    assertThat(slow.failures("k")).isZero();
    assertThat(slow.addRateLimited("k")).isEqualTo(Duration.ofHours(1));
    slow.close();
  }

  @Test
  void closingWakesWorkersWithNullAndIgnoresLaterAdds() throws Exception {
    Thread worker =
        new Thread(
            () -> {
              try {
                assertThat(queue.take()).isNull();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    worker.start();
    queue.close();
    worker.join(TimeUnit.SECONDS.toMillis(30));
    assertThat(worker.isAlive()).isFalse();
    queue.add("x");
    assertThat(queue.size()).isZero();
  }

  /** Bounded polling: the delayed add arrives within a minute on a loaded machine. */
  private String poll() throws InterruptedException {
    for (int i = 0; i < 600 && queue.size() == 0; i++) {
      Thread.sleep(100);
    }
    return queue.size() == 0 ? null : queue.take();
  }
}
