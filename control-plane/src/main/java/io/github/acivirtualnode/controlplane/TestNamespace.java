package io.github.acivirtualnode.controlplane;

/** A namespace created for one test, with its default ServiceAccount ready. */
public record TestNamespace(String name) {}
