package io.github.acivirtualnode.aciemulator.model;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An Azure Monitor metrics query (api-version 2018-01-01): metric names, timespan, interval,
 * aggregations and the {@code containerName} dimension filter, parsed as Azure Monitor reads them;
 * malformed parameters are refused with {@code BadRequest}.
 *
 * @param interval the time grain; equal to the timespan for {@code FULL}
 * @param full whether the interval is {@code FULL} (one bucket from the start, not aligned)
 * @param intervalText the interval as the answer echoes it
 * @param split null for no dimension split, else the container names asked for ({@code *} = all)
 */
public record MetricsQuery(
    List<String> metrics,
    Instant start,
    Instant end,
    Duration interval,
    boolean full,
    String intervalText,
    List<String> aggregations,
    Set<String> split,
    int top) {

  /** The time grains Azure Monitor offers for container group metrics. */
  public static final List<String> GRAINS =
      List.of("PT1M", "PT5M", "PT15M", "PT30M", "PT1H", "PT6H", "PT12H", "P1D");

  /** Aggregation types in the order a data point lists them. */
  public static final List<String> AGGREGATIONS =
      List.of("average", "minimum", "maximum", "total", "count");

  private static final Pattern CONTAINER_FILTER =
      Pattern.compile("^\\s*(\\w+)\\s+eq\\s+'([^']*)'\\s*$", Pattern.CASE_INSENSITIVE);

  /** At most this many buckets in one answer (Azure Monitor limits data points too). */
  static final int MAX_BUCKETS = 50_000;

  /**
   * Parses the query parameters (null when absent).
   *
   * @param defaultMetric the metric queried when {@code metricnames} is absent
   */
  public static MetricsQuery parse(
      String metricnames,
      String timespan,
      String interval,
      String aggregation,
      String filter,
      String top,
      String defaultMetric,
      Instant now) {
    List<String> metrics = new ArrayList<>();
    for (String name : (metricnames == null ? defaultMetric : metricnames).split(",")) {
      if (!name.isBlank()) {
        metrics.add(name.trim());
      }
    }
    Instant end = now;
    Instant start = now.minus(Duration.ofHours(1));
    if (timespan != null && !timespan.isBlank()) {
      String[] parts = timespan.split("/");
      try {
        if (parts.length == 2) {
          start = instant(parts[0]);
          end = parts[1].startsWith("P") ? start.plus(Duration.parse(parts[1])) : instant(parts[1]);
        } else if (parts.length == 1 && parts[0].startsWith("P")) {
          start = now.minus(Duration.parse(parts[0]));
        } else {
          throw badTimespan(timespan);
        }
      } catch (DateTimeException e) {
        throw badTimespan(timespan);
      }
      if (!start.isBefore(end)) {
        throw badTimespan(timespan);
      }
    }
    Duration grain;
    String intervalText;
    if (interval == null || interval.isBlank()) {
      grain = Duration.ofMinutes(1);
      intervalText = "PT1M";
    } else if (interval.equalsIgnoreCase("FULL")) {
      grain = Duration.between(start, end);
      intervalText = grain.toString();
    } else {
      String upper = interval.toUpperCase(Locale.ROOT);
      if (!GRAINS.contains(upper)) {
        throw new ArmException(
            400,
            "BadRequest",
            "Invalid interval '"
                + interval
                + "'. Supported intervals for this metric are: "
                + String.join(", ", GRAINS)
                + ", FULL.");
      }
      grain = Duration.parse(upper);
      intervalText = upper;
    }
    if (Duration.between(start, end).dividedBy(grain) > MAX_BUCKETS) {
      throw new ArmException(
          400,
          "BadRequest",
          "The timespan and interval ask for more than " + MAX_BUCKETS + " data points.");
    }
    List<String> aggregations = new ArrayList<>();
    if (aggregation != null && !aggregation.isBlank()) {
      for (String a : aggregation.split(",")) {
        String lower = a.trim().toLowerCase(Locale.ROOT);
        if (!AGGREGATIONS.contains(lower)) {
          throw new ArmException(
              400,
              "BadRequest",
              "Invalid aggregation '"
                  + a.trim()
                  + "'. Valid aggregations are: Average, Minimum, Maximum, Total, Count.");
        }
        if (!aggregations.contains(lower)) {
          aggregations.add(lower);
        }
      }
      aggregations.sort((a, b) -> AGGREGATIONS.indexOf(a) - AGGREGATIONS.indexOf(b));
    }
    int topCount = 10;
    if (top != null) {
      try {
        topCount = Integer.parseInt(top);
      } catch (NumberFormatException e) {
        throw new ArmException(400, "BadRequest", "Invalid top '" + top + "'.");
      }
    }
    return new MetricsQuery(
        List.copyOf(metrics),
        start,
        end,
        grain,
        interval != null && interval.equalsIgnoreCase("FULL"),
        intervalText,
        List.copyOf(aggregations),
        filter == null || filter.isBlank() ? null : containers(filter),
        topCount);
  }

  /** {@code containerName eq 'a' or containerName eq 'b'}; {@code '*'} splits by every one. */
  private static Set<String> containers(String filter) {
    Set<String> names = new LinkedHashSet<>();
    for (String part : filter.split("(?i)\\s+or\\s+")) {
      Matcher m = CONTAINER_FILTER.matcher(part);
      if (!m.matches()) {
        throw new ArmException(
            400,
            "BadRequest",
            "Invalid $filter '" + filter + "': expected \"containerName eq 'name'\".");
      }
      if (!m.group(1).equalsIgnoreCase("containerName")) {
        throw new ArmException(
            400,
            "BadRequest",
            "Metric dimension '"
                + m.group(1)
                + "' does not exist. Valid dimensions: containerName.");
      }
      names.add(m.group(2));
    }
    return names;
  }

  private static Instant instant(String text) {
    return OffsetDateTime.parse(text).toInstant();
  }

  private static ArmException badTimespan(String timespan) {
    return new ArmException(
        400,
        "BadRequest",
        "Invalid timespan '"
            + timespan
            + "'. Expected 'startDateTime_ISO/endDateTime_ISO' with the start before the end.");
  }

  /** The first bucket begins at the start rounded down to the grain (whole grains since 1970). */
  public Instant firstBucket() {
    if (full) {
      return start;
    }
    long grainSeconds = interval.getSeconds();
    long epoch = start.truncatedTo(ChronoUnit.SECONDS).getEpochSecond();
    return Instant.ofEpochSecond(epoch - Math.floorMod(epoch, grainSeconds));
  }
}
