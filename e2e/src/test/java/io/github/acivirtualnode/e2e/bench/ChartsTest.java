package io.github.acivirtualnode.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {
  @TempDir Path dir;

  /** A PNG of the chart's size with something drawn on it (more than a few colours). */
  private static void assertDrawnPng(Path file) throws Exception {
    BufferedImage image = ImageIO.read(file.toFile());
    assertThat(image).as("a PNG ImageIO reads").isNotNull();
    assertThat(image.getWidth()).isEqualTo(Charts.WIDTH);
    assertThat(image.getHeight()).isEqualTo(Charts.HEIGHT);
    Set<Integer> colours = new HashSet<>();
    for (int x = 0; x < image.getWidth(); x += 4) {
      for (int y = 0; y < image.getHeight(); y += 4) {
        colours.add(image.getRGB(x, y));
      }
    }
    assertThat(colours.size()).as("colours drawn").isGreaterThan(3);
  }

  @Test
  void aLatencyCdfIsAPng() throws Exception {
    Path file = dir.resolve("sub/cdf.png");
    Charts.latencyCdf(
        file,
        "bound -> PUT",
        Map.of(
            "zero delay",
            List.of(Duration.ofMillis(5), Duration.ofMillis(9), Duration.ofMillis(40)),
            "realistic",
            List.of(Duration.ofMillis(7))));
    assertDrawnPng(file);
  }

  @Test
  void barsAreAPng() throws Exception {
    Path file = dir.resolve("bars.png");
    Charts.bars(
        file, "ARM calls per pod", "calls/pod", Map.of("PUT", 1.0, "DELETE", 1.0, "GET", 0.4));
    assertDrawnPng(file);
  }
}
