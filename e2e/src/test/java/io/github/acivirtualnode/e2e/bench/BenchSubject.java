package io.github.acivirtualnode.e2e.bench;

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

    @Override
    void close();
  }
}
