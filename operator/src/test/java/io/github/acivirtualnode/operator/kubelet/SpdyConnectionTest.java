package io.github.acivirtualnode.operator.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdyVersion;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The SPDY server side against Netty's own codec as the client: streams opened by type, replies,
 * data both ways, FIN, pings, GOAWAY. In memory.
 */
class SpdyConnectionTest {
  private final EmbeddedChannel client =
      new EmbeddedChannel(new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
  private final ByteArrayOutputStream fromServer = new ByteArrayOutputStream();
  private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
  private final AtomicBoolean connectionClosed = new AtomicBoolean();
  private PipedOutputStream toServer;
  private SpdyConnection server;
  private Thread reader;

  private void start() throws IOException {
    toServer = new PipedOutputStream();
    PipedInputStream in = new PipedInputStream(toServer, 64 * 1024);
    server =
        new SpdyConnection(
            in,
            new java.io.OutputStream() {
              @Override
              public void write(int b) {
                synchronized (fromServer) {
                  fromServer.write(b);
                }
              }

              @Override
              public void write(byte[] b, int off, int len) {
                synchronized (fromServer) {
                  fromServer.write(b, off, len);
                }
              }
            },
            () -> connectionClosed.set(true));
    server.listen(
        new RemoteStreams.Listener() {
          @Override
          public void data(String streamType, byte[] data) {
            events.add(streamType + ":" + new String(data, StandardCharsets.UTF_8));
          }

          @Override
          public void finished(String streamType) {
            events.add(streamType + ":FIN");
          }

          @Override
          public void gone() {
            events.add("gone");
          }
        });
    reader = new Thread(server::run);
    reader.start();
  }

  @AfterEach
  void stop() throws Exception {
    if (toServer != null) {
      toServer.close();
    }
    if (reader != null) {
      reader.join(10_000);
    }
    client.finishAndReleaseAll();
  }

  @Test
  void streamsAreRepliedToAndDataReachesTheStreamOfItsType() throws Exception {
    start();
    open(1, "error");
    open(3, "stdin");
    open(5, "stdout");

    assertThat(server.awaitStreams(3, Duration.ofSeconds(10))).isTrue();
    clientSends(data(3, "typed", false));
    clientSends(data(3, "", true));

    assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("stdin:typed");
    assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("stdin:FIN");
    List<Object> frames = serverFrames();
    assertThat(frames)
        .filteredOn(f -> f instanceof SpdySynReplyFrame)
        .extracting(f -> ((SpdySynReplyFrame) f).streamId())
        .containsExactly(1, 3, 5);
    // Go's framer needs a header block it can inflate: never an empty one.
    assertThat(frames)
        .filteredOn(f -> f instanceof SpdySynReplyFrame)
        .allMatch(f -> !((SpdySynReplyFrame) f).headers().isEmpty());
    frames.forEach(ReferenceCountUtil::release);
  }

  @Test
  void serverDataGoesOutOnTheStreamOfItsTypeThenEveryStreamIsFinishedAndGoneAway()
      throws Exception {
    start();
    open(1, "error");
    open(3, "stdout");
    assertThat(server.awaitStreams(2, Duration.ofSeconds(10))).isTrue();
    serverFrames().forEach(ReferenceCountUtil::release); // the replies

    server.write("stdout", "hello".getBytes(StandardCharsets.UTF_8));
    server.write("stderr", "dropped: not opened".getBytes(StandardCharsets.UTF_8));
    server.write("error", "{}".getBytes(StandardCharsets.UTF_8));
    server.close();

    List<Object> frames = serverFrames();
    List<String> seen = new ArrayList<>();
    for (Object f : frames) {
      if (f instanceof SpdyDataFrame d) {
        seen.add(
            d.streamId()
                + (d.isLast() ? " FIN " : " ")
                + d.content().toString(StandardCharsets.UTF_8));
      } else if (f instanceof SpdyGoAwayFrame g) {
        seen.add("GOAWAY " + g.lastGoodStreamId());
      }
      ReferenceCountUtil.release(f);
    }
    assertThat(seen).startsWith("3 hello", "1 {}");
    assertThat(seen).contains("1 FIN ", "3 FIN ").endsWith("GOAWAY 3");
    assertThat(connectionClosed).isTrue();
  }

  @Test
  void pingsAreAnsweredWithTheirId() throws Exception {
    start();
    clientSends(new DefaultSpdyPingFrame(7));
    open(1, "error");
    assertThat(server.awaitStreams(1, Duration.ofSeconds(10))).isTrue();

    List<Object> frames = serverFrames();

    assertThat(frames)
        .filteredOn(f -> f instanceof SpdyPingFrame)
        .extracting(f -> ((SpdyPingFrame) f).id())
        .containsExactly(7);
    frames.forEach(ReferenceCountUtil::release);
  }

  @Test
  void theEndOfTheConnectionIsTheClientGone() throws Exception {
    start();
    toServer.close();

    assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("gone");
    assertThat(server.awaitStreams(1, Duration.ofSeconds(10))).isFalse();
  }

  private void open(int id, String type) throws IOException {
    DefaultSpdySynStreamFrame syn = new DefaultSpdySynStreamFrame(id, 0, (byte) 0);
    syn.headers().set("streamtype", type);
    clientSends(syn);
  }

  private static SpdyDataFrame data(int id, String text, boolean last) {
    SpdyDataFrame frame =
        new DefaultSpdyDataFrame(id, Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    frame.setLast(last);
    return frame;
  }

  private void clientSends(Object frame) throws IOException {
    client.writeOutbound(frame);
    ByteBuf bytes;
    while ((bytes = client.readOutbound()) != null) {
      byte[] b = new byte[bytes.readableBytes()];
      bytes.readBytes(b);
      bytes.release();
      toServer.write(b);
    }
    toServer.flush();
  }

  private List<Object> serverFrames() {
    byte[] bytes;
    synchronized (fromServer) {
      bytes = fromServer.toByteArray();
      fromServer.reset();
    }
    client.writeInbound(Unpooled.wrappedBuffer(bytes));
    List<Object> frames = new ArrayList<>();
    Object f;
    while ((f = client.readInbound()) != null) {
      frames.add(f);
    }
    return frames;
  }
}
