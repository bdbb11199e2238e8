package io.github.acivirtualnode.operator.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TerminalSizesTest {

  @Test
  void objectsOneAfterTheOtherAndSplitAcrossFramesAreRead() {
    TerminalSizes sizes = new TerminalSizes();

    assertThat(sizes.feed(bytes("{\"Width\":120,\"Height\":40}{\"Wid")))
        .containsExactly(new TerminalSizes.Size(120, 40));
    assertThat(sizes.feed(bytes("th\":100,\"Height\":30}\n")))
        .containsExactly(new TerminalSizes.Size(100, 30));
  }

  @Test
  void aSizeWithoutBothDimensionsIsSkipped() {
    assertThat(new TerminalSizes().feed(bytes("{\"Width\":0,\"Height\":30}{\"Height\":3}")))
        .isEmpty();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
