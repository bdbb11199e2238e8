package io.github.acivirtualnode.operator.kubelet;

import io.fabric8.kubernetes.api.model.Status;
import io.github.acivirtualnode.operator.aci.AciBackend;
import io.github.acivirtualnode.operator.aci.AciException;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code kubectl exec} over SPDY or WebSocket ({@link RemoteStreams}), run in ACI as its {@link
 * ExecPlan} says. Once the client has opened its streams (and, with a terminal, sent its first
 * size, which ACI takes when the session opens and never again), an ACI exec session of the plan's
 * program is opened. Through the shell: the {@link ShellLine} is typed, the terminal's output is
 * read through {@link MarkedOutput} onto stdout, and the exit status from the end marker goes on
 * the error stream. A program run directly: its output goes on as {@link DirectOutput} passes it,
 * and since ACI reports no exit status, a session ACI closes normally counts as a success, one ACI
 * could not start as the error ACI printed, and one cut otherwise as an internal error. The
 * client's stdin is typed into the terminal once the command has started; its end is Ctrl-D, the
 * terminal's end of input (given at once when the client sends no stdin, so that a command reading
 * its input ends as it would on /dev/null).
 */
final class ExecSession implements RemoteStreams.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(ExecSession.class);
  static final Duration STREAMS_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration FIRST_SIZE_TIMEOUT = Duration.ofSeconds(2);
  private static final String END_OF_INPUT = "\u0004";

  private final RemoteStreams streams;
  private final StreamProtocol protocol;
  private final StreamOptions options;
  private final ExecPlan plan;
  private final AciBackend backend;
  private final String group;
  private final String container;
  private final HttpClient http;

  private final CompletableFuture<TerminalSizes.Size> firstSize = new CompletableFuture<>();
  private final CompletableFuture<Status> done = new CompletableFuture<>();
  private final TerminalSizes sizes = new TerminalSizes();
  private final CharsetDecoder stdinDecoder =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE);
  private final MarkedOutput output;
  private final DirectOutput directOutput;

  // Guarded by this.
  private final StringBuilder stdinBeforeStart = new StringBuilder();
  private boolean started;
  private boolean stdinEnded;
  private char lastTyped = '\n';
  private AciTerminal terminal;

  ExecSession(
      RemoteStreams streams,
      StreamProtocol protocol,
      StreamOptions options,
      ExecPlan plan,
      AciBackend backend,
      String group,
      String container,
      HttpClient http) {
    this.streams = streams;
    this.protocol = protocol;
    this.options = options;
    this.plan = plan;
    this.backend = backend;
    this.group = group;
    this.container = container;
    this.http = http;
    this.output =
        plan.direct()
            ? null
            : new MarkedOutput(plan.line().beginMarker(), plan.line().endMarker(), !options.tty());
    this.directOutput = plan.direct() ? new DirectOutput(!options.tty()) : null;
  }

  /** Runs the session to its end; closes the connection. */
  void run() {
    AciTerminal opened = null;
    try {
      if (!streams.awaitStreams(options.expectedStreams(protocol), STREAMS_TIMEOUT)) {
        LOG.debug("exec in {}: the client did not open its streams", group);
        return;
      }
      TerminalSizes.Size size = TerminalSizes.Size.DEFAULT;
      if (options.tty() && streams.has("resize")) {
        try {
          size = firstSize.get(FIRST_SIZE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          // No size sent: ACI's terminal gets the default.
        }
      }
      AciBackend.ExecSession session;
      try {
        session = backend.exec(group, container, plan.program(), size.rows(), size.columns());
      } catch (AciException e) {
        finish(ExecStatus.internalError("ACI refused the exec session: " + e.getMessage()));
        return;
      }
      try {
        opened =
            AciTerminal.open(http, session, this::fromTerminal, this::terminalClosed)
                .get(STREAMS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException e) {
        finish(
            ExecStatus.internalError(
                "the exec session's websocket in ACI cannot be reached: "
                    + (e.getCause() == null ? e : e.getCause())));
        return;
      }
      synchronized (this) {
        terminal = opened;
      }
      if (plan.direct()) {
        start(); // the program is the command: it runs from the start
      } else {
        opened.type(plan.line().text());
      }
      Status status = done.get();
      if (status != null) {
        finish(status);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | RuntimeException e) {
      LOG.warn("exec in {} failed: {}", group, e.toString());
      finish(ExecStatus.internalError(e.toString()));
    } finally {
      if (opened != null) {
        opened.close();
      }
      streams.close();
    }
  }

  /** Output, then the status, on the client's streams. */
  private void finish(Status status) {
    try {
      streams.finish("stdout");
      streams.finish("stderr");
      streams.write("error", ExecStatus.encode(status, protocol));
      streams.finish("error");
    } catch (IOException e) {
      LOG.debug("exec in {}: the status could not be sent: {}", group, e.toString());
    }
  }

  private void fromTerminal(byte[] bytes) {
    if (plan.direct()) {
      byte[] payload;
      synchronized (directOutput) {
        payload = directOutput.feed(bytes);
      }
      deliver(payload);
      return;
    }
    byte[] payload;
    boolean begins;
    boolean ended;
    synchronized (output) {
      boolean before = output.begun();
      payload = output.feed(bytes);
      begins = !before && output.begun();
      ended = output.ended();
    }
    deliver(payload);
    if (begins) {
      start();
    }
    if (ended) {
      done.complete(
          output.exitCode().stream()
              .mapToObj(ExecStatus::exited)
              .findFirst()
              .orElseGet(
                  () ->
                      ExecStatus.internalError(
                          "the command's exit status could not be read from ACI's terminal")));
    }
  }

  private void terminalClosed(int statusCode) {
    if (plan.direct()) {
      directClosed(statusCode);
      return;
    }
    byte[] rest;
    boolean begun;
    String preamble;
    synchronized (output) {
      rest = output.finish();
      begun = output.begun();
      preamble = output.preamble();
    }
    deliver(rest);
    if (!begun) {
      done.complete(
          ExecStatus.internalError(
              "ACI's exec did not start "
                  + ShellLine.SHELL
                  + " in container "
                  + container
                  + " (exec with a command needs a shell in the image); the terminal said: "
                  + printable(preamble)));
    } else {
      done.complete(
          ExecStatus.internalError(
              "ACI's exec session ended before the command's exit status was printed (it"
                  + " exited its shell, or the session was cut)"));
    }
  }

  /**
   * The end of a program ACI ran directly: ACI says nothing of its exit status, so only how the
   * session ended can be told.
   */
  private void directClosed(int statusCode) {
    byte[] rest;
    Optional<String> error;
    synchronized (directOutput) {
      rest = directOutput.finish();
      error = directOutput.runtimeError();
    }
    deliver(rest);
    if (error.isPresent()) {
      done.complete(
          ExecStatus.internalError(
              "ACI's exec could not start "
                  + plan.program()
                  + " in container "
                  + container
                  + ": "
                  + printable(error.get())));
    } else if (statusCode == WebSocket.NORMAL_CLOSURE) {
      done.complete(ExecStatus.success());
    } else {
      done.complete(
          ExecStatus.internalError(
              "ACI's exec session of "
                  + plan.program()
                  + " ended abnormally ("
                  + (statusCode == AciTerminal.FAILED
                      ? "the websocket failed"
                      : "websocket close code " + statusCode)
                  + "); ACI reports no exit status"));
    }
  }

  /** The command's output: stdout if asked for, else stderr (a terminal has one output). */
  private void deliver(byte[] payload) {
    if (payload.length == 0) {
      return;
    }
    try {
      if (options.stdout()) {
        streams.write("stdout", payload);
      } else if (options.stderr()) {
        streams.write("stderr", payload);
      }
    } catch (IOException e) {
      done.complete(null);
    }
  }

  /** The command runs: what stdin sent so far is typed, or its end if it has none. */
  private synchronized void start() {
    started = true;
    if (stdinBeforeStart.length() > 0) {
      typeStdin(stdinBeforeStart.toString());
      stdinBeforeStart.setLength(0);
    }
    if (!options.stdin() || stdinEnded) {
      typeEndOfInput();
    }
  }

  @Override
  public void data(String streamType, byte[] data) {
    switch (streamType) {
      case "stdin" -> stdin(data);
      case "resize" -> {
        List<TerminalSizes.Size> read = sizes.feed(data);
        if (!read.isEmpty() && !firstSize.complete(read.get(0))) {
          LOG.debug("exec in {}: resize to {} ignored (ACI cannot resize)", group, read);
        }
      }
      default -> {
        // Nothing else is read from the client.
      }
    }
  }

  private synchronized void stdin(byte[] data) {
    CharBuffer chars;
    try {
      chars = stdinDecoder.decode(ByteBuffer.wrap(data));
    } catch (java.nio.charset.CharacterCodingException e) {
      return; // not with REPLACE
    }
    if (started) {
      typeStdin(chars.toString());
    } else {
      stdinBeforeStart.append(chars);
    }
  }

  @Override
  public synchronized void finished(String streamType) {
    if (!"stdin".equals(streamType) || stdinEnded) {
      return;
    }
    stdinEnded = true;
    if (started) {
      typeEndOfInput();
    }
  }

  @Override
  public void gone() {
    done.complete(null);
  }

  private void typeStdin(String text) {
    if (text.isEmpty() || terminal == null) {
      return;
    }
    terminal.type(text);
    lastTyped = text.charAt(text.length() - 1);
  }

  /** Ctrl-D; twice after a partial line (the first only hands the partial line to the reader). */
  private void typeEndOfInput() {
    if (terminal == null) {
      return;
    }
    terminal.type(
        lastTyped == '\n' || lastTyped == '\r' ? END_OF_INPUT : END_OF_INPUT + END_OF_INPUT);
    lastTyped = '\n';
  }

  private static String printable(String text) {
    String clean = text.replaceAll("[\\p{Cntrl}&&[^\n]]", "").replace('\n', ' ').strip();
    return clean.isEmpty() ? "(nothing)" : clean;
  }
}
