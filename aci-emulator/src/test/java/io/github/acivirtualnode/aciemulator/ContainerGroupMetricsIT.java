package io.github.acivirtualnode.aciemulator;

import static io.github.acivirtualnode.aciemulator.ArmClient.RG;
import static io.github.acivirtualnode.aciemulator.ArmClient.SUB;
import static io.github.acivirtualnode.aciemulator.ArmClient.container;
import static io.github.acivirtualnode.aciemulator.ArmClient.group;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Azure Monitor metrics of a container group over real HTTP, on a clock the test moves: the
 * answer's shape (the 2018-01-01 GetMetric example's), samples only while containers run, the
 * containerName split, intervals and aggregations, and Azure Monitor's errors.
 */
class ContainerGroupMetricsIT {
  private static final String T0 = "2026-01-01T00:00:00Z";
  private static final String TEN = "2026-01-01T00:10:00Z";
  private static final double APP_CPU = 1 * 1000 * 0.25;
  private static final double JOB_CPU = 0.5 * 1000 * 0.25;
  private static final double APP_MEMORY = 1.5 * 1024 * 1024 * 1024 * 0.5;
  private ManualClock clock;
  private AciEmulator emulator;
  private ArmClient arm;

  @BeforeEach
  void start() {
    clock = new ManualClock();
    emulator = AciEmulator.builder().clock(clock).build().start();
    emulator.addResourceGroup(SUB, RG, "westeurope");
    arm = new ArmClient(emulator);
    // app runs on; job (half a CPU) runs 90 s and ends.
    String job =
        container(
                "job",
                "busybox",
                null,
                "[{\"name\":\"ACI_EMULATOR_RUN_SECONDS\",\"value\":\"90\"}]")
            .replace("\"cpu\":1", "\"cpu\":0.5");
    assertThat(
            arm.create(
                    "g",
                    "["
                        + container("app", "nginx", null, null)
                            .replace("\"memoryInGB\":1", "\"memoryInGB\":1.5")
                        + ","
                        + job
                        + "]",
                    "\"restartPolicy\":\"Never\"")
                .statusCode())
        .isEqualTo(201);
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  private HttpResponse<String> query(String query) {
    return arm.send(
        "GET",
        group("g") + "/providers/Microsoft.Insights/metrics?api-version=2018-01-01&" + query,
        null);
  }

  private JsonNode metrics(String query) throws Exception {
    HttpResponse<String> response = query(query);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return SpecSchemas.MAPPER.readTree(response.body());
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static List<String> names(JsonNode node) {
    List<String> out = new ArrayList<>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
  }

  @Test
  void samplesFollowTheContainersRunsSplitByContainerName() throws Exception {
    clock.advance(Duration.ofMinutes(10));
    JsonNode answer =
        metrics(
            "metricnames=CpuUsage,MemoryUsage&timespan="
                + encode(T0 + "/" + TEN)
                + "&interval=PT1M&aggregation=Average,Maximum,Count&$filter="
                + encode("containerName eq '*'"));
    assertThat(names(answer))
        .containsExactlyInAnyOrder(
            "cost", "timespan", "interval", "value", "namespace", "resourceregion");
    assertThat(answer.path("timespan").asText()).isEqualTo(T0 + "/" + TEN);
    assertThat(answer.path("interval").asText()).isEqualTo("PT1M");
    assertThat(answer.path("namespace").asText())
        .isEqualTo("Microsoft.ContainerInstance/containerGroups");
    assertThat(answer.path("resourceregion").asText()).isEqualTo("westeurope");
    JsonNode cpu = answer.at("/value/0");
    assertThat(names(cpu))
        .containsExactly(
            "id", "type", "name", "displayDescription", "unit", "timeseries", "errorCode");
    assertThat(cpu.path("id").asText())
        .isEqualTo("/" + group("g") + "/providers/Microsoft.Insights/metrics/CpuUsage");
    assertThat(cpu.at("/name/value").asText()).isEqualTo("CpuUsage");
    assertThat(cpu.path("unit").asText()).isEqualTo("Count");
    assertThat(cpu.path("timeseries")).hasSize(2);

    JsonNode app = cpu.at("/timeseries/0");
    assertThat(app.at("/metadatavalues/0/name/value").asText()).isEqualTo("containername");
    assertThat(app.at("/metadatavalues/0/value").asText()).isEqualTo("app");
    JsonNode data = app.path("data");
    assertThat(data).hasSize(10);
    // 00:00: still being provisioned, no sample; a data point with a zero count only.
    assertThat(data.get(0).path("timeStamp").asText()).isEqualTo(T0);
    assertThat(names(data.get(0))).containsExactly("timeStamp", "count");
    assertThat(data.get(0).path("count").asDouble()).isZero();
    for (int minute = 1; minute < 10; minute++) {
      assertThat(data.get(minute).path("average").asDouble()).isEqualTo(APP_CPU);
      assertThat(data.get(minute).path("maximum").asDouble()).isEqualTo(APP_CPU);
      assertThat(data.get(minute).path("count").asDouble()).isEqualTo(1);
    }
    JsonNode job = cpu.at("/timeseries/1");
    assertThat(job.at("/metadatavalues/0/value").asText()).isEqualTo("job");
    assertThat(job.at("/data/1/average").asDouble()).isEqualTo(JOB_CPU);
    // Ended after 90 s: no samples from 00:02 on.
    assertThat(job.at("/data/2").has("average")).isFalse();

    JsonNode memory = answer.at("/value/1");
    assertThat(memory.at("/name/value").asText()).isEqualTo("MemoryUsage");
    assertThat(memory.path("unit").asText()).isEqualTo("Bytes");
    assertThat(memory.at("/timeseries/0/data/5/average").asDouble()).isEqualTo(APP_MEMORY);

    // Only the containers named in the filter.
    JsonNode onlyJob =
        metrics(
            "metricnames=CpuUsage&timespan="
                + encode(T0 + "/" + TEN)
                + "&$filter="
                + encode("containerName eq 'job'"));
    assertThat(onlyJob.at("/value/0/timeseries")).hasSize(1);
    assertThat(onlyJob.at("/value/0/timeseries/0/metadatavalues/0/value").asText())
        .isEqualTo("job");
  }

  @Test
  void withoutASplitABucketAggregatesEveryContainersSamples() throws Exception {
    clock.advance(Duration.ofMinutes(10));
    JsonNode answer =
        metrics(
            "metricnames=CpuUsage&timespan="
                + encode(T0 + "/" + TEN)
                + "&aggregation=average,minimum,total,count");
    JsonNode series = answer.at("/value/0/timeseries");
    assertThat(series).hasSize(1);
    assertThat(series.at("/0/metadatavalues")).isEmpty();
    JsonNode both = series.at("/0/data/1");
    assertThat(both.path("average").asDouble()).isEqualTo((APP_CPU + JOB_CPU) / 2);
    assertThat(both.path("minimum").asDouble()).isEqualTo(JOB_CPU);
    assertThat(both.path("total").asDouble()).isEqualTo(APP_CPU + JOB_CPU);
    assertThat(both.path("count").asDouble()).isEqualTo(2);
    assertThat(series.at("/0/data/3/average").asDouble()).isEqualTo(APP_CPU);

    JsonNode full =
        metrics(
            "metricnames=CpuUsage&timespan="
                + encode(T0 + "/" + TEN)
                + "&interval=FULL&aggregation=Count");
    assertThat(full.path("interval").asText()).isEqualTo("PT10M");
    assertThat(full.at("/value/0/timeseries/0/data")).hasSize(1);
    assertThat(full.at("/value/0/timeseries/0/data/0/count").asDouble()).isEqualTo(9 + 1);

    JsonNode fiveMinutes =
        metrics("metricnames=CpuUsage&timespan=" + encode(T0 + "/" + TEN) + "&interval=PT5M");
    assertThat(fiveMinutes.at("/value/0/timeseries/0/data")).hasSize(2);
    assertThat(fiveMinutes.at("/value/0/timeseries/0/data/1/timeStamp").asText())
        .isEqualTo("2026-01-01T00:05:00Z");
    assertThat(fiveMinutes.at("/value/0/timeseries/0/data/1/average").asDouble())
        .isEqualTo(APP_CPU);
  }

  @Test
  void aStoppedGroupHasNoSamples() throws Exception {
    clock.advance(Duration.ofMinutes(10));
    assertThat(arm.send("POST", group("g") + "/stop", null).statusCode()).isEqualTo(204);
    clock.advance(Duration.ofMinutes(10));
    JsonNode answer =
        metrics(
            "timespan="
                + encode(TEN + "/2026-01-01T00:20:00Z")
                + "&$filter="
                + encode("containerName eq '*'"));
    assertThat(answer.at("/value/0/name/value").asText()).isEqualTo("CpuUsage");
    assertThat(answer.at("/value/0/timeseries")).isEmpty();
    JsonNode unsplit = metrics("timespan=" + encode(TEN + "/2026-01-01T00:20:00Z"));
    for (JsonNode point : unsplit.at("/value/0/timeseries/0/data")) {
      assertThat(point.has("average")).as(point.toString()).isFalse();
    }
  }

  @Test
  void badQueriesGetAzureMonitorsErrorShape() throws Exception {
    for (String bad :
        List.of(
            "metricnames=Percentage%20CPU",
            "interval=PT2M",
            "timespan=" + encode(TEN + "/" + T0),
            "timespan=yesterday",
            "aggregation=median",
            "$filter=" + encode("zone eq '1'"),
            "$filter=" + encode("containerName = 'app'"),
            "metricnamespace=Microsoft.Compute/virtualMachines")) {
      HttpResponse<String> response = query(bad);
      assertThat(response.statusCode()).as(bad + " " + response.body()).isEqualTo(400);
      JsonNode body = SpecSchemas.MAPPER.readTree(response.body());
      assertThat(names(body)).as(bad).containsExactly("code", "message");
      assertThat(body.path("code").asText()).isEqualTo("BadRequest");
    }
    HttpResponse<String> unknown = query("metricnames=Bogus");
    assertThat(unknown.body()).contains("Valid metrics: CpuUsage,MemoryUsage");
    // ARM answers before Azure Monitor: unsupported version, missing group.
    HttpResponse<String> version =
        arm.send(
            "GET",
            group("g") + "/providers/Microsoft.Insights/metrics?api-version=2023-05-01",
            null);
    assertThat(version.statusCode()).isEqualTo(400);
    assertThat(SpecSchemas.MAPPER.readTree(version.body()).at("/error/code").asText())
        .isEqualTo("NoRegisteredProviderFound");
    HttpResponse<String> missing =
        arm.send(
            "GET",
            group("nope") + "/providers/Microsoft.Insights/metrics?api-version=2018-01-01",
            null);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(SpecSchemas.MAPPER.readTree(missing.body()).at("/error/code").asText())
        .isEqualTo("ResourceNotFound");
  }

  @Test
  void metricDefinitionsDescribeTheTwoMetrics() throws Exception {
    JsonNode definitions =
        arm.json(
            "GET",
            group("g") + "/providers/Microsoft.Insights/metricDefinitions?api-version=2018-01-01",
            null);
    List<String> metricNames = new ArrayList<>();
    for (JsonNode d : definitions.path("value")) {
      metricNames.add(d.at("/name/value").asText());
      assertThat(d.path("primaryAggregationType").asText()).isEqualTo("Average");
      assertThat(d.at("/dimensions/0/value").asText()).isEqualTo("containerName");
      assertThat(d.path("metricAvailabilities")).isNotEmpty();
    }
    assertThat(metricNames).containsExactly("CpuUsage", "MemoryUsage");
  }
}
