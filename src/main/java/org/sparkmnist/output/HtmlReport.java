package org.sparkmnist.output;

import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.nd4j.evaluation.classification.ConfusionMatrix;
import org.sparkmnist.config.TutorialRecipe;
import org.sparkmnist.training.EpochMetrics;

/**
 * report.html: the run on one page, every model side by side. The page is self-contained so that it
 * can be mailed, archived or opened from HDFS exports: the plots are the PNGs of {@link Charts}
 * embedded as data: URIs, the styles are inline, and its Content-Security-Policy lets a browser load
 * nothing else. Every text that comes from the run (run id, model names, config) is HTML-escaped.
 */
public final class HtmlReport {

    /** Only inline styles and data: images; a page that tried to load anything else would show it broken. */
    private static final String CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'";

    private static final String STYLE = """
            body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 24px 32px; color: #222; background: #fff; }
            h1 { font-size: 26px; margin: 0 0 4px; }
            h2 { font-size: 20px; margin: 32px 0 12px; padding-bottom: 4px; border-bottom: 1px solid #ddd; }
            h3 { font-size: 17px; margin: 0 0 10px; }
            .subtitle, .note { color: #666; }
            .note { font-size: 12px; margin: 6px 0 0; }
            .models { display: grid; gap: 24px; }
            .card { border: 1px solid #ddd; border-radius: 6px; padding: 16px; }
            .headline { font-size: 36px; font-weight: bold; }
            .above { color: #2a7d2a; }
            .below { color: #b03a2e; }
            img { display: block; max-width: 100%; height: auto; margin-bottom: 8px; }
            table { border-collapse: collapse; font-size: 13px; }
            th, td { padding: 3px 8px; text-align: right; }
            th { background: #f3f3f3; }
            table.facts { margin-top: 10px; }
            table.facts th { text-align: left; background: none; font-weight: normal; color: #555; }
            table.epochs td, table.epochs th { border-bottom: 1px solid #eee; }
            table.epochs tfoot td { font-weight: bold; }
            table.confusion td { min-width: 34px; height: 24px; text-align: center; border: 1px solid #fff; }
            pre { background: #f7f7f7; border: 1px solid #ddd; padding: 12px; font-size: 12px; overflow-x: auto; }
            """;

    private HtmlReport() {
    }

