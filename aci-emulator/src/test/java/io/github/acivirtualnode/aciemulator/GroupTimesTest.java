package io.github.acivirtualnode.aciemulator;

import static io.github.acivirtualnode.aciemulator.ArmClient.RG;
import static io.github.acivirtualnode.aciemulator.ArmClient.SUB;
import static io.github.acivirtualnode.aciemulator.ArmClient.container;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.acivirtualnode.aciemulator.model.EmulatorTimings;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link AciEmulator#groupTimes()} on a clock the test moves by hand. */
class GroupTimesTest {
  private ManualClock clock;
  private AciEmulator emulator;
  private ArmClient arm;
  private final EmulatorTimings timings = EmulatorTimings.fast();

  @BeforeEach
  void start() {
    clock = new ManualClock();
    emulator = AciEmulator.builder().clock(clock).timings(timings).build().start();
    emulator.addResourceGroup(SUB, RG, "westeurope");
    arm = new ArmClient(emulator);
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  private GroupTimes times() {
    assertThat(emulator.groupTimes()).hasSize(1);
    return emulator.groupTimes().get(0);
  }

  @Test
  void thePutArrivalIsKeptAndRunningSinceIsWhenEveryContainerStarted() {
    Instant put = clock.instant();
    assertThat(
            arm.create("g", "[" + container("app", "nginx", null, null) + "]", null).statusCode())
        .isEqualTo(201);
    clock.advance(Duration.ofMillis(100));
    assertThat(times().putAt()).isEqualTo(put);
    assertThat(times().runningSince()).as("not Running yet").isNull();
    assertThat(times().containersRunningSince()).as("not pulled yet").isNull();
    assertThat(times().name()).isEqualTo("g");
    assertThat(times().resourceGroup()).isEqualToIgnoringCase(RG);

    clock.advance(Duration.ofSeconds(5));
    // Placed after pending + creating; the container starts after pending + pull, the later wins.
    Instant placed = put.plus(timings.pending()).plus(timings.creating());
    Instant started = put.plus(timings.pending()).plus(timings.pull());
    Instant expected = placed.isAfter(started) ? placed : started;
    assertThat(times().runningSince()).isEqualTo(expected);
    assertThat(times().containersRunningSince()).isEqualTo(started);
    assertThat(times().putAt()).as("unchanged by reads").isEqualTo(put);
  }

  @Test
  void containersRunBeforeTheGroupIsPlacedWithRealisticTimings() {
    emulator.close();
    EmulatorTimings realistic = EmulatorTimings.realistic();
    emulator = AciEmulator.builder().clock(clock).timings(realistic).build().start();
    emulator.addResourceGroup(SUB, RG, "westeurope");
    arm = new ArmClient(emulator);
    Instant put = clock.instant();
    arm.create("g", "[" + container("app", "nginx", null, null) + "]", null);
    clock.advance(realistic.pending().plus(realistic.pull()).plusSeconds(1));
    assertThat(times().containersRunningSince())
        .isEqualTo(put.plus(realistic.pending()).plus(realistic.pull()));
    assertThat(times().runningSince()).as("not placed yet").isNull();
    clock.advance(realistic.creating());
    assertThat(times().runningSince())
        .isEqualTo(put.plus(realistic.pending()).plus(realistic.creating()));
  }

  @Test
  void aReplacingPutMovesThePutArrival() {
    arm.create("g", "[" + container("app", "nginx", null, null) + "]", null);
    clock.advance(Duration.ofSeconds(10));
    assertThat(times().runningSince()).isNotNull();
    Instant second = clock.instant();
    assertThat(
            arm.create("g", "[" + container("app", "nginx:1.27", null, null) + "]", null)
                .statusCode())
        .isEqualTo(200);
    assertThat(times().putAt()).isEqualTo(second);
    assertThat(times().runningSince()).as("provisioning again").isNull();
    assertThat(times().containersRunningSince()).as("pulling again").isNull();
  }
}
