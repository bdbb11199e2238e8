package io.github.acivirtualnode.operator.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.acivirtualnode.operator.config.PortRange;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class NodePortsTest {
  private final NodePorts ports = new NodePorts(new PortRange(10251, 10254));

  @Test
  void aNewNodeTriesTheRangeInOrder() {
    assertThat(ports.candidates(null)).containsExactly(10251, 10252, 10253, 10254);
  }

  @Test
  void aPortTheNodeAdvertisesAlreadyIsTriedFirstSoARestartDoesNotMoveIt() {
    assertThat(ports.candidates(10253)).containsExactly(10253, 10251, 10252, 10254);
  }

  @Test
  void anAdvertisedPortOutsideTheRangeOrTakenIsNotPreferred() {
    ports.assign("vn-a", "node-a", 10253);

    assertThat(ports.candidates(10253)).containsExactly(10251, 10252, 10254);
    assertThat(ports.candidates(10250)).containsExactly(10251, 10252, 10254);
  }

  @Test
  void assignedPortsAreNotOfferedAndNameTheirNode() {
    ports.assign("vn-a", "node-a", 10251);
    ports.assign("vn-b", "node-b", 10252);

    assertThat(ports.candidates(null)).containsExactly(10253, 10254);
    assertThat(ports.portOf("vn-a")).hasValue(10251);
    assertThat(ports.at(10252)).hasValue(new NodePorts.Assignment("vn-b", "node-b", 10252));
    assertThat(ports.at(10253)).isEmpty();
    assertThat(ports.all()).extracting(NodePorts.Assignment::port).containsExactly(10251, 10252);
  }

  @Test
  void anExhaustedRangeOffersNothing() {
    for (int p = 10251; p <= 10254; p++) {
      ports.assign("vn-" + p, "node-" + p, p);
    }

    assertThat(ports.candidates(null)).isEmpty();
    assertThat(ports.candidates(10251)).isEmpty();
  }

  @Test
  void aReleasedPortIsFreeAgain() {
    ports.assign("vn-a", "node-a", 10251);

    assertThat(ports.release("vn-a")).hasValue(10251);
    assertThat(ports.release("vn-a")).isEqualTo(OptionalInt.empty());
    assertThat(ports.at(10251)).isEmpty();
    assertThat(ports.portOf("vn-a")).isEmpty();
    assertThat(ports.candidates(null)).startsWith(10251);
  }

  @Test
  void aRenamedNodeKeepsItsPortUnderItsNewName() {
    ports.assign("vn-a", "node-a", 10251);

    ports.rename("vn-a", "node-renamed");

    assertThat(ports.at(10251)).hasValue(new NodePorts.Assignment("vn-a", "node-renamed", 10251));
    assertThat(ports.portOf("vn-a")).hasValue(10251);
  }

  @Test
  void anyFreePortLeavesTheChoiceToTheSystem() {
    NodePorts any = new NodePorts(PortRange.ANY);

    assertThat(any.candidates(null)).containsExactly(0);
    assertThat(any.candidates(40000)).containsExactly(0);
  }

  @Test
  void aVirtualNodeHasOnePortAndAPortOneNode() {
    ports.assign("vn-a", "node-a", 10251);

    assertThatThrownBy(() -> ports.assign("vn-a", "node-a", 10252))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> ports.assign("vn-b", "node-b", 10251))
        .isInstanceOf(IllegalStateException.class);
    assertThat(ports.all()).hasSize(1);
  }

  @Test
  void rangesAreParsedAndBadOnesRefusedWithTheSettingNamed() {
    assertThat(PortRange.parse("X", "10251-10500")).isEqualTo(new PortRange(10251, 10500));
    assertThat(PortRange.parse("X", " 20000 - 20001 ")).isEqualTo(new PortRange(20000, 20001));
    assertThat(PortRange.parse("X", "20000")).isEqualTo(new PortRange(20000, 20000));
    assertThat(PortRange.parse("X", "0")).isEqualTo(PortRange.ANY);
    for (String bad : List.of("a-b", "10500-10251", "0-10", "10-70000", "-", "1,2")) {
      assertThatThrownBy(() -> PortRange.parse("AVN_KUBELET_NODE_PORTS", bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("AVN_KUBELET_NODE_PORTS");
    }
    assertThat(new PortRange(1, 2).contains(2)).isTrue();
    assertThat(new PortRange(1, 2).contains(3)).isFalse();
    assertThat(PortRange.ANY.contains(0)).isFalse();
    assertThat(new PortRange(10251, 10500)).hasToString("10251-10500");
  }
}
