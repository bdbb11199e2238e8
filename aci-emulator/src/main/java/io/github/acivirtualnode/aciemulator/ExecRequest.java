package io.github.acivirtualnode.aciemulator;

/**
 * One {@code Containers_ExecuteCommand} request the emulator accepted, as ACI was asked: the
 * command string exactly as sent (ACI runs it as one executable) and the terminal size of the body,
 * which ACI's terminal is created with (there is no later resize in ACI's API).
 *
 * @param subscriptionId as the path gave it
 * @param resourceGroup as the path gave it
 * @param containerGroup the container group's name
 * @param container the container's name
 * @param command the body's {@code command}, unchanged
 * @param rows the body's {@code terminalSize.rows}; null when the body had none
 * @param cols the body's {@code terminalSize.cols}; null when the body had none
 */
public record ExecRequest(
    String subscriptionId,
    String resourceGroup,
    String containerGroup,
    String container,
    String command,
    Integer rows,
    Integer cols) {}
