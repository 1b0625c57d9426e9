package org.sparkmnist.output;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.sparkmnist.training.EpochMetrics;

/**
 * The tutorial's plots: training as dots and validation as a line, per epoch. Rendered with
 * JFreeChart into PNG bytes so they can be written to any Hadoop filesystem and embedded in the report.
 */
public final class Charts {

    private static final int WIDTH = 640;
    private static final int HEIGHT = 420;

    static {
        // A batch job has no display; without this AWT looks for one and fails on servers.
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {
    }

    public static byte[] accuracy(String model, List<EpochMetrics> history) throws IOException {
        return plot(model + ": model accuracy", "accuracy", history, EpochMetrics::accuracy, EpochMetrics::valAccuracy);
    }

    public static byte[] loss(String model, List<EpochMetrics> history) throws IOException {
        return plot(model + ": model loss", "loss", history, EpochMetrics::loss, EpochMetrics::valLoss);
    }

    private static byte[] plot(String title, String measure, List<EpochMetrics> history,
                               ToDoubleFunction<EpochMetrics> train, ToDoubleFunction<EpochMetrics> validation) throws IOException {
        XYSeries trainSeries = new XYSeries("training " + measure);
        XYSeries validationSeries = new XYSeries("validation " + measure);
        for (EpochMetrics m : history) {
            trainSeries.add(m.epoch(), train.applyAsDouble(m));
            validationSeries.add(m.epoch(), validation.applyAsDouble(m));
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(trainSeries);
        data.addSeries(validationSeries);
        JFreeChart chart = ChartFactory.createXYLineChart(title, "epoch", measure, data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        ((NumberAxis) plot.getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
        renderer.setSeriesLinesVisible(0, false);
        renderer.setSeriesShapesVisible(0, true);
        renderer.setSeriesShape(0, new Ellipse2D.Double(-3.5, -3.5, 7, 7));
        renderer.setSeriesPaint(0, new Color(31, 119, 180));
        renderer.setSeriesLinesVisible(1, true);
        renderer.setSeriesShapesVisible(1, false);
        renderer.setSeriesStroke(1, new BasicStroke(2f));
        renderer.setSeriesPaint(1, new Color(255, 127, 14));
        plot.setRenderer(renderer);
        BufferedImage image = chart.createBufferedImage(WIDTH, HEIGHT);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        return png.toByteArray();
    }
}
