package io.github.acivirtualnode.operator.aci;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.http.HttpClient;
import io.github.acivirtualnode.operator.aci.ArmRateLimiter.Operation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AciBackendFactoryTest {

  @Test
  void aSubscriptionKeepsTheQuotaTheFactoryWasGiven() {
    AciBackendFactory factory =
        new AciBackendFactory(
            HttpClient.createDefault(),
            new SimpleMeterRegistry(),
            null,
            ArmRateLimiter.aciMutationBudgets(3, 10));
    ArmRateLimiter limiter = factory.limiter("00000000-0000-0000-0000-00000000000A");

    IntStream.range(0, 3).forEach(i -> assertThat(limiter.tryAcquire(Operation.CREATE)).isEmpty());
    assertThat(limiter.tryAcquire(Operation.CREATE)).isPresent();
    // Deletes have a budget of the same size of their own.
    assertThat(limiter.tryAcquire(Operation.DELETE)).isEmpty();
    // One subscription, however it is spelt, has one budget.
    assertThat(factory.limiter("00000000-0000-0000-0000-00000000000a")).isSameAs(limiter);
  }

  @Test
  void aRaisedQuotaLetsMoreThanAcisDefaultThrough() {
    AciBackendFactory raised =
        new AciBackendFactory(
            HttpClient.createDefault(),
            new SimpleMeterRegistry(),
            null,
            ArmRateLimiter.aciMutationBudgets(1000, 3000));
    AciBackendFactory defaults =
        new AciBackendFactory(HttpClient.createDefault(), new SimpleMeterRegistry(), null);
    ArmRateLimiter more = raised.limiter("sub");
    ArmRateLimiter fewer = defaults.limiter("sub");

    long raisedAllowed =
        IntStream.range(0, 500).filter(i -> more.tryAcquire(Operation.CREATE).isEmpty()).count();
    long defaultAllowed =
        IntStream.range(0, 500).filter(i -> fewer.tryAcquire(Operation.CREATE).isEmpty()).count();

    assertThat(raisedAllowed).isEqualTo(500);
    assertThat(defaultAllowed).isEqualTo(100);
  }
}
