package io.github.acivirtualnode.aciemulator.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the service withholds from a container group or container group profile answer: every
 * property the spec marks x-ms-secret, and what the examples show withheld beyond those marks
 * (secret volume contents, storage account keys).
 */
public final class ContainerGroupSecrets {
  private ContainerGroupSecrets() {}

  /** Removes the secrets from {@code resource} (a group or profile answer) in place. */
  public static void strip(ObjectNode resource) {
    for (JsonNode volume : resource.path("properties").path("volumes")) {
      ObjectNode v = (ObjectNode) volume;
      if (v.has("secret")) {
        v.set("secret", JsonNodeFactory.instance.objectNode());
      }
      if (v.path("azureFile").isObject()) {
        ((ObjectNode) v.get("azureFile")).remove("storageAccountKey");
      }
    }
    SecretProperties.containerGroup().strip(resource);
  }
}
