package io.github.acivirtualnode.aciemulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A bare HTTPS client for the emulator's REST API, for tests below the SDK. */
final class ArmClient {
  static final String SUB = "00000000-0000-0000-0000-0000000000aa";
  static final String RG = "rg-it";

  private final String base;
  private final HttpClient http;

  ArmClient(AciEmulator emulator) {
    this(emulator, emulator.baseUrl());
  }

  /** A client of the listener at {@code base} (the HTTPS one, or the plain HTTP one). */
  ArmClient(AciEmulator emulator, String base) {
    this.base = base;
    this.http =
        HttpClient.newBuilder()
            .sslContext(emulator.sslContext())
            .connectTimeout(Duration.ofSeconds(20))
            .build();
  }

  static String group(String name) {
    return "subscriptions/"
        + SUB
        + "/resourceGroups/"
        + RG
        + "/providers/Microsoft.ContainerInstance/containerGroups/"
        + name;
  }

  HttpResponse<String> send(String method, String path, String body) {
    String url =
        path.startsWith("https://")
                || path.startsWith("http://")
                || path.startsWith("_emulator/")
                || path.contains("api-version=")
            ? (path.startsWith("http") ? path : base + path)
            : base + path + (path.contains("?") ? "&" : "?") + "api-version=" + apiVersion(path);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(30))
            .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * What a real client sends for a path: the Java SDK's Microsoft.ContainerInstance version,
   * Microsoft.Resources' for resource groups and the provider.
   */
  static String apiVersion(String path) {
    String lower = path.toLowerCase(java.util.Locale.ROOT).replaceAll("\\?.*", "");
    if (lower.endsWith("/providers/microsoft.containerinstance")) {
      return "2021-04-01";
    }
    if (lower.contains("providers/microsoft.containerinstance/")) {
      return "2023-05-01";
    }
    return "2024-03-01";
  }

  JsonNode json(String method, String path, String body) {
    try {
      return SpecSchemas.MAPPER.readTree(send(method, path, body).body());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  JsonNode get(String name) {
    return json("GET", group(name), null);
  }

  /**
   * PUTs a group with the given containers JSON (and optional extra properties) and answers the
   * response.
   */
  HttpResponse<String> create(String name, String containers, String extraProperties) {
    String body =
        "{\"location\":\"westeurope\",\"properties\":{\"osType\":\"Linux\",\"containers\":"
            + containers
            + (extraProperties == null ? "" : "," + extraProperties)
            + "}}";
    return send("PUT", group(name), body);
  }

  static String container(String name, String image, String command, String env) {
    return container(name, image, command, env, null);
  }

  /** A container; {@code extra} adds properties such as volumeMounts. */
  static String container(String name, String image, String command, String env, String extra) {
    return "{\"name\":\""
        + name
        + "\",\"properties\":{\"image\":\""
        + image
        + "\",\"resources\":{\"requests\":{\"cpu\":1,\"memoryInGB\":1}}"
        + (command == null ? "" : ",\"command\":" + command)
        + (env == null ? "" : ",\"environmentVariables\":" + env)
        + (extra == null ? "" : "," + extra)
        + "}}";
  }
}
