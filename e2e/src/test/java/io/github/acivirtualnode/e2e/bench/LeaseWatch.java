package io.github.acivirtualnode.e2e.bench;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Records every renewTime of the Leases of some Nodes in kube-node-lease, through an informer. */
final class LeaseWatch implements AutoCloseable {
  private final Set<String> nodes;
  private final Map<String, List<Instant>> renewals = new ConcurrentHashMap<>();
  private final SharedIndexInformer<Lease> informer;

  LeaseWatch(KubernetesClient client, Set<String> nodes) {
    this.nodes = Set.copyOf(nodes);
    informer =
        client
            .leases()
            .inNamespace("kube-node-lease")
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Lease lease) {
                    seen(lease);
                  }

                  @Override
                  public void onUpdate(Lease before, Lease after) {
                    seen(after);
                  }

                  @Override
                  public void onDelete(Lease lease, boolean finalStateUnknown) {}
                });
  }

  private void seen(Lease lease) {
    String name = lease.getMetadata().getName();
    if (!nodes.contains(name)
        || lease.getSpec() == null
        || lease.getSpec().getRenewTime() == null) {
      return;
    }
    List<Instant> times = renewals.computeIfAbsent(name, n -> new ArrayList<>());
    synchronized (times) {
      times.add(lease.getSpec().getRenewTime().toInstant());
    }
  }

  /** Every renewTime seen per Lease (duplicates possible: LeaseLags sorts and dedups). */
  Map<String, List<Instant>> renewals() {
    Map<String, List<Instant>> out = new java.util.HashMap<>();
    renewals.forEach(
        (name, times) -> {
          synchronized (times) {
            out.put(name, List.copyOf(times));
          }
        });
    return out;
  }

  @Override
  public void close() {
    informer.close();
  }
}
