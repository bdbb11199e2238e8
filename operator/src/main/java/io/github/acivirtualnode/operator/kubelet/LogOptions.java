package io.github.acivirtualnode.operator.kubelet;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.function.Function;

/**
 * The options of a container log request, as the API server passes them to a kubelet (the fields of
 * PodLogOptions as query parameters), validated as the API server validates them. Pure.
 *
 * @param tailLines the last lines only, or null for all
 * @param sinceSeconds only lines newer than this many seconds, or null
 * @param sinceTime only lines at or after this time, or null
 * @param limitBytes at most this many bytes, or null
 */
public record LogOptions(
    Long tailLines,
    boolean timestamps,
    Long sinceSeconds,
    Instant sinceTime,
    Long limitBytes,
    boolean follow,
    boolean previous) {

  /**
   * @param query the first value of each query parameter
   * @throws IllegalArgumentException naming the parameter and what is wrong with it
   */
  public static LogOptions parse(Map<String, String> query) {
    Long tail = number(query, "tailLines", 0);
    Long sinceSeconds = number(query, "sinceSeconds", 1);
    Long limitBytes = number(query, "limitBytes", 1);
    Instant sinceTime =
        optional(
            query,
            "sinceTime",
            v -> {
              try {
                return Instant.parse(v);
              } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(
                    "sinceTime '" + v + "' is not an RFC 3339 time, e.g. 2026-12-01T10:00:00Z");
              }
            });
    if (sinceSeconds != null && sinceTime != null) {
      throw new IllegalArgumentException("at most one of sinceTime or sinceSeconds may be given");
    }
    return new LogOptions(
        tail,
        bool(query, "timestamps"),
        sinceSeconds,
        sinceTime,
        limitBytes,
        bool(query, "follow"),
        bool(query, "previous"));
  }

  /** Where lines start to count, or null for the whole log. */
  public Instant since(Instant now) {
    if (sinceTime != null) {
      return sinceTime;
    }
    return sinceSeconds == null ? null : now.minusSeconds(sinceSeconds);
  }

  private static Long number(Map<String, String> query, String name, long min) {
    return optional(
        query,
        name,
        v -> {
          long n;
          try {
            n = Long.parseLong(v);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " '" + v + "' is not a whole number");
          }
          if (n < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", not " + n);
          }
          return n;
        });
  }

  private static boolean bool(Map<String, String> query, String name) {
    Boolean b =
        optional(
            query,
            name,
            v ->
                switch (v) {
                  case "true", "1" -> true;
                  case "false", "0", "" -> false;
                  default ->
                      throw new IllegalArgumentException(
                          name + " '" + v + "' is not true or false");
                });
    return b != null && b;
  }

  private static <T> T optional(Map<String, String> query, String name, Function<String, T> parse) {
    String value = query.get(name);
    return value == null ? null : parse.apply(value);
  }
}
