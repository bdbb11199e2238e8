package io.github.acivirtualnode.operator.translation;

import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** What {@link PodTranslator#translate} gives: a group ready to PUT, or why there is none. */
public sealed interface TranslationResult
    permits TranslationResult.Translated, TranslationResult.Rejected {

  /**
   * The container group to create.
   *
   * @param groupName the group's deterministic name ({@link GroupNaming#groupName})
   * @param group the body to PUT under that name (location, tags, containers, ...)
   * @param notices what was accepted but not honoured in full, for Events on the pod
   */
  record Translated(String groupName, ContainerGroupInner group, List<TranslationNotice> notices)
      implements TranslationResult {
    public Translated {
      Objects.requireNonNull(groupName, "groupName");
      Objects.requireNonNull(group, "group");
      notices = List.copyOf(notices);
    }
  }

  /**
   * The pod cannot become a container group as it stands.
   *
   * @param errors every problem found, in pod field order (never empty)
   */
  record Rejected(List<TranslationError> errors) implements TranslationResult {
    public Rejected {
      errors = List.copyOf(errors);
      if (errors.isEmpty()) {
        throw new IllegalArgumentException("a rejection names at least one error");
      }
    }

    /**
     * Whether waiting can help: every error is a missing Secret, ConfigMap or key, which a kubelet
     * would wait for ({@code CreateContainerConfigError}) rather than fail the pod.
     */
    public boolean retriable() {
      return errors.stream().allMatch(e -> e.kind() == TranslationError.Kind.MISSING_REFERENCE);
    }

    /** All errors in one message, {@code "path: reason; path: reason"}. */
    public String message() {
      return errors.stream().map(TranslationError::toString).collect(Collectors.joining("; "));
    }
  }
}
