package io.github.acivirtualnode.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Repeated events aggregate as Kubernetes' own recorder does (fabric8's CRUD mock server). */
@EnableKubernetesMockClient(crud = true)
class EventRecorderTest {
  static KubernetesClient client;

  private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");

  private static final io.fabric8.kubernetes.api.model.Node NODE =
      new NodeBuilder().withNewMetadata().withName("vn-1").withUid("uid-1").endMetadata().build();

  @BeforeEach
  void noEventsYet() {
    client.v1().events().inNamespace("default").delete();
  }

  @Test
  void aRepeatWithinTenMinutesCountsOnTheFirstEvent() {
    MovableClock clock = new MovableClock(T0);
    EventRecorder events = new EventRecorder(client, clock);

    events.warning(NODE, "ContainerGroupCleanupDelayed", "retried: ACI answered 429");
    clock.now = T0.plusSeconds(10);
    events.warning(NODE, "ContainerGroupCleanupDelayed", "retried: ACI answered 429");
    clock.now = T0.plusSeconds(20);
    events.warning(NODE, "ContainerGroupCleanupDelayed", "retried: ACI answered 429");

    List<Event> recorded = client.v1().events().inNamespace("default").list().getItems();
    assertThat(recorded).hasSize(1);
    assertThat(recorded.get(0).getCount()).isEqualTo(3);
    assertThat(recorded.get(0).getFirstTimestamp()).isEqualTo("2026-12-01T12:00:00Z");
    assertThat(recorded.get(0).getLastTimestamp()).isEqualTo("2026-12-01T12:00:20Z");
  }

  @Test
  void anotherReasonOrMessageOrALongPauseIsANewEvent() {
    MovableClock clock = new MovableClock(T0);
    EventRecorder events = new EventRecorder(client, clock);

    events.normal(NODE, "NodeReady", "Node vn-1 is Ready");
    events.warning(NODE, "NodeNotReady", "Node vn-1 is NotReady");
    events.warning(NODE, "NodeNotReady", "Node vn-1 is NotReady: another cause");
    clock.now = T0.plus(Duration.ofMinutes(11));
    events.normal(NODE, "NodeReady", "Node vn-1 is Ready");

    assertThat(client.v1().events().inNamespace("default").list().getItems()).hasSize(4);
  }

  @Test
  void anEventDeletedMeanwhileIsCreatedAgain() {
    MovableClock clock = new MovableClock(T0);
    EventRecorder events = new EventRecorder(client, clock);

    events.normal(NODE, "NodeRegistered", "Node vn-1 registered");
    client.v1().events().inNamespace("default").delete();
    events.normal(NODE, "NodeRegistered", "Node vn-1 registered");

    List<Event> recorded = client.v1().events().inNamespace("default").list().getItems();
    assertThat(recorded).hasSize(1);
    assertThat(recorded.get(0).getCount()).isEqualTo(1);
  }

  private static final class MovableClock extends Clock {
    Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
