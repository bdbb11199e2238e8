package io.github.acivirtualnode.operator.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void doublesFromTheBaseUpToTheMax() {
    Backoff b = Backoff.DEFAULT;
    assertThat(b.delay(0)).isEqualTo(Duration.ofSeconds(1));
    assertThat(b.delay(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(b.delay(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(b.delay(9)).isEqualTo(Duration.ofSeconds(256));
    assertThat(b.delay(10)).isEqualTo(Duration.ofMinutes(5));
    assertThat(b.delay(1000)).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void refusesNonsense() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
