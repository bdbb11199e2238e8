package io.github.acivirtualnode.aciemulator;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/** Polls a condition with a generous deadline; tests never assert on timings. */
final class Poll {
  private Poll() {}

  static <T> T until(Supplier<T> value, java.util.function.Predicate<T> done, String what) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    T last = null;
    while (Instant.now().isBefore(deadline)) {
      last = value.get();
      if (done.test(last)) {
        return last;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("Timed out waiting for " + what + "; last value: " + last);
  }
}
