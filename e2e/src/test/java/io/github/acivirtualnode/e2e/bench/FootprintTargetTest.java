package io.github.acivirtualnode.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FootprintTargetTest {
  private static final Figure RSS = Figure.of("rss.max", "RSS, most sampled", 300.0, "MiB");

  private static BenchSubject.Started subject(boolean ownProcess) {
    return new BenchSubject.Started() {
      @Override
      public List<String> addNodes(String prefix, int count) {
        return List.of();
      }

      @Override
      public String footprintNote() {
        return ownProcess ? "its own process" : "the whole JVM";
      }

      @Override
      public boolean ownProcesses() {
        return ownProcess;
      }

      @Override
      public void close() {}
    };
  }

  @Test
  void theRssTargetIsJudgedAtFiveThousandPodsOfAProcessOfItsOwn() {
    Figure met = BenchHarness.rssFigure(RSS, 5000, 400_000_000L, subject(true));
    Figure missed = BenchHarness.rssFigure(RSS, 5000, 512_000_000L, subject(true));

    assertThat(met.met()).isTrue();
    assertThat(met.note()).contains("5000 pods").contains("400 MB").contains("its own process");
    assertThat(missed.met()).isFalse();
  }

  @Test
  void fewerPodsOrTheWholeJvmAreShownNotJudged() {
    Figure fewer = BenchHarness.rssFigure(RSS, 4999, 100_000_000L, subject(true));
    Figure jvm = BenchHarness.rssFigure(RSS, 5000, 100_000_000L, subject(false));

    assertThat(fewer.met()).isNull();
    assertThat(fewer.target()).isEqualTo(BenchHarness.RSS_TARGET);
    assertThat(fewer.note()).contains("4999 pods here");
    assertThat(jvm.met()).isNull();
    assertThat(jvm.note()).isEqualTo("the whole JVM");
  }

  @Test
  void operatorSettingsFromTheCommandLine() {
    assertThat(OperatorSubject.parseOverrides("AVN_POD_WORKERS=8, AVN_STATUS_LIST_SECONDS=3"))
        .isEqualTo(Map.of("AVN_POD_WORKERS", "8", "AVN_STATUS_LIST_SECONDS", "3"));
    assertThat(OperatorSubject.parseOverrides("")).isEmpty();
    assertThatThrownBy(() -> OperatorSubject.parseOverrides("AVN_POD_WORKERS"))
        .hasMessageContaining("AVN_POD_WORKERS is not NAME=VALUE");
  }

  @Test
  void theSamplerSlowsDownOnlyPastFiveHundredGroups() {
    assertThat(BenchHarness.samplePeriod(30).toMillis()).isEqualTo(20);
    assertThat(BenchHarness.samplePeriod(500).toMillis()).isEqualTo(20);
    assertThat(BenchHarness.samplePeriod(5000).toMillis()).isEqualTo(200);
  }
}
