package io.github.acivirtualnode.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import io.github.acivirtualnode.operator.aci.AciException;
import io.github.acivirtualnode.operator.aci.CountingBackend;
import io.github.acivirtualnode.operator.aci.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SharedGroupListsTest {
  private static final Duration AGE = Duration.ofSeconds(15);
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T12:00:00Z"));
  private final SharedGroupLists lists = new SharedGroupLists(clock);

  @Test
  void aListYoungerThanTheAgeAskedForIsReusedWithoutAnArmCall() {
    CountingBackend aci = new CountingBackend().answering(List.of(group("a")));
    SharedGroupLists.Outcome first = lists.list(aci, AGE);
    clock.advance(AGE);
    SharedGroupLists.Outcome again = lists.list(aci, AGE);

    assertThat(again).isSameAs(first);
    assertThat(again.groupsOrThrow()).extracting(g -> g.tags().get("name")).containsExactly("a");
    assertThat(aci.lists).hasValue(1);
  }

  @Test
  void anOlderListIsReplacedByANewOneStartedNow() {
    CountingBackend aci = new CountingBackend().answering(List.of(group("a")));
    lists.list(aci, AGE);
    clock.advance(AGE.plusMillis(1));
    aci.answering(List.of(group("a"), group("b")));
    SharedGroupLists.Outcome fresh = lists.list(aci, AGE);

    assertThat(fresh.startedAt()).isEqualTo(clock.instant());
    assertThat(fresh.groups()).hasSize(2);
    assertThat(aci.lists).hasValue(2);
  }

  @Test
  void aShorterAgeAsksAgainWhereALongerOneWouldReuse() {
    CountingBackend aci = new CountingBackend();
    lists.list(aci, AGE);
    clock.advance(Duration.ofSeconds(5));
    lists.list(aci, Duration.ofSeconds(2));
    lists.list(aci, AGE);

    assertThat(aci.lists).hasValue(2);
  }

  @Test
  void aFailedListIsAnOutcomeTooAndThrowsItsFailureOnlyWhenTheGroupsAreAskedFor() {
    AciException throttled =
        new AciException(
            AciException.Kind.THROTTLED,
            "TooManyRequests",
            429,
            "slow down",
            Duration.ofSeconds(5),
            null);
    CountingBackend aci = new CountingBackend().failing(throttled);
    SharedGroupLists.Outcome outcome = lists.list(aci, AGE);

    assertThat(outcome.failure()).isSameAs(throttled);
    assertThat(outcome.groups()).isEmpty();
    assertThatThrownBy(outcome::groupsOrThrow).isSameAs(throttled);
    assertThat(lists.list(aci, AGE)).as("not retried within the age").isSameAs(outcome);
    assertThat(aci.lists).hasValue(1);
  }

  @Test
  void listsWithOtherCredentialsAreNeverShared() {
    CountingBackend one = new CountingBackend();
    CountingBackend other = new CountingBackend();
    lists.list(one, AGE);
    lists.list(other, AGE);

    assertThat(one.lists).hasValue(1);
    assertThat(other.lists).hasValue(1);
  }

  @Test
  void twoCallersAtOnceCostOneList() throws Exception {
    CountDownLatch listing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CountingBackend slow =
        new CountingBackend() {
          @Override
          public List<ContainerGroupInner> list() {
            listing.countDown();
            try {
              release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return super.list();
          }
        };
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      Future<SharedGroupLists.Outcome> first = threads.submit(() -> lists.list(slow, AGE));
      assertThat(listing.await(10, TimeUnit.SECONDS)).isTrue();
      Future<SharedGroupLists.Outcome> second = threads.submit(() -> lists.list(slow, AGE));
      release.countDown();

      assertThat(second.get(10, TimeUnit.SECONDS)).isSameAs(first.get(10, TimeUnit.SECONDS));
      assertThat(slow.lists).hasValue(1);
    } finally {
      threads.shutdownNow();
    }
  }

  /** Groups told apart by a tag: the SDK's model has no setter for the name. */
  private static ContainerGroupInner group(String name) {
    return new ContainerGroupInner().withTags(Map.of("name", name));
  }
}
