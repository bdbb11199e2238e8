package io.github.acivirtualnode.operator.pod;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AciEventForwarderTest {
  private static final String KEY = "0123456789abcdef";

  @Test
  void anEventIsNamedAfterItsPodAndItsAciEventAndTheNameGivesTheKeyBack() {
    assertThat(AciEventForwarder.eventName("web-0", KEY)).isEqualTo("web-0." + KEY);
    assertThat(AciEventForwarder.keyOf("web-0." + KEY)).contains(KEY);
  }

  @Test
  void aLongPodNameIsShortenedToAValidEventName() {
    String name = AciEventForwarder.eventName("p".repeat(253), KEY);
    assertThat(name).hasSize(253).endsWith("." + KEY);
    assertThat(AciEventForwarder.keyOf(name)).contains(KEY);
  }

  @Test
  void otherEventsOfThePodAreNotTakenForForwardedOnes() {
    assertThat(AciEventForwarder.keyOf("web-0.1a2b3c4d5e6f")).as("EventRecorder's names").isEmpty();
    assertThat(AciEventForwarder.keyOf("web-0.17f3c2a9b8e4d1c0a"))
        .as("not 16 hex digits")
        .isEmpty();
    assertThat(AciEventForwarder.keyOf("web-0")).isEmpty();
    assertThat(AciEventForwarder.keyOf("web-0.0123456789ABCDEF")).isEmpty();
  }
}
