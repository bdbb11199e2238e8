package io.github.acivirtualnode.e2e.bench;

import io.github.acivirtualnode.operator.node.ContainerGroupTags;
import io.github.acivirtualnode.operator.translation.GroupNaming;
import java.util.List;

/**
 * What the benchmark measures: a virtual-node implementation run against the scenario's emulator
 * and the shared control plane. {@link OperatorSubject} is this operator; the reference
 * implementation (virtual-kubelet/azure-aci, one process per node) is meant to be another subject,
 * whose run fills the report's peer column.
 */
public interface BenchSubject {
  /** The report column's heading. */
  String name();

  /** How it runs (in-JVM or a process, which version), for the report. */
  String description();

  /** Starts it for one scenario (its own emulator and subscription). */
  Started start(BenchContext context);

  /** A started subject; closing it removes its nodes and stops it. */
  interface Started extends AutoCloseable {
    /** Adds that many virtual nodes and answers their Node names (not necessarily Ready yet). */
    List<String> addNodes(String prefix, int count);

    /** How the footprint figures relate to the subject (the whole JVM's, its process's). */
    String footprintNote();

    /**
     * The subject's own processes, whose RSS and CPU time are its footprint; empty (the default)
     * for a subject in the benchmark's JVM, whose footprint is then the JVM's.
     */
    default List<Long> processIds() {
      return List.of();
    }

    /** Whether the subject runs in processes of its own (then {@link #processIds} counts). */
    default boolean ownProcesses() {
      return false;
    }

    /** The container-group tag naming the Node a group belongs to. */
    default String nodeTag() {
      return ContainerGroupTags.NODE;
    }

    /** The container-group tag carrying the pod's UID. */
    default String podUidTag() {
      return GroupNaming.POD_UID;
    }

    @Override
    void close();
  }
}
