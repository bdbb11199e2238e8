package io.github.acivirtualnode.aciemulator;

/**
 * How many ARM requests of one operation on one resource got one answer, as the emulator saw them:
 * the server's side of the count, which outlives a client killed mid-request.
 *
 * @param operation the REST operationId, e.g. {@code ContainerGroups_CreateOrUpdate}
 * @param subscriptionId as the path gave it; empty for routes without one
 * @param resourceGroup as the path gave it; empty for routes without one
 * @param name the resource's name (a container group's); empty for lists and locations
 * @param status the HTTP status answered
 * @param count how many such requests
 */
public record ArmRequestCount(
    String operation,
    String subscriptionId,
    String resourceGroup,
    String name,
    int status,
    long count) {}
