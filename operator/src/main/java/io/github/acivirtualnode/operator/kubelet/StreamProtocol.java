package io.github.acivirtualnode.operator.kubelet;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The remote command sub-protocols a kubelet speaks over SPDY, negotiated through {@code
 * X-Stream-Protocol-Version} as {@code httpstream.Handshake} does (the client's order of
 * preference, the first the server knows). v5 is v4 over SPDY (its close signal exists only over
 * WebSocket); v4 reports the end as a JSON Status with the exit code; v3 adds the resize stream; v2
 * writes a failure as plain text on the error stream. The first protocol ({@code channel.k8s.io},
 * no negotiation) is not spoken: API servers since 1.4 negotiate. Pure.
 */
enum StreamProtocol {
  V5("v5.channel.k8s.io"),
  V4("v4.channel.k8s.io"),
  V3("v3.channel.k8s.io"),
  V2("v2.channel.k8s.io");

  private final String header;

  StreamProtocol(String header) {
    this.header = header;
  }

  String header() {
    return header;
  }

  /** Whether the error stream carries a JSON Status (with the exit code). */
  boolean statusAsJson() {
    return this == V5 || this == V4;
  }

  boolean resizable() {
    return this != V2;
  }

  /**
   * @param offered the values of the request's X-Stream-Protocol-Version headers (each may list
   *     several, comma-separated)
   */
  static Optional<StreamProtocol> negotiate(List<String> offered) {
    for (String value : offered) {
      for (String name : value.split(",")) {
        for (StreamProtocol p : values()) {
          if (p.header.equals(name.trim())) {
            return Optional.of(p);
          }
        }
      }
    }
    return Optional.empty();
  }

  static List<String> supported() {
    List<String> names = new ArrayList<>();
    for (StreamProtocol p : values()) {
      names.add(p.header);
    }
    return names;
  }
}
