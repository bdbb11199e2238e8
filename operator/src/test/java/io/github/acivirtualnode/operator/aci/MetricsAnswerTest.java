package io.github.acivirtualnode.operator.aci;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MetricsAnswerTest {
  private static String series(String container, String data) {
    return "{\"metadatavalues\":[{\"name\":{\"value\":\"containername\",\"localizedValue\":"
        + "\"containername\"},\"value\":\""
        + container
        + "\"}],\"data\":["
        + data
        + "]}";
  }

  private static String metric(String name, String... series) {
    return "{\"id\":\"x\",\"type\":\"Microsoft.Insights/metrics\",\"name\":{\"value\":\""
        + name
        + "\"},\"unit\":\"Count\",\"timeseries\":["
        + String.join(",", series)
        + "]}";
  }

  @Test
  void eachContainersLatestAveragedBucketIsTaken() throws Exception {
    String answer =
        "{\"cost\":0,\"timespan\":\"a/b\",\"interval\":\"PT1M\",\"value\":["
            + metric(
                "CpuUsage",
                series(
                    "app",
                    "{\"timeStamp\":\"2026-12-02T06:00:00Z\",\"average\":100},"
                        + "{\"timeStamp\":\"2026-12-02T06:01:00Z\",\"average\":250},"
                        + "{\"timeStamp\":\"2026-12-02T06:02:00Z\"}"),
                series("side", "{\"timeStamp\":\"2026-12-02T06:00:00Z\",\"average\":50}"))
            + ","
            + metric(
                "MemoryUsage",
                series(
                    "app",
                    "{\"timeStamp\":\"2026-12-02T06:00:00Z\",\"average\":1000},"
                        + "{\"timeStamp\":\"2026-12-02T06:01:00Z\",\"average\":2000}"),
                series("side", "{\"timeStamp\":\"2026-12-02T06:00:00Z\",\"average\":3000}"))
            + "]}";

    assertThat(MetricsAnswer.latest(new ObjectMapper().readTree(answer)))
        .containsExactly(
            new AciBackend.ContainerUsage("app", Instant.parse("2026-12-02T06:01:00Z"), 250, 2000),
            new AciBackend.ContainerUsage("side", Instant.parse("2026-12-02T06:00:00Z"), 50, 3000));
  }

  @Test
  void aContainerWithoutBothFiguresOrWithoutSamplesIsAbsent() throws Exception {
    String answer =
        "{\"value\":["
            + metric(
                "CpuUsage",
                series("app", "{\"timeStamp\":\"2026-12-02T06:00:00Z\",\"average\":100}"),
                series("idle", "{\"timeStamp\":\"2026-12-02T06:00:00Z\"}"))
            + ","
            + metric("MemoryUsage", series("idle", "{\"timeStamp\":\"2026-12-02T06:00:00Z\"}"))
            + "]}";

    assertThat(MetricsAnswer.latest(new ObjectMapper().readTree(answer))).isEmpty();
  }
}
