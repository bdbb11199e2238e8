package io.github.acivirtualnode.e2e.bench;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Writes the report's charts as PNG files with JFreeChart (headless). */
public final class Charts {
  static final int WIDTH = 800;
  static final int HEIGHT = 450;

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private Charts() {}

  /**
   * Cumulative distributions of latencies, one line per series: x the latency in milliseconds, y
   * the share of pods at or below it (so p50 and p99 read off the 0.5 and 0.99 lines).
   */
  public static void latencyCdf(Path file, String title, Map<String, List<Duration>> series) {
    latencyCdf(file, title, "share of pods", series);
  }

  /** The same with another y axis label (what the values are of: renewals, say). */
  public static void latencyCdf(
      Path file, String title, String share, Map<String, List<Duration>> series) {
    XYSeriesCollection data = new XYSeriesCollection();
    series.forEach(
        (name, values) -> {
          List<Duration> sorted = new ArrayList<>(values);
          sorted.sort(null);
          XYSeries s = new XYSeries(name + " (n=" + sorted.size() + ")");
          for (int i = 0; i < sorted.size(); i++) {
            s.add(
                Percentiles.millis(sorted.get(i)).doubleValue(), (i + 1) / (double) sorted.size());
          }
          data.addSeries(s);
        });
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            title,
            "milliseconds",
            "share of pods",
            data,
            PlotOrientation.VERTICAL,
            true,
            false,
            false);
    write(file, chart);
  }

  /** One bar per key (an ARM operation per pod, for example). */
  public static void bars(Path file, String title, String valueAxis, Map<String, Double> values) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    values.forEach((key, v) -> data.addValue(v, valueAxis, key));
    JFreeChart chart =
        ChartFactory.createBarChart(
            title, "", valueAxis, data, PlotOrientation.HORIZONTAL, false, false, false);
    write(file, chart);
  }

  private static void write(Path file, JFreeChart chart) {
    chart.setBackgroundPaint(Color.WHITE);
    chart.getPlot().setBackgroundPaint(Color.WHITE);
    if (chart.getPlot() instanceof org.jfree.chart.plot.XYPlot xy) {
      xy.setDomainGridlinePaint(Color.LIGHT_GRAY);
      xy.setRangeGridlinePaint(Color.LIGHT_GRAY);
    } else if (chart.getPlot() instanceof org.jfree.chart.plot.CategoryPlot category) {
      category.setRangeGridlinePaint(Color.LIGHT_GRAY);
    }
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