    /**
     * The page for one run.
     *
     * @param classNames          what each label stands for (data.class-names), for the confusion matrices
     * @param effectiveConfigJson the merged config the run used, shown verbatim
     */
    public static String render(String runId, List<ModelReport> models, List<String> classNames, String effectiveConfigJson)
            throws IOException {
        StringBuilder html = new StringBuilder(64 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(CSP).append("\">\n")
                .append("<title>spark-mnist run ").append(escape(runId)).append("</title>\n")
                .append("<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n")
                .append("<h1>spark-mnist run ").append(escape(runId)).append("</h1>\n")
                .append("<p class=\"subtitle\">The Keras MNIST tutorial's models, trained on Spark with DL4J parameter averaging.</p>\n");
        section(html, "Test set", models, HtmlReport::scoreCard);
        section(html, "Accuracy and loss per epoch", models, HtmlReport::curves);
        section(html, "Confusion matrices of the test set", models, (page, model) -> confusion(page, model, classNames));
        section(html, "Epochs", models, HtmlReport::epochs);
        html.append("<h2>Effective config</h2>\n<pre>").append(escape(effectiveConfigJson)).append("</pre>\n");
        html.append("</body>\n</html>\n");
        return html.toString();
    }

    /** HTML-escapes text for element content and quoted attribute values alike. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    @FunctionalInterface
    private interface Card {
        void append(StringBuilder html, ModelReport model) throws IOException;
    }

    /** One heading, then one column per model so that the models read side by side. */
    private static void section(StringBuilder html, String title, List<ModelReport> models, Card card) throws IOException {
        html.append("<h2>").append(escape(title)).append("</h2>\n")
                .append("<div class=\"models\" style=\"grid-template-columns: repeat(").append(Math.max(1, models.size()))
                .append(", minmax(0, 1fr))\">\n");
        for (ModelReport model : models) {
            html.append("<div class=\"card\">\n<h3>").append(escape(model.name())).append("</h3>\n");
            card.append(html, model);
            html.append("</div>\n");
        }
        html.append("</div>\n");
    }

    private static void scoreCard(StringBuilder html, ModelReport model) {
        html.append("<div class=\"headline\">").append(percent(model.test().accuracy(), 2)).append("</div>\n")
                .append("<div>test accuracy</div>\n");
        TutorialRecipe.Figure tutorial = model.tutorial();
        if (tutorial != null) {
            double points = 100 * (model.test().accuracy() - tutorial.testAccuracy());
            html.append("<p class=\"").append(points >= 0 ? "above" : "below").append("\">Keras tutorial's ")
                    .append(escape(tutorial.model())).append(": ").append(percent(tutorial.testAccuracy(), 1))
                    .append(" (").append(String.format(Locale.ROOT, "%+.2f", points))
                    .append(" points)</p>\n");
        } else {
            html.append("<p class=\"note\">not a model of the Keras tutorial on MNIST: no number to compare with</p>\n");
        }
        List<EpochMetrics> history = model.history();
        double seconds = model.trainSeconds();
        html.append("<table class=\"facts\">\n");
        fact(html, "test loss", String.format(Locale.ROOT, "%.4f", model.test().loss()));
        fact(html, "parameters", String.format(Locale.ROOT, "%,d", model.params()));
        fact(html, "epochs", Integer.toString(history.size()));
        fact(html, "training time", String.format(Locale.ROOT, "%.1f s", seconds));
        fact(html, "per epoch", history.isEmpty() ? "-" : String.format(Locale.ROOT, "%.1f s", seconds / history.size()));
        html.append("</table>\n");
    }

    private static void fact(StringBuilder html, String name, String value) {
        html.append("<tr><th>").append(escape(name)).append("</th><td>").append(escape(value)).append("</td></tr>\n");
    }

    /** The tutorial's section 4 plots, exactly as written beside this page. */
    private static void curves(StringBuilder html, ModelReport model) throws IOException {
        image(html, model.name() + ": accuracy per epoch", Charts.accuracy(model.name(), model.history()));
        image(html, model.name() + ": loss per epoch", Charts.loss(model.name(), model.history()));
    }

    private static void image(StringBuilder html, String alt, byte[] png) {
        html.append("<img alt=\"").append(escape(alt)).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png)).append("\">\n");
    }

    /**
     * Rows are true labels, columns predictions. Correct cells are shaded blue by their share of the row
     * (the class's recall), errors red relative to the largest error, so that the few big mistakes stand out.
     */
    private static void confusion(StringBuilder html, ModelReport model, List<String> classNames) {
        ConfusionMatrix<Integer> matrix = model.test().evaluation().getConfusion();
        if (matrix == null) {
            html.append("<p class=\"note\">no test predictions</p>\n");
            return;
        }
        List<Integer> classes = matrix.getClasses();
        int maxError = 1;
        for (int actual : classes) {
            for (int predicted : classes) {
                if (actual != predicted) {
                    maxError = Math.max(maxError, matrix.getCount(actual, predicted));
                }
            }
        }
        html.append("<table class=\"confusion\">\n<tr><th>true \\ predicted</th>");
        classes.forEach(c -> html.append("<th>").append(escape(name(classNames, c))).append("</th>"));
        html.append("</tr>\n");
        for (int actual : classes) {
            int rowTotal = Math.max(1, matrix.getActualTotal(actual));
            html.append("<tr><th>").append(escape(name(classNames, actual))).append("</th>");
            for (int predicted : classes) {
                int count = matrix.getCount(actual, predicted);
                double shade = actual == predicted ? (double) count / rowTotal : (double) count / maxError;
                html.append("<td style=\"").append(cellStyle(actual == predicted, count, shade)).append("\">")
                        .append(count).append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n<p class=\"note\">rows: true class; columns: predicted class; ")
                .append("blue: correct, by share of the row; red: errors, by count</p>\n");
    }

    /** A label's name; the label itself for one the names do not cover (a matrix wider than data.classes). */
    private static String name(List<String> classNames, int label) {
        return label >= 0 && label < classNames.size() ? classNames.get(label) : Integer.toString(label);
    }

    private static String cellStyle(boolean correct, int count, double shade) {
        double alpha = Math.min(1.0, Math.max(0.0, shade)) * (correct ? 1.0 : 0.85);
        String rgb = correct ? "31, 119, 180" : "214, 39, 40";
        // Zeros in grey, so that the eye goes to the cells that hold something.
        String text = count == 0 ? "#bbb" : alpha > 0.55 ? "#fff" : "#222";
        return String.format(Locale.ROOT, "background: rgba(%s, %.3f); color: %s", rgb, alpha, text);
    }

    /** What the tutorial prints per epoch, with how long each epoch took. */
    private static void epochs(StringBuilder html, ModelReport model) {
        html.append("<table class=\"epochs\">\n<thead><tr><th>epoch</th><th>seconds</th><th>loss</th><th>accuracy</th>")
                .append("<th>val_loss</th><th>val_accuracy</th></tr></thead>\n<tbody>\n");
        double total = 0;
        for (EpochMetrics m : model.history()) {
            total += m.seconds();
            html.append(String.format(Locale.ROOT,
                    "<tr><td>%d</td><td>%.1f</td><td>%.4f</td><td>%.4f</td><td>%.4f</td><td>%.4f</td></tr>%n",
                    m.epoch(), m.seconds(), m.loss(), m.accuracy(), m.valLoss(), m.valAccuracy()));
        }
        html.append("</tbody>\n<tfoot><tr><td>total</td><td>")
                .append(String.format(Locale.ROOT, "%.1f", total)).append("</td><td colspan=\"4\"></td></tr></tfoot>\n</table>\n");
    }

    private static String percent(double fraction, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f%%", 100 * fraction);
    }
}
