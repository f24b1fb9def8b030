package io.tradeanomaly.detector.quality.series;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Draws a series as a PNG for a person to look at: one panel per feature (up to eight), labelled points and segments
 * in red, and optionally a method's scores below with its verdicts. A development aid, not used by the tests.
 */
public final class SeriesPlot {

    private static final int WIDTH = 1600;
    private static final int PANEL = 110;

    private SeriesPlot() {}

    public static void write(LabelledSeries series, double[] scores, boolean[] verdicts, Path file) throws IOException {
        int features = Math.min(8, series.dimensions());
        int panels = features + (scores == null ? 0 : 1);
        BufferedImage image = new BufferedImage(WIDTH, panels * PANEL + 20, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        int n = series.length();
        boolean[] labels = series.labels();
        g.setColor(new Color(255, 200, 200));
        for (int t = 0; t < n; t++) {
            if (labels[t]) {
                int x = x(t, n);
                g.fillRect(x - 1, 0, 3, image.getHeight());
            }
        }
        for (int f = 0; f < panels; f++) {
            double[] y = new double[n];
            for (int t = 0; t < n; t++) {
                y[t] = f < features ? series.values()[t][f] : scores[t];
            }
            int top = f * PANEL + 10;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (double v : y) {
                if (!Double.isNaN(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
            if (max == min) {
                max = min + 1;
            }
            g.setColor(Color.LIGHT_GRAY);
            g.drawRect(0, top, WIDTH - 1, PANEL - 10);
            g.setColor(f < features ? Color.DARK_GRAY : new Color(0, 90, 200));
            g.setStroke(new BasicStroke(1));
            int px = -1;
            int py = -1;
            for (int t = 0; t < n; t++) {
                if (Double.isNaN(y[t])) {
                    px = -1;
                    continue;
                }
                int x = x(t, n);
                int yy = top + PANEL - 12 - (int) ((y[t] - min) / (max - min) * (PANEL - 24));
                if (px >= 0) {
                    g.drawLine(px, py, x, yy);
                }
                px = x;
                py = yy;
            }
            if (f == features && verdicts != null) {
                g.setColor(Color.RED);
                for (int t = 0; t < n; t++) {
                    if (verdicts[t]) {
                        g.fillRect(x(t, n), top + 2, 2, 6);
                    }
                }
            }
            g.setColor(Color.BLACK);
            String name = f < features ? series.featureNames()[f] : "score";
            g.drawString(String.format("%s  [%.4g, %.4g]", name, min, max), 5, top + 14);
        }
        g.drawString(series.key() + "  " + series.shape() + "  " + series.anomalies(), 5, image.getHeight() - 5);
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private static int x(int t, int n) {
        return (int) ((long) t * (WIDTH - 1) / Math.max(1, n - 1));
    }

    /** {@code SeriesPlot <dir> [seed]}: plots the first series of each base / kind of every corpus. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/series-plots");
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 1;
        java.nio.file.Files.createDirectories(dir);
        for (Corpus corpus : Corpora.all(seed, true, 1)) {
            if (corpus.series().get(0).dimensions() == 1) {
                int from = args.length > 2 ? Integer.parseInt(args[2]) : 0;
                java.util.List<BufferedImage> images = new java.util.ArrayList<>();
                for (int i = from; i < Math.min(from + 8, corpus.series().size()); i++) {
                    LabelledSeries s = corpus.series().get(i);
                    Path tmp = java.nio.file.Files.createTempFile("plot", ".png");
                    write(s, null, null, tmp);
                    images.add(ImageIO.read(tmp.toFile()));
                    java.nio.file.Files.delete(tmp);
                }
                int height = images.stream().mapToInt(BufferedImage::getHeight).sum();
                BufferedImage all = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
                Graphics2D g = all.createGraphics();
                int y = 0;
                for (BufferedImage image : images) {
                    g.drawImage(image, 0, y, null);
                    y += image.getHeight();
                }
                g.dispose();
                ImageIO.write(
                        all,
                        "png",
                        dir.resolve(corpus.name().split(" ")[0] + "-" + from + ".png")
                                .toFile());
            } else {
                for (int i = 0; i < Math.min(2, corpus.series().size()); i++) {
                    LabelledSeries s = corpus.series().get(i);
                    write(s, null, null, dir.resolve(s.key() + ".png"));
                }
            }
        }
    }
}
