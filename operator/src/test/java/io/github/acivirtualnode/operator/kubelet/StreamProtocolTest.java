package io.github.acivirtualnode.operator.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StreamProtocolTest {

  @Test
  void theClientsFirstChoiceThatTheServerSpeaksWins() {
    assertThat(
            StreamProtocol.negotiate(
                List.of("v4.channel.k8s.io", "v3.channel.k8s.io", "v2.channel.k8s.io")))
        .contains(StreamProtocol.V4);
    assertThat(StreamProtocol.negotiate(List.of("v2.channel.k8s.io, v5.channel.k8s.io")))
        .contains(StreamProtocol.V2);
  }

  @Test
  void unknownAndFirstGenerationProtocolsAreNotSpoken() {
    assertThat(StreamProtocol.negotiate(List.of("channel.k8s.io", "v9.channel.k8s.io"))).isEmpty();
    assertThat(StreamProtocol.negotiate(List.of())).isEmpty();
  }

  @Test
  void v4AndV5CarryAJsonStatusAndV2HasNoResize() {
    assertThat(StreamProtocol.V5.statusAsJson()).isTrue();
    assertThat(StreamProtocol.V4.statusAsJson()).isTrue();
    assertThat(StreamProtocol.V3.statusAsJson()).isFalse();
    assertThat(StreamProtocol.V3.resizable()).isTrue();
    assertThat(StreamProtocol.V2.resizable()).isFalse();
    assertThat(StreamProtocol.supported()).contains("v4.channel.k8s.io").hasSize(4);
  }
}
