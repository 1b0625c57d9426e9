package org.sparkmnist.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sparkmnist.config.DataSettings;

class HtmlReportTest {

    private static final Pattern DATA_PNG = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"");

    private static String page;

    @BeforeAll
    static void render() throws IOException {
        page = HtmlReport.render("synthetic", SyntheticRun.bothModels(), DataSettings.labelsAsNames(10), SyntheticRun.CONFIG);
    }

    @Test
    void showsEachModelInAColumnOfItsOwn() {
        assertTrue(page.contains("<h3>softmax</h3>"));
        assertTrue(page.contains("<h3>mlp</h3>"));
        assertTrue(page.contains("repeat(2, minmax(0, 1fr))"), "one column per model");
    }

    @Test
    void showsEachModelsTestAccuracyAndParameterCount() {
        assertTrue(page.contains("92.00%"), "softmax's test accuracy");
        assertTrue(page.contains("98.00%"), "mlp's test accuracy");
        assertTrue(page.contains("648,010"), "mlp's parameter count");
    }

    @Test
    void showsTheTutorialsFigureAndHowFarAboveItAModelIs() {
        assertTrue(page.contains("<p class=\"above\">Keras tutorial's softmax: 90.0% (+2.00 points)"), "softmax, 92% against 90%");
    }

    @Test
    void showsHowFarBelowTheTutorialsFigureAModelIs() {
        assertTrue(page.contains("<p class=\"below\">Keras tutorial's mlp: 99.0% (-1.00 points)"), "mlp, 98% against 99%");
    }

    @Test
    void embedsAnAccuracyAndALossPlotPerModelAsPngDataUris() throws IOException {
        List<BufferedImage> images = new ArrayList<>();
        Matcher png = DATA_PNG.matcher(page);
        while (png.find()) {
            images.add(ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(png.group(1)))));
        }
        assertEquals(4, images.size());
        images.forEach(image -> assertNotNull(image, "every embedded image decodes as PNG"));
    }

    @Test
    void loadsNothingFromOutsideThePage() {
        assertFalse(page.contains("http://"));
        assertFalse(page.contains("https://"));
        assertFalse(page.contains("<link"));
        assertFalse(page.contains("<script"));
        assertEquals(DATA_PNG.matcher(page).results().count(), Pattern.compile("src=").matcher(page).results().count(),
                "every src is a data: image");
        assertTrue(page.contains("default-src 'none'"), "the browser is told to load nothing else");
    }

    @Test
    void escapesTheConfig() {
        assertTrue(page.contains("&lt;/pre&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
        assertTrue(page.contains("&quot;batch-size&quot; : 128"));
    }

    /** The page of run {@code runId} with one model, {@code model}, that no tutorial figure is compared with. */
    private static String pageOf(String runId, String model) throws IOException {
        return HtmlReport.render(runId, List.of(SyntheticRun.model(model, 100, null, 0.1, 2)), DataSettings.labelsAsNames(10), "{}");
    }

    @Test
    void escapesModelNamesAndTheRunId() throws IOException {
        String html = pageOf("<run&id>", "<b>wide</b>");
        assertTrue(html.contains("<h3>&lt;b&gt;wide&lt;/b&gt;</h3>"));
        assertTrue(html.contains("<title>spark-mnist run &lt;run&amp;id&gt;</title>"));
        assertFalse(html.contains("<b>"));
    }

    @Test
    void saysWhenAModelHasNoTutorialFigureToCompareWith() throws IOException {
        String html = pageOf("r", "wide");
        assertTrue(html.contains("not a model of the Keras tutorial on MNIST"));
        assertFalse(html.contains("Keras tutorial's "));
    }

    @Test
    void confusionMatrixRowsAreTrueLabelsAndCellsAreShaded() {
        // softmax: 8 of each 100 digits predicted as the next digit.
        Pattern firstRow = Pattern.compile("<tr><th>0</th><td style=\"background: rgba\\(31, 119, 180, 0\\.920\\)[^\"]*\">92</td>"
                + "<td style=\"background: rgba\\(214, 39, 40, 0\\.850\\)[^\"]*\">8</td><td [^>]*>0</td>");
        assertTrue(firstRow.matcher(page).find(), "row 0 of softmax's confusion matrix");
        assertTrue(page.contains("true \\ predicted"));
    }

    @Test
    void confusionMatrixHeadsRowsAndColumnsWithTheClassNamesEscaped() throws IOException {
        List<String> names = new ArrayList<>(DataSettings.labelsAsNames(10));
        names.set(0, "T-shirt/top");
        names.set(1, "<Trouser>");
        String html = HtmlReport.render("named", SyntheticRun.bothModels(), names, SyntheticRun.CONFIG);
        assertTrue(html.contains("<th>true \\ predicted</th><th>T-shirt/top</th><th>&lt;Trouser&gt;</th><th>2</th>"), "the header row");
        assertTrue(html.contains("<tr><th>T-shirt/top</th><td style=\"background: rgba(31, 119, 180, 0.920)"), "row 0 under its name");
        assertFalse(html.contains("<Trouser>"));
    }

    @Test
    void listsEveryEpochWithItsTimeAndTheTotal() {
        for (String seconds : List.of("4.1", "4.2", "4.3", "4.4", "4.5")) {
            assertTrue(page.contains("<td>" + seconds + "</td>"), "epoch taking " + seconds + " s");
        }
        assertTrue(page.contains("<td>total</td><td>21.5</td>"));
        assertTrue(page.contains("<th>val_accuracy</th>"));
    }
}
