package io.github.acivirtualnode.aciemulator.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A container group as seen at one moment: the provisioning state, every container's simulated
 * status, and the JSON the service answers with (secrets removed).
 */
public final class ContainerGroupView {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** The name of the group event an eviction of a Spot group adds (the emulator's own). */
  public static final String EVICTED_EVENT = "SpotContainerGroupEvicted";

  private final ContainerGroupRecord record;
  private final ObjectNode spec;
  private final Instant now;
  private final EmulatorTimings timings;
  private final Map<String, ContainerStatus> initStatuses = new LinkedHashMap<>();
  private final Map<String, ContainerStatus> statuses = new LinkedHashMap<>();
  private final boolean initFailed;

  public ContainerGroupView(ContainerGroupRecord record, Instant now, EmulatorTimings timings) {
    this.record = record;
    this.spec = record.spec();
    this.now = now;
    this.timings = timings;
    String policy = restartPolicy();
    Instant begin = record.runBegin();
    Instant stoppedAt = record.stoppedAt();
    boolean failed = false;
    Instant never = Instant.MAX.minusSeconds(86400L * 365 * 1000);
    // Init containers run one after the other; app containers begin when the last succeeded.
    for (JsonNode container : spec.path("properties").path("initContainers")) {
      String name = container.path("name").asText();
      ContainerStatus status =
          ContainerSimulation.simulate(
              image(container),
              behavior(container, true),
              "Never",
              timings.pull(),
              timings.restartBackoff(),
              begin,
              now,
              stoppedAt,
              record.kills(name));
      initStatuses.put(name, status);
      if (status.succeeded() && !status.runs().isEmpty()) {
        begin = status.runs().get(status.runs().size() - 1).end();
      } else {
        failed |= status.finished() || status.pullFailed();
        begin = never;
      }
    }
    this.initFailed = failed;
    for (JsonNode container : spec.path("properties").path("containers")) {
      String name = container.path("name").asText();
      statuses.put(
          name,
          ContainerSimulation.simulate(
              image(container),
              behavior(container, false),
              policy,
              timings.pull(),
              timings.restartBackoff(),
              begin,
              now,
              stoppedAt,
              record.kills(name)));
    }
  }

  public ContainerGroupRecord record() {
    return record;
  }

  public String restartPolicy() {
    return spec.path("properties").path("restartPolicy").asText("Always");
  }

  public Map<String, ContainerStatus> containerStatuses() {
    return statuses;
  }

  public ContainerStatus status(String container) {
    ContainerStatus status = statuses.get(container);
    return status != null ? status : initStatuses.get(container);
  }

  /**
   * As the recorded sessions show: Pending after a PUT or a start (Updating after a restart) until
   * the group is placed (at least {@code pending + creating}) and every container has started (or
   * already ended), then Succeeded; Failed when an image cannot be pulled or an init container
   * failed. There is no Creating: container readiness (Waiting, Running, events) is reported in the
   * containers' instance views, not in the provisioning state.
   */
  public String provisioningState() {
    String transitional = record.transitionalState();
    Instant placed = record.provisioningStart().plus(timings.pending()).plus(timings.creating());
    if (now.isBefore(placed)) {
      return transitional;
    }
    boolean pullFailed =
        statuses.values().stream().anyMatch(ContainerStatus::pullFailed)
            || initStatuses.values().stream().anyMatch(ContainerStatus::pullFailed);
    if (pullFailed || initFailed) {
      return "Failed";
    }
    boolean allStarted =
        statuses.values().stream().allMatch(s -> !s.runs().isEmpty() || s.finished());
    return allStarted || record.stoppedAt() != null ? "Succeeded" : transitional;
  }

  /** Whether the group is stopped (its containers are deallocated). */
  public boolean stopped() {
    return record.stoppedAt() != null && !now.isBefore(record.stoppedAt());
  }

  /** The group's instance-view state: Pending, Running, Succeeded, Failed or Stopped. */
  public String groupState() {
    String provisioning = provisioningState();
    if (stopped()) {
      return "Stopped";
    }
    if (provisioning.equals(ContainerGroupRecord.PENDING)) {
      return "Pending";
    }
    if (initFailed || provisioning.equals("Failed")) {
      return "Failed";
    }
    boolean allFinished = statuses.values().stream().allMatch(ContainerStatus::finished);
    if (!allFinished) {
      return "Running";
    }
    return statuses.values().stream().allMatch(ContainerStatus::succeeded) ? "Succeeded" : "Failed";
  }

  /** Every event of every container, as the operation status lists them. */
  public List<ContainerEvent> allEvents() {
    List<ContainerEvent> events = new ArrayList<>();
    initStatuses.values().forEach(s -> events.addAll(s.events()));
    statuses.values().forEach(s -> events.addAll(s.events()));
    return events;
  }

  /** What an answer carries: the three shapes the service answers a container group in. */
  public enum Shape {
    /** The PUT answer: provisioning Pending, group instance view Pending, no container views. */
    CREATED,
    /** GET (and PATCH, DELETE): the full instance view of the group and its containers. */
    RESOURCE,
    /** An item of a list answer: no instance view on the group or any of its containers. */
    LIST_ITEM
  }

  /** The group as ARM answers it in the given shape, secrets removed. */
  public ObjectNode toJson(Shape shape) {
    ObjectNode out = spec.deepCopy();
    ObjectNode props = (ObjectNode) out.path("properties");
    // A group handed out by a standby pool is already placed and running when the PUT answers.
    boolean created = shape == Shape.CREATED && !record.createdFromStandbyPool();
    String provisioning = created ? ContainerGroupRecord.PENDING : provisioningState();
    boolean stopped = !created && stopped();
    ObjectNode ordered = JSON.objectNode();
    ordered.put("sku", props.path("sku").asText("Standard"));
    ordered.put("provisioningState", provisioning);
    ordered.setAll(props);
    ordered.put("provisioningState", provisioning);
    for (String kind : List.of("containers", "initContainers")) {
      for (JsonNode container : ordered.path(kind)) {
        ObjectNode cp = (ObjectNode) container.path("properties");
        // A container has an instance view once it is being placed (pulling), until a stop
        // deallocates it; lists never carry one.
        if (shape == Shape.RESOURCE && !stopped && !now.isBefore(record.runBegin())) {
          ContainerStatus status = status(container.path("name").asText());
          if (status != null) {
            insertBefore(cp, "instanceView", instanceView(status), "resources");
          }
        }
      }
    }
    ObjectNode ip =
        ordered.path("ipAddress").isObject() ? (ObjectNode) ordered.get("ipAddress") : null;
    if (ip != null && created && "Private".equalsIgnoreCase(ip.path("type").asText())) {
      // A VNet group has no address until it is placed in its subnet; the PUT answer omits it.
      ordered.remove("ipAddress");
      ip = null;
    }
    if (ip != null && !provisioning.equals(ContainerGroupRecord.PENDING)) {
      insertBefore(ip, "ip", JSON.textNode(ipAddress(ip)), "type");
    }
    if (shape != Shape.LIST_ITEM) {
      ObjectNode instanceView = JSON.objectNode();
      ArrayNode groupEvents = instanceView.putArray("events");
      if (stopped && record.evictedAt() != null) {
        // The recorded sessions hold no eviction; the event is the emulator's way of saying it,
        // shaped as ACI's other group events. Clients should key off the Spot group's Stopped
        // state, not this event's name.
        String at = second(record.evictedAt());
        groupEvents
            .addObject()
            .put("count", 1)
            .put("firstTimestamp", at)
            .put("lastTimestamp", at)
            .put("name", EVICTED_EVENT)
            .put(
                "message",
                "The Spot container group was evicted: Azure reclaimed the capacity it ran on.")
            .put("type", "Warning");
      }
      instanceView.put("state", created ? "Pending" : groupState());
      ordered.set("instanceView", instanceView);
    }
    out.set("properties", ordered);
    // Keep ARM's key order: properties first, then id, name, type, location, tags.
    ObjectNode result = JSON.objectNode();
    result.set("properties", ordered);
    result.put("id", record.id());
    result.put("name", record.name());
    result.put("type", "Microsoft.ContainerInstance/containerGroups");
    result.put("location", spec.path("location").asText());
    result.set(
        "tags", spec.path("tags").isObject() ? spec.get("tags").deepCopy() : JSON.objectNode());
    for (String extra : List.of("identity", "zones")) {
      if (spec.has(extra)) {
        result.set(extra, spec.get(extra).deepCopy());
      }
    }
    // secureValue, registry passwords, the Log Analytics key, secret volumes, storage keys.
    ContainerGroupSecrets.strip(result);
    return result;
  }

  private String ipAddress(ObjectNode ip) {
    int n = record.ordinal();
    if ("Private".equalsIgnoreCase(ip.path("type").asText())) {
      return "10.0." + (n / 250) % 250 + "." + (4 + n % 250);
    }
    return "20.62." + (n / 250) % 250 + "." + (10 + n % 240);
  }

  private static ObjectNode instanceView(ContainerStatus status) {
    ObjectNode view = JSON.objectNode();
    view.put("restartCount", status.restartCount());
    view.set("currentState", state(status.current()));
    if (status.previous() != null) {
      view.set("previousState", state(status.previous()));
    }
    ArrayNode events = view.putArray("events");
    for (ContainerEvent event : status.events()) {
      ObjectNode e = events.addObject();
      e.put("count", event.count());
      e.put("firstTimestamp", second(event.first()));
      e.put("lastTimestamp", second(event.last()));
      e.put("name", event.name());
      e.put("message", event.message());
      e.put("type", event.type());
    }
    return view;
  }

  private static ObjectNode state(ContainerState state) {
    ObjectNode node = JSON.objectNode();
    node.put("state", state.state());
    if (state.startTime() != null) {
      node.put("startTime", DateTimeFormatter.ISO_INSTANT.format(state.startTime()));
    }
    if (state.exitCode() != null) {
      node.put("exitCode", state.exitCode());
    }
    if (state.finishTime() != null) {
      node.put("finishTime", DateTimeFormatter.ISO_INSTANT.format(state.finishTime()));
    }
    node.put("detailStatus", state.detailStatus());
    return node;
  }

  /** Events carry whole seconds, like the recordings. */
  public static String second(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(
        instant.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
  }

  private static void insertBefore(ObjectNode node, String key, JsonNode value, String before) {
    if (!node.has(before)) {
      node.set(key, value);
      return;
    }
    ObjectNode copy = node.deepCopy();
    node.removeAll();
    copy.properties()
        .forEach(
            entry -> {
              if (entry.getKey().equals(before)) {
                node.set(key, value);
              }
              if (!entry.getKey().equals(key)) {
                node.set(entry.getKey(), entry.getValue());
              }
            });
  }

  /** Image reference of a container node. */
  public static String image(JsonNode container) {
    return container.path("properties").path("image").asText();
  }

  /** What a container sees: plain and secure environment variables. */
  public static Map<String, String> environment(JsonNode container) {
    Map<String, String> env = new LinkedHashMap<>();
    for (JsonNode variable : container.path("properties").path("environmentVariables")) {
      String value =
          variable.hasNonNull("value")
              ? variable.get("value").asText()
              : variable.path("secureValue").asText("");
      env.put(variable.path("name").asText(), value);
    }
    return env;
  }

  /** The container's command as a list. */
  public static List<String> command(JsonNode container) {
    List<String> command = new ArrayList<>();
    container.path("properties").path("command").forEach(c -> command.add(c.asText()));
    return command;
  }

  /** The behaviour a container spec asks for (see README). */
  public ContainerBehavior behavior(JsonNode container, boolean init) {
    Map<String, String> plain = new LinkedHashMap<>();
    for (JsonNode variable : container.path("properties").path("environmentVariables")) {
      if (variable.hasNonNull("value")) {
        plain.put(variable.path("name").asText(), variable.get("value").asText());
      }
    }
    return ContainerBehavior.from(plain, command(container), init, timings);
  }

  /** The container's node in the spec, app or init. */
  public JsonNode container(String name) {
    for (String kind : List.of("containers", "initContainers")) {
      for (JsonNode container : spec.path("properties").path(kind)) {
        if (container.path("name").asText().equals(name)) {
          return container;
        }
      }
    }
    return null;
  }

  /** Files a container sees through its volume mounts (secret contents decoded). */
  public Map<String, String> files(JsonNode container) {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("/etc/hostname", record.name() + "\n");
    for (JsonNode mount : container.path("properties").path("volumeMounts")) {
      String path = mount.path("mountPath").asText();
      String base = path.endsWith("/") ? path : path + "/";
      for (JsonNode volume : spec.path("properties").path("volumes")) {
        if (!volume.path("name").asText().equals(mount.path("name").asText())) {
          continue;
        }
        if (volume.path("secret").isObject() && volume.get("secret").size() > 0) {
          volume
              .get("secret")
              .properties()
              .forEach(e -> files.put(base + e.getKey(), decode(e.getValue().asText())));
        } else {
          // emptyDir, azureFile and gitRepo mount as (empty) directories.
          files.put(base, "");
        }
      }
    }
    return files;
  }

  private static String decode(String base64) {
    try {
      return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return base64;
    }
  }
}
