package io.github.acivirtualnode.operator.kubelet;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The kubelet's WebSocket channel protocols for exec and attach, as {@code wsstream} frames them:
 * every message starts with its channel (0 stdin, 1 stdout, 2 stderr, 3 error, 4 resize), a byte in
 * binary messages, an ASCII digit followed by the data in base64 in text messages ({@code
 * base64.*}). v4 ends with a JSON Status on the error channel (with the exit code), the older ones
 * with the error's text; v5 adds channel 255 (its one byte of data: the channel the client has
 * closed, stdin's end). The sub-protocol is picked as {@code wsstream}'s handshake picks it: the
 * first the client offers that is known, and none offered is the unnamed binary one. Pure.
 */
final class WebSocketChannels {
  static final int STDIN = 0;
  static final int STDOUT = 1;
  static final int STDERR = 2;
  static final int ERROR = 3;
  static final int RESIZE = 4;
  static final int CLOSE = 255;

  private static final List<String> STREAM_TYPES =
      List.of("stdin", "stdout", "stderr", "error", "resize");

  private WebSocketChannels() {}

  /** A sub-protocol: its name, whether it is base64 in text messages, how the end is written. */
  enum Protocol {
    V5("v5.channel.k8s.io", false, StreamProtocol.V5),
    V4("v4.channel.k8s.io", false, StreamProtocol.V4),
    V4_BASE64("v4.base64.channel.k8s.io", true, StreamProtocol.V4),
    CHANNEL("channel.k8s.io", false, StreamProtocol.V2),
    BASE64("base64.channel.k8s.io", true, StreamProtocol.V2),
    /** No sub-protocol asked for: binary channels, the end as text. */
    UNNAMED("", false, StreamProtocol.V2);

    private final String header;
    private final boolean base64;
    private final StreamProtocol status;

    Protocol(String header, boolean base64, StreamProtocol status) {
      this.header = header;
      this.base64 = base64;
      this.status = status;
    }

    /** The Sec-WebSocket-Protocol answered; empty for {@link #UNNAMED}. */
    String header() {
      return header;
    }

    boolean base64() {
      return base64;
    }

    /** The SPDY protocol whose end is written alike (JSON Status for v4 and v5, else text). */
    StreamProtocol status() {
      return status;
    }

    boolean closesChannels() {
      return this == V5;
    }
  }

  /** A message received: its stream type (empty if the channel is none of them) and data. */
  record Frame(int channel, byte[] data) {
    Optional<String> streamType() {
      return channel >= 0 && channel < STREAM_TYPES.size()
          ? Optional.of(STREAM_TYPES.get(channel))
          : Optional.empty();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Frame f && f.channel == channel && Arrays.equals(f.data, data);
    }

    @Override
    public int hashCode() {
      return 31 * channel + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
      return "Frame[" + channel + ", " + data.length + " bytes]";
    }
  }

  /**
   * @param offered the values of the request's Sec-WebSocket-Protocol headers (each may list
   *     several, comma-separated), in the client's order
   * @return empty when the client offers protocols and none is known: a refusal
   */
  static Optional<Protocol> negotiate(List<String> offered) {
    List<String> names = new ArrayList<>();
    for (String value : offered) {
      for (String name : value.split(",")) {
        if (!name.isBlank()) {
          names.add(name.trim());
        }
      }
    }
    if (names.isEmpty()) {
      return Optional.of(Protocol.UNNAMED);
    }
    for (String name : names) {
      for (Protocol p : Protocol.values()) {
        if (p != Protocol.UNNAMED && p.header.equals(name)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }

  static List<String> supported() {
    List<String> names = new ArrayList<>();
    for (Protocol p : Protocol.values()) {
      if (p != Protocol.UNNAMED) {
        names.add(p.header);
      }
    }
    return names;
  }

  /** The channel of a stream type, or -1. */
  static int channel(String streamType) {
    return STREAM_TYPES.indexOf(streamType);
  }

  /** A binary message: the channel byte, then the data. */
  static ByteBuffer binary(int channel, byte[] data) {
    ByteBuffer message = ByteBuffer.allocate(1 + data.length);
    message.put((byte) channel).put(data).flip();
    return message;
  }

  /** A base64 text message: the channel's digit, then the data in base64. */
  static String text(int channel, byte[] data) {
    return (char) ('0' + channel) + Base64.getEncoder().encodeToString(data);
  }

  /**
   * @return empty for an empty message (nothing to dispatch)
   */
  static Optional<Frame> readBinary(byte[] message, int offset, int length) {
    if (length < 1) {
      return Optional.empty();
    }
    return Optional.of(
        new Frame(
            message[offset] & 0xff, Arrays.copyOfRange(message, offset + 1, offset + length)));
  }

  /**
   * @throws IllegalArgumentException when the message is not a channel digit and base64
   */
  static Optional<Frame> readText(String message) {
    if (message.isEmpty()) {
      return Optional.empty();
    }
    char c = message.charAt(0);
    if (c < '0' || c > '9') {
      throw new IllegalArgumentException("not a channel: " + c);
    }
    return Optional.of(
        new Frame(
            c - '0',
            Base64.getDecoder().decode(message.substring(1).getBytes(StandardCharsets.US_ASCII))));
  }
}
