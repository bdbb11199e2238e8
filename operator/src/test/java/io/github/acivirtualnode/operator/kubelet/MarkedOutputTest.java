package io.github.acivirtualnode.operator.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MarkedOutputTest {
  private static final String TRANSCRIPT =
      "# \r\n stty -echo 2>/dev/null; echo AVN\"\"idB; 'ls'; echo AVN\"\"idE $?; exit\r\n"
          + "AVNidB\r\nfile one\r\nfile two\r\nAVNidE 3\r\n";

  @Test
  void onlyTheCommandsOutputPassesAndTheStatusComesFromTheEndMarker() {
    MarkedOutput output = new MarkedOutput("AVNidB", "AVNidE", true);

    String passed = text(output.feed(bytes(TRANSCRIPT)));

    assertThat(passed).isEqualTo("file one\nfile two\n");
    assertThat(output.begun()).isTrue();
    assertThat(output.ended()).isTrue();
    assertThat(output.exitCode()).hasValue(3);
    assertThat(output.preamble()).contains("stty -echo").doesNotContain("file one");
  }

  @Test
  void theSameOutputFedByteByByteGivesTheSameResult() {
    MarkedOutput output = new MarkedOutput("AVNidB", "AVNidE", true);
    ByteArrayOutputStream passed = new ByteArrayOutputStream();

    for (byte b : bytes(TRANSCRIPT)) {
      passed.writeBytes(output.feed(new byte[] {b}));
    }

    assertThat(passed.toString(StandardCharsets.UTF_8)).isEqualTo("file one\nfile two\n");
    assertThat(output.exitCode()).hasValue(3);
  }

  @Test
  void withATerminalLineEndsStayAsTheTerminalWroteThem() {
    MarkedOutput output = new MarkedOutput("AVNidB", "AVNidE", false);

    assertThat(text(output.feed(bytes(TRANSCRIPT)))).isEqualTo("file one\r\nfile two\r\n");
  }

  @Test
  void outputWithoutAFinalNewlineKeepsItsLastLineBeforeTheMarker() {
    MarkedOutput output = new MarkedOutput("AVNidB", "AVNidE", true);

    String passed = text(output.feed(bytes("AVNidB\r\nno newlineAVNidE 0\r\n")));

    assertThat(passed).isEqualTo("no newline");
    assertThat(output.exitCode()).hasValue(0);
  }

  @Test
  void textThatOnlyStartsLikeAMarkerIsPassedOnOnceItIsNotOne() {
    MarkedOutput output = new MarkedOutput("AVNidB", "AVNidE", true);
    output.feed(bytes("AVNidB\r\n"));

    String first = text(output.feed(bytes("AVNi")));
    String second = text(output.feed(bytes("x\r\n")));

    assertThat(first).isEmpty();
    assertThat(second).isEqualTo("AVNix\n");
    assertThat(output.ended()).isFalse();
  }

  @Test
  void aLoneCarriageReturnIsKept() {
    MarkedOutput output = new MarkedOutput("AVNidB", "AVNidE", true);

    String passed = text(output.feed(bytes("AVNidB\r\n50%\r100%\r\nAVNidE 0\r\n")));

    assertThat(passed).isEqualTo("50%\r100%\n");
  }

  @Test
  void whenTheTerminalEndsWithoutMarkersNothingPassesAndThePreambleSaysWhy() {
    MarkedOutput output = new MarkedOutput("AVNidB", "AVNidE", true);

    String passed = text(output.feed(bytes("exec failed: \"/bin/sh\": not found\r\n")));

    assertThat(passed).isEmpty();
    assertThat(output.finish()).isEmpty();
    assertThat(output.begun()).isFalse();
    assertThat(output.preamble()).contains("not found");
  }

  @Test
  void aCutSessionHandsOnWhatWasHeldBack() {
    MarkedOutput output = new MarkedOutput("AVNidB", "AVNidE", true);
    String passed = text(output.feed(bytes("AVNidB\r\npartial AVN")));

    assertThat(passed + text(output.finish())).isEqualTo("partial AVN");
    assertThat(output.ended()).isFalse();
    assertThat(output.exitCode()).isEmpty();
  }

  @Test
  void nothingAfterTheEndMarkerPasses() {
    MarkedOutput output = new MarkedOutput("AVNidB", "AVNidE", true);
    output.feed(bytes("AVNidB\r\nAVNidE 0\r\n"));

    assertThat(output.feed(bytes("sh: 1: stty: not found\r\n"))).isEmpty();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
