package io.github.acivirtualnode.operator.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebSocketChannelsTest {

  @Test
  void theFirstOfferedProtocolThatIsKnownIsTaken() {
    assertThat(WebSocketChannels.negotiate(List.of("v4.channel.k8s.io")))
        .contains(WebSocketChannels.Protocol.V4);
    assertThat(
            WebSocketChannels.negotiate(
                List.of("base64url.bearer.authorization.k8s.io.abc, base64.channel.k8s.io")))
        .contains(WebSocketChannels.Protocol.BASE64);
    assertThat(WebSocketChannels.negotiate(List.of("channel.k8s.io", "v4.channel.k8s.io")))
        .contains(WebSocketChannels.Protocol.CHANNEL);
    assertThat(WebSocketChannels.negotiate(List.of("v5.channel.k8s.io,v4.channel.k8s.io")))
        .contains(WebSocketChannels.Protocol.V5);
    assertThat(WebSocketChannels.negotiate(List.of("v4.base64.channel.k8s.io")))
        .contains(WebSocketChannels.Protocol.V4_BASE64);
  }

  @Test
  void noOfferIsTheUnnamedBinaryProtocolAndAnUnknownOfferIsRefused() {
    assertThat(WebSocketChannels.negotiate(List.of())).contains(WebSocketChannels.Protocol.UNNAMED);
    assertThat(WebSocketChannels.negotiate(List.of(" ")))
        .contains(WebSocketChannels.Protocol.UNNAMED);
    assertThat(WebSocketChannels.negotiate(List.of("v3.channel.k8s.io", "SPDY/3.1"))).isEmpty();
    assertThat(WebSocketChannels.supported())
        .containsExactly(
            "v5.channel.k8s.io",
            "v4.channel.k8s.io",
            "v4.base64.channel.k8s.io",
            "channel.k8s.io",
            "base64.channel.k8s.io");
  }

  @Test
  void v4AndV5EndWithAJsonStatusTheOlderOnesWithText() {
    assertThat(WebSocketChannels.Protocol.V5.status().statusAsJson()).isTrue();
    assertThat(WebSocketChannels.Protocol.V4.status().statusAsJson()).isTrue();
    assertThat(WebSocketChannels.Protocol.V4_BASE64.status().statusAsJson()).isTrue();
    assertThat(WebSocketChannels.Protocol.CHANNEL.status().statusAsJson()).isFalse();
    assertThat(WebSocketChannels.Protocol.BASE64.status().statusAsJson()).isFalse();
    assertThat(WebSocketChannels.Protocol.UNNAMED.status().statusAsJson()).isFalse();
    assertThat(WebSocketChannels.Protocol.V5.closesChannels()).isTrue();
    assertThat(WebSocketChannels.Protocol.V4.closesChannels()).isFalse();
  }

  @Test
  void aBinaryMessageIsTheChannelByteThenTheData() {
    ByteBuffer message = WebSocketChannels.binary(WebSocketChannels.STDOUT, bytes("hi\n"));

    byte[] raw = new byte[message.remaining()];
    message.get(raw);
    assertThat(raw).containsExactly(1, 'h', 'i', '\n');
    assertThat(WebSocketChannels.readBinary(new byte[] {9, 0, 'x', 'y'}, 1, 3))
        .contains(new WebSocketChannels.Frame(0, bytes("xy")));
    assertThat(WebSocketChannels.readBinary(new byte[] {4}, 0, 1))
        .contains(new WebSocketChannels.Frame(4, new byte[0]));
    assertThat(WebSocketChannels.readBinary(new byte[0], 0, 0)).isEmpty();
  }

  @Test
  void aBase64MessageIsTheChannelDigitThenTheDataInBase64() {
    assertThat(WebSocketChannels.text(WebSocketChannels.STDERR, bytes("a  b\n")))
        .isEqualTo("2YSAgYgo=");
    assertThat(WebSocketChannels.text(WebSocketChannels.STDOUT, new byte[0])).isEqualTo("1");
    assertThat(WebSocketChannels.readText("0aGVsbG8="))
        .contains(new WebSocketChannels.Frame(0, bytes("hello")));
    assertThat(WebSocketChannels.readText("")).isEmpty();
    assertThatThrownBy(() -> WebSocketChannels.readText("xaGVsbG8="))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void channelsAreNamedAsTheSpdyStreams() {
    assertThat(WebSocketChannels.channel("stdin")).isZero();
    assertThat(WebSocketChannels.channel("error")).isEqualTo(3);
    assertThat(WebSocketChannels.channel("resize")).isEqualTo(4);
    assertThat(WebSocketChannels.channel("close")).isEqualTo(-1);
    assertThat(new WebSocketChannels.Frame(4, new byte[0]).streamType()).contains("resize");
    assertThat(new WebSocketChannels.Frame(255, new byte[0]).streamType()).isEmpty();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
