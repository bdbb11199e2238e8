package io.github.acivirtualnode.api.v1alpha1;

import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

public class VirtualNodeStatus {
  private Long observedGeneration;
  private String nodeName;
  private List<Condition> conditions = new ArrayList<>();
  private Integer pods;
  private Integer containerGroups;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public String getNodeName() {
    return nodeName;
  }

  public void setNodeName(String nodeName) {
    this.nodeName = nodeName;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions == null ? new ArrayList<>() : new ArrayList<>(conditions);
  }

  public Integer getPods() {
    return pods;
  }

  public void setPods(Integer pods) {
    this.pods = pods;
  }

  public Integer getContainerGroups() {
    return containerGroups;
  }

  public void setContainerGroups(Integer containerGroups) {
    this.containerGroups = containerGroups;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VirtualNodeStatus s
        && Objects.equals(observedGeneration, s.observedGeneration)
        && Objects.equals(nodeName, s.nodeName)
        && Objects.equals(conditions, s.conditions)
        && Objects.equals(pods, s.pods)
        && Objects.equals(containerGroups, s.containerGroups);
  }

  @Override
  public int hashCode() {
    return Objects.hash(observedGeneration, nodeName, conditions, pods, containerGroups);
  }
}
