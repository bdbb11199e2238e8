package io.github.acivirtualnode.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A Node taint; its own type so that the schema can validate key, value and effect. */
public class NodeTaint {
  @Required
  @Pattern(
      "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
          + "[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")
  @Size(max = 317)
  private String key;

  @Pattern("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")
  @Size(max = 63)
  private String value;

  @Required
  @JsonPropertyDescription("NoSchedule, PreferNoSchedule or NoExecute.")
  private TaintEffect effect;

  public NodeTaint() {}

  public NodeTaint(String key, String value, TaintEffect effect) {
    this.key = key;
    this.value = value;
    this.effect = effect;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  public String getValue() {
    return value;
  }

  public void setValue(String value) {
    this.value = value;
  }

  public TaintEffect getEffect() {
    return effect;
  }

  public void setEffect(TaintEffect effect) {
    this.effect = effect;
  }

  public enum TaintEffect {
    NoSchedule,
    PreferNoSchedule,
    NoExecute
  }
}
