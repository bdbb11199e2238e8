package io.github.acivirtualnode.operator.kubelet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyGoAwayFrame;
import io.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyVersion;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of a SPDY/3.1 connection as the API server's remote command client (moby's
 * spdystream) uses it: the client opens every stream (SYN_STREAM with a {@code streamType} header),
 * the server replies to each, data flows both ways, each side half-closes with FIN, and pings are
 * answered. Framing and the zlib-compressed header blocks are Netty's {@link SpdyFrameCodec}, run
 * in an {@link EmbeddedChannel}: bytes read from the upgraded HTTP connection go in, frames come
 * out, and frames written come out as bytes for the connection. Netty's session handler is not
 * used: spdystream sends no WINDOW_UPDATE frames, so a sender that kept SPDY's flow control windows
 * would stall after 64 KiB.
 *
 * <p>{@link #run} reads on the calling thread until the client goes; writes may come from any
 * thread. Not a general SPDY server: streams the server would open, priorities and settings are
 * ignored.
 */
final class SpdyConnection implements RemoteStreams {
  private static final Logger LOG = LoggerFactory.getLogger(SpdyConnection.class);
  private static final int MAX_DATA_FRAME = 32 * 1024;

  private final InputStream in;
  private final OutputStream out;
  private final Runnable closeConnection;
  private final EmbeddedChannel channel =
      new EmbeddedChannel(new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
  private final Map<String, Integer> streams = new HashMap<>();
  private final Map<Integer, String> types = new HashMap<>();
  private final Set<Integer> finishedByUs = new HashSet<>();
  private volatile Listener listener;
  private boolean closed;

  /**
   * @param closeConnection ends the upgraded connection
   */
  SpdyConnection(InputStream in, OutputStream out, Runnable closeConnection) {
    this.in = in;
    this.out = out;
    this.closeConnection = closeConnection;
  }

  /**
   * Listened to on the reading thread: a FIN or reset is a stream's end; GOAWAY, the end of the
   * connection or a protocol error is the client gone.
   */
  @Override
  public void listen(Listener listener) {
    this.listener = listener;
  }

  /**
   * Waits until the client has opened {@code expected} streams.
   *
   * @return false when the time ran out or the connection ended first
   */
  @Override
  public synchronized boolean awaitStreams(int expected, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (streams.size() < expected && !closed) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return !closed;
  }

  @Override
  public synchronized boolean has(String streamType) {
    return streams.containsKey(streamType);
  }

  /** Reads frames until the client goes; dispatches them to the listener. */
  void run() {
    byte[] buffer = new byte[16 * 1024];
    try {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        // Copied: the decoder may keep an unfinished frame's bytes until the next read.
        List<Runnable> events = decode(Unpooled.copiedBuffer(buffer, 0, n));
        for (Runnable event : events) {
          event.run();
        }
        if (isClosed()) {
          break;
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("SPDY connection ended: {}", e.toString());
    }
    Listener l = listener;
    if (l != null) {
      l.gone();
    }
    synchronized (this) {
      closed = true;
      notifyAll();
    }
  }

  /** Writes data on a stream the client opened; dropped if it has none of that type. */
  @Override
  public synchronized void write(String streamType, byte[] data) throws IOException {
    Integer id = streams.get(streamType);
    if (id == null || closed || finishedByUs.contains(id)) {
      return;
    }
    for (int from = 0; from < data.length; from += MAX_DATA_FRAME) {
      int length = Math.min(MAX_DATA_FRAME, data.length - from);
      send(new DefaultSpdyDataFrame(id, Unpooled.wrappedBuffer(data, from, length)));
    }
  }

  /** Half-closes a stream: no more data from the server on it. */
  @Override
  public synchronized void finish(String streamType) throws IOException {
    Integer id = streams.get(streamType);
    if (id == null || closed || !finishedByUs.add(id)) {
      return;
    }
    SpdyDataFrame fin = new DefaultSpdyDataFrame(id);
    fin.setLast(true);
    send(fin);
  }

  /** Finishes every stream, says GOAWAY and ends the connection. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      try {
        for (String type : List.copyOf(streams.keySet())) {
          finish(type);
        }
        send(new DefaultSpdyGoAwayFrame(lastStreamId()));
      } catch (IOException | RuntimeException e) {
        LOG.debug("SPDY connection could not be closed cleanly: {}", e.toString());
      }
      closed = true;
      notifyAll();
      channel.finishAndReleaseAll();
    }
    closeConnection.run();
  }

  @Override
  public synchronized boolean isClosed() {
    return closed;
  }

  private int lastStreamId() {
    return types.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
  }

  /** Decodes what was read; answers SYN_STREAMs and pings at once, returns the rest to run. */
  private synchronized List<Runnable> decode(ByteBuf bytes) throws IOException {
    List<Runnable> events = new ArrayList<>();
    if (closed) {
      bytes.release();
      return events;
    }
    channel.writeInbound(bytes);
    Object frame;
    while ((frame = channel.readInbound()) != null) {
      try {
        handle(frame, events);
      } finally {
        ReferenceCountUtil.release(frame);
      }
    }
    return events;
  }

  private void handle(Object frame, List<Runnable> events) throws IOException {
    Listener l = listener;
    if (frame instanceof SpdySynStreamFrame syn) {
      String type = Optional.ofNullable(syn.headers().getAsString("streamtype")).orElse("");
      send(reply(syn.streamId()));
      if (!type.isEmpty() && !streams.containsKey(type)) {
        streams.put(type, syn.streamId());
        types.put(syn.streamId(), type);
        notifyAll();
      } else {
        LOG.debug("SPDY stream {} of unexpected type '{}' ignored", syn.streamId(), type);
      }
      if (syn.isLast() && l != null && !type.isEmpty()) {
        events.add(() -> l.finished(type));
      }
    } else if (frame instanceof SpdyDataFrame data) {
      String type = types.get(data.streamId());
      if (type == null || l == null) {
        return;
      }
      byte[] content = new byte[data.content().readableBytes()];
      data.content().readBytes(content);
      if (content.length > 0) {
        events.add(() -> l.data(type, content));
      }
      if (data.isLast()) {
        events.add(() -> l.finished(type));
      }
    } else if (frame instanceof SpdyRstStreamFrame reset) {
      String type = types.get(reset.streamId());
      if (type != null && l != null) {
        events.add(() -> l.finished(type));
      }
    } else if (frame instanceof SpdyPingFrame ping) {
      send(new DefaultSpdyPingFrame(ping.id()));
    } else if (frame instanceof SpdyGoAwayFrame) {
      if (l != null) {
        events.add(l::gone);
      }
    }
    // SETTINGS, WINDOW_UPDATE, HEADERS: nothing to do.
  }

  /**
   * A SYN_REPLY with one header: Netty encodes no headers as an empty block, which Go's SPDY framer
   * cannot read (it expects a zlib stream holding a count), and gives up on the connection.
   */
  private static DefaultSpdySynReplyFrame reply(int streamId) {
    DefaultSpdySynReplyFrame reply = new DefaultSpdySynReplyFrame(streamId);
    reply.headers().set(":status", "200");
    return reply;
  }

  /** Encodes a frame and writes its bytes to the connection. Holds the lock. */
  private void send(Object frame) throws IOException {
    channel.writeOutbound(frame);
    ByteBuf encoded;
    while ((encoded = channel.readOutbound()) != null) {
      try {
        encoded.readBytes(out, encoded.readableBytes());
      } finally {
        encoded.release();
      }
    }
    out.flush();
  }
}
