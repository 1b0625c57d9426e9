package org.sparkmnist.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkmnist.config.DataSettings;

/**
 * report.html as a real browser draws it: headless Chromium screenshots a report of made-up results, and the
 * picture must show the page, its embedded plots and its shaded confusion matrices. The page and the
 * screenshot stay in target/report-screenshot/ to be looked at.
 */
class ReportScreenshotIT {

    private static final int WIDTH = 1400;
    private static final int HEIGHT = 2000;
    private static final Path OUT = Path.of("target", "report-screenshot");

    @TempDir
    Path profile;

    @Test
    void chromiumDrawsTheReportWithItsPlotsAndConfusionMatrices() throws Exception {
        Files.createDirectories(OUT);
        Path report = OUT.resolve("report.html").toAbsolutePath();
        Files.writeString(report, HtmlReport.render("synthetic", SyntheticRun.bothModels(), DataSettings.labelsAsNames(10), SyntheticRun.CONFIG));
        Path screenshot = OUT.resolve("report.png").toAbsolutePath();
        Files.deleteIfExists(screenshot);

        screenshot(report, screenshot);

        BufferedImage image = ImageIO.read(screenshot.toFile());
        assertNotNull(image, screenshot + " is not a PNG");
        assertEquals(WIDTH, image.getWidth());
        assertEquals(HEIGHT, image.getHeight());
        assertTrue(distinctColours(image) > 100, "the screenshot is (nearly) one flat colour");
        // Charts draws validation curves orange: present only if the embedded PNGs were decoded and drawn.
        assertTrue(pixelsNear(image, 255, 127, 14) > 200, "no validation curve is visible: the embedded plots did not render");
        // Correct cells of the confusion matrices are shaded this blue at over 90% recall.
        assertTrue(pixelsNear(image, 39, 123, 182) > 2000, "no shaded confusion matrix cell is visible");
    }

    private void screenshot(Path report, Path screenshot) throws IOException, InterruptedException {
        Path log = profile.resolve("chromium.log");
        Process chromium = new ProcessBuilder(chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--hide-scrollbars", "--user-data-dir=" + profile.resolve("user-data"), "--screenshot=" + screenshot,
                "--window-size=" + WIDTH + "," + HEIGHT, report.toUri().toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!chromium.waitFor(180, TimeUnit.SECONDS)) {
            chromium.destroyForcibly().waitFor();
            fail("chromium did not finish the screenshot in 180 s:\n" + Files.readString(log));
        }
        assertEquals(0, chromium.exitValue(), "chromium failed:\n" + Files.readString(log));
        assertTrue(Files.size(screenshot) > 0, "chromium wrote no screenshot:\n" + Files.readString(log));
    }

    /** Debian's chromium on the PATH; this test checks the report in a real browser and has no other way. */
    private static String chromium() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
            }
        }
        return fail("chromium is not installed (not on PATH): install Debian's package with `apt-get install -y chromium`");
    }

    private static int distinctColours(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                colours.add(image.getRGB(x, y) & 0xffffff);
            }
        }
        return colours.size();
    }

    private static int pixelsNear(BufferedImage image, int red, int green, int blue) {
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int distance = Math.abs((rgb >> 16 & 0xff) - red) + Math.abs((rgb >> 8 & 0xff) - green) + Math.abs((rgb & 0xff) - blue);
                if (distance <= 24) {
                    count++;
                }
            }
        }
        return count;
    }
}
