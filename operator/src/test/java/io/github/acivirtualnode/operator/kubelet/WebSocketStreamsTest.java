package io.github.acivirtualnode.operator.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebSocketStreamsTest {

  /** What the server sent, as "channel:text" (binary) or the raw text message. */
  private static final class Recorder implements WebSocketStreams.Socket {
    final List<String> sent = new ArrayList<>();
    int closes;

    @Override
    public void send(ByteBuffer binary) {
      byte[] raw = new byte[binary.remaining()];
      binary.get(raw);
      sent.add((raw[0] & 0xff) + ":" + new String(raw, 1, raw.length - 1, StandardCharsets.UTF_8));
    }

    @Override
    public void send(String text) {
      sent.add(text);
    }

    @Override
    public void close() {
      closes++;
    }
  }

  private static final class Heard implements RemoteStreams.Listener {
    final List<String> events = new ArrayList<>();

    @Override
    public void data(String streamType, byte[] data) {
      events.add(streamType + ":" + new String(data, StandardCharsets.UTF_8));
    }

    @Override
    public void finished(String streamType) {
      events.add(streamType + " finished");
    }

    @Override
    public void gone() {
      events.add("gone");
    }
  }

  private static StreamOptions options(String query) {
    Map<String, List<String>> q = new java.util.HashMap<>();
    for (String pair : query.split("&")) {
      String[] kv = pair.split("=", 2);
      q.computeIfAbsent(kv[0], k -> new ArrayList<>()).add(kv[1]);
    }
    return StreamOptions.parse(q, true);
  }

  @Test
  void theOpeningIsAnEmptyMessageOnStdoutThenWritesAreChannelMessages() throws Exception {
    Recorder socket = new Recorder();
    WebSocketStreams streams =
        new WebSocketStreams(
            socket, WebSocketChannels.Protocol.V4, options("command=ls&output=1&error=1"));

    streams.opened();
    streams.write("stdout", bytes("out\n"));
    streams.write("stderr", bytes("err\n"));
    streams.write("error", bytes("{}"));

    assertThat(socket.sent).containsExactly("1:", "1:out\n", "2:err\n", "3:{}");
    assertThat(streams.awaitStreams(4, java.time.Duration.ZERO)).isTrue();
    assertThat(streams.has("resize")).isTrue();
  }

  @Test
  void withoutStdoutTheOpeningGoesToStderrAndStreamsNotAskedForAreDropped() throws Exception {
    Recorder socket = new Recorder();
    WebSocketStreams streams =
        new WebSocketStreams(socket, WebSocketChannels.Protocol.V4, options("command=ls&error=1"));

    streams.opened();
    streams.write("stdout", bytes("dropped"));
    streams.write("stderr", bytes("kept"));

    assertThat(socket.sent).containsExactly("2:", "2:kept");
    assertThat(streams.has("stdin")).isFalse();
  }

  @Test
  void base64ProtocolsSendTextMessages() throws Exception {
    Recorder socket = new Recorder();
    WebSocketStreams streams =
        new WebSocketStreams(
            socket, WebSocketChannels.Protocol.BASE64, options("command=ls&output=1"));

    streams.opened();
    streams.write("stdout", bytes("hello"));

    assertThat(socket.sent).containsExactly("1", "1aGVsbG8=");
  }

  @Test
  void aFinishedStreamTakesNoMoreAndAClosedSocketNothingAndClosesOnce() throws Exception {
    Recorder socket = new Recorder();
    WebSocketStreams streams =
        new WebSocketStreams(socket, WebSocketChannels.Protocol.V4, options("command=ls&output=1"));

    streams.finish("stdout");
    streams.write("stdout", bytes("late"));
    streams.write("error", bytes("status"));
    streams.close();
    streams.close();
    streams.write("error", bytes("after close"));

    assertThat(socket.sent).containsExactly("3:status");
    assertThat(socket.closes).isEqualTo(1);
    assertThat(streams.isClosed()).isTrue();
  }

  @Test
  void stdinAndResizeReachTheListenerAndWhatTheClientMayNotWriteIsIgnored() {
    Heard heard = new Heard();
    WebSocketStreams streams =
        new WebSocketStreams(
            new Recorder(), WebSocketChannels.Protocol.V4, options("command=sh&input=1&tty=1"));
    streams.listen(heard);

    streams.received(new byte[] {0, 'l', 's', '\r'}, 0, 4);
    byte[] resize = bytes("\u0004{\"Width\":100,\"Height\":40}");
    streams.received(resize, 0, resize.length);
    streams.received(new byte[] {1, 'x'}, 0, 2);
    streams.received(new byte[] {0}, 0, 1);
    streams.received(new byte[] {(byte) 255, 0}, 0, 2);
    streams.ended();

    assertThat(heard.events)
        .containsExactly("stdin:ls\r", "resize:{\"Width\":100,\"Height\":40}", "gone");
    assertThat(streams.isClosed()).isTrue();
  }

  @Test
  void v5sCloseChannelEndsStdin() {
    Heard heard = new Heard();
    WebSocketStreams streams =
        new WebSocketStreams(
            new Recorder(), WebSocketChannels.Protocol.V5, options("command=cat&input=1"));
    streams.listen(heard);

    streams.received(new byte[] {0, 'a', '\n'}, 0, 3);
    streams.received(new byte[] {(byte) 255, 0}, 0, 2);

    assertThat(heard.events).containsExactly("stdin:a\n", "stdin finished");
  }

  @Test
  void base64MessagesFromTheClientAreDecodedAndGarbageIsIgnored() {
    Heard heard = new Heard();
    WebSocketStreams streams =
        new WebSocketStreams(
            new Recorder(),
            WebSocketChannels.Protocol.V4_BASE64,
            options("command=cat&input=1&output=1"));
    streams.listen(heard);

    streams.received("0aGVsbG8=");
    streams.received("not a channel");

    assertThat(heard.events).containsExactly("stdin:hello");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
