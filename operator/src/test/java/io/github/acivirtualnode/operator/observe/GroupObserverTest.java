package io.github.acivirtualnode.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import io.github.acivirtualnode.operator.aci.CountingBackend;
import io.github.acivirtualnode.operator.node.TestGroups;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GroupObserverTest {
  private static final String CLUSTER = "cluster-1";
  private static final String NODE = "vn-1";

  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  @Test
  void aGroupItsNodeForgetsWhileARoundReadsItDoesNotEndTheRound() {
    List<String> observed = new CopyOnWriteArrayList<>();
    List<String> gone = new CopyOnWriteArrayList<>();
    GroupObserver[] observer = new GroupObserver[1];
    CountingBackend backend =
        new CountingBackend() {
          @Override
          public Optional<ContainerGroupInner> get(String name) {
            if (name.equals("a")) {
              // The node deletes the group meanwhile: ARM has it gone, the schedule forgot it.
              observer[0].schedule().forget("a");
              return Optional.empty();
            }
            return Optional.of(group(name));
          }
        };
    backend.answering(List.of(group("a"), group("b")));
    observer[0] =
        new GroupObserver(
            new ObserverKey("https://arm.example", "sub", "rg"),
            executor,
            Clock.systemUTC(),
            // Long intervals: only the test's own tick runs.
            Duration.ofHours(1),
            Duration.ofHours(1),
            Duration.ofMinutes(5),
            Duration.ofMinutes(5),
            CLUSTER,
            new SharedGroupLists(Clock.systemUTC()));
    GroupListener listener =
        new GroupListener() {
          @Override
          public void listed(List<ContainerGroupInner> groups, Instant startedAt) {}

          @Override
          public void observed(ContainerGroupInner group) {
            observed.add(group.name());
          }

          @Override
          public void gone(String groupName) {
            gone.add(groupName);
          }
        };
    // The executor's own first tick waits behind this for the whole test (shutdownNow ends it).
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    executor.execute(
        () -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    observer[0].add(new GroupObserver.Subscriber(NODE, () -> backend, listener));

    observer[0].tick();

    assertThat(observed).as("the round went on past the forgotten group").contains("b");
    assertThat(gone).as("nobody is told about a group its node forgot").isEmpty();
  }

  private static ContainerGroupInner group(String name) {
    return TestGroups.named(name, CLUSTER, NODE);
  }
}
