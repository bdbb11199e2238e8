package io.github.acivirtualnode.operator.reconciler;

import io.github.acivirtualnode.api.v1alpha1.VirtualNode;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.util.Set;

/**
 * Lets node agents ask for a reconcile when what they observe changes (backend health, counts), so
 * that the status aggregator publishes it without polling.
 */
final class AgentEventSource extends AbstractEventSource<Void, VirtualNode> {

  AgentEventSource() {
    super(Void.class, "node-agents");
  }

  void reconcile(String virtualNodeName) {
    if (isRunning()) {
      getEventHandler().handleEvent(new Event(new ResourceID(virtualNodeName)));
    }
  }

  @Override
  public Set<Void> getSecondaryResources(VirtualNode primary) {
    return Set.of();
  }
}
