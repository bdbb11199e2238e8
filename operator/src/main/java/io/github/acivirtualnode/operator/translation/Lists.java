package io.github.acivirtualnode.operator.translation;

import java.util.List;
import java.util.Map;

/** Null-tolerant access to model collections (fabric8 and the SDK leave many of them null). */
final class Lists {
  private Lists() {}

  static <T> List<T> of(List<T> list) {
    return list == null ? List.of() : list;
  }

  static <K, V> Map<K, V> of(Map<K, V> map) {
    return map == null ? Map.of() : map;
  }

  static boolean isTrue(Boolean b) {
    return Boolean.TRUE.equals(b);
  }

  static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
