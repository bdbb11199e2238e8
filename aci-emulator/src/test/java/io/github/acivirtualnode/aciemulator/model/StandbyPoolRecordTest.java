package io.github.acivirtualnode.aciemulator.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class StandbyPoolRecordTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static ObjectNode body(int capacity, String profile) throws Exception {
    return (ObjectNode)
        MAPPER.readTree(
            "{\"properties\":{\"elasticityProfile\":{\"maxReadyCapacity\":"
                + capacity
                + "},\"containerGroupProperties\":{\"containerGroupProfile\":{\"id\":\""
                + profile
                + "\"}}}}");
  }

  /** Ready ten seconds after an instance began. */
  private static Predicate<Instant> readyAt(Instant now) {
    return began -> !began.plusSeconds(10).isAfter(now);
  }

  @Test
  void instancesAreHandedOutOnceReadyAndReplacedAtOnce() throws Exception {
    StandbyPoolRecord pool = new StandbyPoolRecord("s", "rg", "p");
    pool.update(body(2, "/a"), T0);
    assertThat(pool.take(T0.plusSeconds(5), readyAt(T0.plusSeconds(5)))).isNull();
    Instant later = T0.plusSeconds(20);
    assertThat(pool.take(later, readyAt(later))).isEqualTo(T0);
    assertThat(pool.counts(readyAt(later))).containsExactly(1, 1);
  }

  @Test
  void aNewProfileReplacesEveryInstanceAndCapacityChangesResize() throws Exception {
    StandbyPoolRecord pool = new StandbyPoolRecord("s", "rg", "p");
    pool.update(body(3, "/a"), T0);
    Instant later = T0.plus(Duration.ofMinutes(1));
    pool.update(body(1, "/a"), later);
    assertThat(pool.counts(readyAt(later))).containsExactly(1, 0);
    pool.update(body(2, "/b"), later);
    assertThat(pool.counts(readyAt(later))).containsExactly(0, 2);
  }

  @Test
  void pausedRefillLeavesThePoolEmptyUntilResumed() throws Exception {
    StandbyPoolRecord pool = new StandbyPoolRecord("s", "rg", "p");
    pool.update(body(1, "/a"), T0);
    pool.pauseRefill(true, T0);
    pool.fill(T0);
    assertThat(pool.take(T0, readyAt(T0))).isNotNull();
    assertThat(pool.counts(readyAt(T0))).containsExactly(0, 0);
    pool.pauseRefill(false, T0);
    assertThat(pool.counts(readyAt(T0))).containsExactly(0, 1);
  }
}
