package io.github.acivirtualnode.e2e.bench;

import java.time.Instant;

/**
 * When the harness bound one pod (it creates pods with {@code spec.nodeName} set: bound from the
 * moment the create was sent) and when its informer first saw the pod Running.
 *
 * @param runningAt null while not seen Running
 */
public record PodTimes(String uid, String name, Instant boundAt, Instant runningAt) {}
