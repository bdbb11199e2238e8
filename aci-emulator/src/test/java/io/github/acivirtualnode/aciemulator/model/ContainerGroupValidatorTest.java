package io.github.acivirtualnode.aciemulator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerGroupValidatorTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final ContainerGroupValidator validator =
      new ContainerGroupValidator(ContainerGroupValidator.Limits.defaults());

  private static ObjectNode group() {
    ObjectNode body = MAPPER.createObjectNode().put("location", "westeurope");
    ObjectNode props = body.putObject("properties").put("osType", "Linux");
    props.putArray("containers").add(container("app", "nginx", 1, 1.5));
    return body;
  }

  private static ObjectNode container(String name, String image, double cpu, double memory) {
    ObjectNode container = MAPPER.createObjectNode().put("name", name);
    ObjectNode props = container.putObject("properties").put("image", image);
    props.putObject("resources").putObject("requests").put("cpu", cpu).put("memoryInGB", memory);
    return container;
  }

  private void assertCode(String name, ObjectNode body, String code) {
    assertThatThrownBy(() -> validator.validate(name, body))
        .isInstanceOfSatisfying(
            ArmException.class,
            e -> {
              assertThat(e.code()).isEqualTo(code);
              assertThat(e.status()).isEqualTo(400);
            });
  }

  @Test
  void acceptsAValidGroup() {
    assertThatCode(() -> validator.validate("my-group-1", group())).doesNotThrowAnyException();
  }

  @Test
  void privateAddressesNeedASubnetAndVnetGroupsHaveNoPublicOne() {
    String subnet =
        "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/"
            + "Microsoft.Network/virtualNetworks/vnet/subnets/aci";
    ObjectNode inVnet = group();
    ((ObjectNode) inVnet.get("properties")).putArray("subnetIds").addObject().put("id", subnet);
    ((ObjectNode) inVnet.get("properties"))
        .putObject("ipAddress")
        .put("type", "Private")
        .putArray("ports")
        .addObject()
        .put("port", 80);
    assertThatCode(() -> validator.validate("in-vnet", inVnet)).doesNotThrowAnyException();

    ObjectNode publicInVnet = inVnet.deepCopy();
    ((ObjectNode) publicInVnet.at("/properties/ipAddress")).put("type", "Public");
    assertCode("public-in-vnet", publicInVnet, "InvalidIpAddressType");

    ObjectNode privateOutside = inVnet.deepCopy();
    ((ObjectNode) privateOutside.get("properties")).remove("subnetIds");
    assertCode("private-outside", privateOutside, "InvalidIpAddressType");

    ObjectNode badSubnet = inVnet.deepCopy();
    ((ObjectNode) badSubnet.at("/properties/subnetIds/0")).put("id", "/subscriptions/x/vnet");
    assertCode("bad-subnet", badSubnet, "InvalidSubnetId");
  }

  @Test
  void windowsGroupsHoldOneContainerAndNoVolumes() {
    ObjectNode windows = group();
    ((ObjectNode) windows.get("properties")).put("osType", "Windows");
    assertThatCode(() -> validator.validate("win", windows)).doesNotThrowAnyException();

    ObjectNode two = windows.deepCopy();
    ((ArrayNode) two.at("/properties/containers")).add(container("side", "nginx", 1, 1));
    assertCode("win-two", two, "MultipleContainersNotSupportedForWindows");

    ObjectNode withVolume = windows.deepCopy();
    ((ObjectNode) withVolume.get("properties"))
        .putArray("volumes")
        .addObject()
        .put("name", "scratch")
        .putObject("emptyDir");
    assertCode("win-volume", withVolume, "VolumesNotSupportedForWindows");

    // The same group on Linux is fine.
    ObjectNode linux = two.deepCopy();
    ((ObjectNode) linux.get("properties")).put("osType", "Linux");
    assertThatCode(() -> validator.validate("linux-two", linux)).doesNotThrowAnyException();
  }

  @Test
  void rejectsInvalidNames() {
    assertCode("My_Group", group(), "InvalidContainerGroupName");
    assertCode("-x", group(), "InvalidContainerGroupName");
    assertCode("a--b", group(), "InvalidContainerGroupName");
    assertCode("a".repeat(64), group(), "InvalidContainerGroupName");
    ObjectNode badContainer = group();
    ((ObjectNode) badContainer.at("/properties/containers/0")).put("name", "App");
    assertCode("ok", badContainer, "InvalidContainerName");
    ObjectNode badVolume = group();
    ((ObjectNode) badVolume.get("properties"))
        .putArray("volumes")
        .addObject()
        .put("name", "Vol_1")
        .putObject("emptyDir");
    assertCode("ok", badVolume, "InvalidVolumeName");
    ObjectNode badDns = group();
    ((ObjectNode) badDns.get("properties"))
        .putObject("ipAddress")
        .put("type", "Public")
        .put("dnsNameLabel", "ab");
    assertCode("ok", badDns, "InvalidDnsNameLabel");
  }

  @Test
  void rejectsMissingFields() {
    ObjectNode noLocation = group();
    noLocation.remove("location");
    assertCode("ok", noLocation, "LocationRequired");
    ObjectNode noImage = group();
    ((ObjectNode) noImage.at("/properties/containers/0/properties")).remove("image");
    assertCode("ok", noImage, "InvalidRequestContent");
    ObjectNode noOs = group();
    ((ObjectNode) noOs.get("properties")).remove("osType");
    assertCode("ok", noOs, "InvalidRequestContent");
  }

  @Test
  void volumesNeedTheRequiredPropertiesOfTheirKind() {
    ObjectNode allKinds = group();
    ArrayNode volumes = ((ObjectNode) allKinds.get("properties")).putArray("volumes");
    volumes.addObject().put("name", "scratch").putObject("emptyDir");
    volumes.addObject().put("name", "files").putObject("secret").put("a.txt", "aGk=");
    volumes
        .addObject()
        .put("name", "src")
        .putObject("gitRepo")
        .put("repository", "https://example.invalid/r.git")
        .put("directory", ".")
        .put("revision", "abc");
    volumes
        .addObject()
        .put("name", "share")
        .putObject("azureFile")
        .put("shareName", "s")
        .put("storageAccountName", "acct");
    assertThatCode(() -> validator.validate("ok", allKinds)).doesNotThrowAnyException();

    // Each property the spec requires of these kinds, left out, is refused naming it.
    JsonNode definitions = spec().path("definitions");
    Map<String, String> kinds = Map.of("gitRepo", "GitRepoVolume", "azureFile", "AzureFileVolume");
    kinds.forEach(
        (kind, definition) -> {
          assertThat(definitions.path(definition).path("required")).isNotEmpty();
          for (JsonNode required : definitions.path(definition).path("required")) {
            ObjectNode body = allKinds.deepCopy();
            for (JsonNode volume : body.at("/properties/volumes")) {
              if (volume.has(kind)) {
                ((ObjectNode) volume.get(kind)).remove(required.asText());
              }
            }
            assertCode("ok", body, "InvalidRequestContent");
            assertThatThrownBy(() -> validator.validate("ok", body))
                .as(kind + "." + required.asText())
                .hasMessageContaining("'" + required.asText() + "'");
          }
        });
  }

  private static JsonNode spec() {
    try (InputStream in =
        ContainerGroupValidatorTest.class
            .getClassLoader()
            .getResourceAsStream("aci-reference/spec-2023-05-01/containerInstance.json")) {
      assertThat(in).as("the ACI spec on the test classpath").isNotNull();
      return MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void enforcesCountLimits() {
    ObjectNode many = group();
    ArrayNode containers = (ArrayNode) many.at("/properties/containers");
    for (int i = 0; i < 60; i++) {
      containers.add(container("c" + i, "nginx", 0.01, 0.01));
    }
    assertCode("ok", many, "ContainerGroupContainersExceededLimit");
    ObjectNode volumes = group();
    ArrayNode list = ((ObjectNode) volumes.get("properties")).putArray("volumes");
    for (int i = 0; i < 21; i++) {
      list.addObject().put("name", "v" + i).putObject("emptyDir");
    }
    assertCode("ok", volumes, "ContainerGroupVolumesExceededLimit");
    ObjectNode ports = group();
    ArrayNode portList =
        ((ObjectNode) ports.get("properties"))
            .putObject("ipAddress")
            .put("type", "Public")
            .putArray("ports");
    for (int i = 0; i < 6; i++) {
      portList.addObject().put("port", 80 + i);
    }
    assertCode("ok", ports, "PublicIpPortsExceededLimit");
  }

  @Test
  void enforcesResourceLimits() {
    ObjectNode big = group();
    ((ArrayNode) big.at("/properties/containers")).add(container("second", "nginx", 4, 1));
    assertCode("ok", big, "ResourceRequestsNotSupported");
    ObjectNode limits = group();
    ((ObjectNode) limits.at("/properties/containers/0/properties/resources"))
        .putObject("limits")
        .put("cpu", 2);
    assertCode("ok", limits, "ContainerLimitGreaterThanContainerGroupTotalRequest");
  }

  @Test
  void privateRegistryNeedsCredentials() {
    ObjectNode privateImage = group();
    ((ObjectNode) privateImage.at("/properties/containers/0/properties"))
        .put("image", "myregistry.azurecr.io/app:1");
    assertCode("ok", privateImage, "InaccessibleImage");
    ((ObjectNode) privateImage.get("properties"))
        .putArray("imageRegistryCredentials")
        .addObject()
        .put("server", "myregistry.azurecr.io")
        .put("username", "u")
        .put("password", "p");
    assertThatCode(() -> validator.validate("ok", privateImage)).doesNotThrowAnyException();
    assertThat(ContainerGroupValidator.registryOf("library/nginx")).isEqualTo("docker.io");
    assertThat(ContainerGroupValidator.registryOf("localhost:5000/x")).isEqualTo("localhost:5000");
  }
}
