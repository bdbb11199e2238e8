package io.github.acivirtualnode.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.MDC;

/** The operator's logback.xml, as shipped: both formats carry the node and pod of a line. */
class LoggingConfigurationTest {

  @Test
  void textLinesNameTheirNodeAndPodAndOnlyWhenThereIsOne() throws Exception {
    String out =
        logWith(
            Map.of(),
            log -> {
              LogContext.inNode(
                  "aci-westeurope",
                  () -> {
                    LogContext.inPod(
                        "default",
                        "web-1",
                        () -> log.info("group {} created", "default-web-1-abc"));
                    log.info("lease renewed");
                  });
              log.info("no context");
            });
    String[] lines = out.split("\n");
    assertThat(lines).hasSize(3);
    assertThat(lines[0])
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\S* INFO .*")
        .endsWith(" node=aci-westeurope pod=default/web-1 - group default-web-1-abc created");
    assertThat(lines[1]).endsWith(" node=aci-westeurope - lease renewed").doesNotContain("pod=");
    assertThat(lines[2]).endsWith("LoggingConfigurationTest - no context");
  }

  @Test
  void jsonIsOneObjectALineWithTheContextAndTheFormattedMessage() throws Exception {
    String out =
        logWith(
            Map.of("AVN_LOG_FORMAT", "json"),
            log -> {
              LogContext.inNode(
                  "aci-westeurope",
                  () ->
                      LogContext.inPod(
                          "default",
                          "web-1",
                          () -> log.warn("create of {} throttled", "default-web-1-abc")));
            });
    String[] lines = out.split("\n");
    assertThat(lines).hasSize(1);
    JsonNode line = new ObjectMapper().readTree(lines[0]);
    assertThat(line.path("level").asText()).isEqualTo("WARN");
    assertThat(line.path("loggerName").asText())
        .isEqualTo(LoggingConfigurationTest.class.getName());
    assertThat(line.path("formattedMessage").asText())
        .isEqualTo("create of default-web-1-abc throttled");
    assertThat(line.path("mdc").path("node").asText()).isEqualTo("aci-westeurope");
    assertThat(line.path("mdc").path("pod").asText()).isEqualTo("default/web-1");
    assertThat(line.path("timestamp").asLong()).isPositive();
  }

  @Test
  void theLevelOfTheOperatorsLoggersIsSettable() throws Exception {
    String out =
        logWith(
            Map.of("AVN_LOG_LEVEL", "WARN"),
            log -> {
              log.info("not shown");
              log.warn("shown");
            });
    assertThat(out).doesNotContain("not shown").contains("shown");
  }

  @Test
  void aContextRestoresWhatWasThereBeforeEvenWhenItsBodyThrows() {
    LogContext.inNode(
        "a",
        () -> {
          assertThatThrownBy(
                  () ->
                      LogContext.inNode(
                          "b",
                          () -> {
                            assertThat(MDC.get(LogContext.NODE)).isEqualTo("b");
                            throw new IllegalStateException("boom");
                          }))
              .hasMessage("boom");
          assertThat(MDC.get(LogContext.NODE)).isEqualTo("a");
        });
    assertThat(MDC.get(LogContext.NODE)).isNull();
  }

  interface Body {
    void log(Logger log);
  }

  /** Runs the shipped logback.xml in a context of its own, the variables given as properties. */
  private static String logWith(Map<String, String> variables, Body body) throws JoranException {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(MDC.getMDCAdapter()); // the one LogContext writes to
    variables.forEach(context::putProperty);
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      configurator.doConfigure(LoggingConfigurationTest.class.getResource("/logback.xml"));
      body.log(context.getLogger(LoggingConfigurationTest.class));
    } finally {
      System.setErr(original);
      context.stop();
    }
    assertThat(context.getStatusManager().getCopyOfStatusList())
        .as("logback.xml configures without warnings")
        .allSatisfy(s -> assertThat(s.getLevel()).isLessThan(Status.WARN));
    return captured.toString(StandardCharsets.UTF_8);
  }
}
