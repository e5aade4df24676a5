import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * Checks what headless Chromium made of report.html (run by tests/report/run.sh with `java ReportCheck.java`):
 *
 *   console LOG             no console message at all from the page (Chromium logs every console message,
 *                           errors and uncaught exceptions included, as INFO:CONSOLE lines on stderr)
 *   dom DOM SUMMARY_CSV     the DOM after the page's script ran: the script finished (body
 *                           data-report-ready="yes"), nothing external is loaded, and the summary table
 *                           holds summary.csv: the same columns (in any order), same rows, each cell's
 *                           data-v the file's exact text and its shown text the same number to 4
 *                           significant digits
 *   lead DOM COLUMNS        the summary table leads with COLUMNS (comma-separated) and, after the page's
 *                           script ran in the browser, shows exactly those (the rest behind the toggle)
 *   screenshot PNG          not blank: many colours and a good share of non-white pixels
 *
 * Exit 0 when the check holds, 1 with a message when it does not.
 */
public class ReportCheck {
    public static void main(String[] a) throws Exception {
        try {
            switch (a[0]) {
                case "console" -> console(Path.of(a[1]));
                case "dom" -> dom(Path.of(a[1]), Path.of(a[2]));
                case "lead" -> lead(Path.of(a[1]), List.of(a[2].split(",")));
                case "screenshot" -> screenshot(Path.of(a[1]));
                default -> throw new IllegalArgumentException("unknown check " + a[0]);
            }
        } catch (AssertionError e) {
            System.err.println("report check failed: " + e.getMessage());
            System.exit(1);
        }
    }

    static void check(boolean ok, String message) {
        if (!ok) throw new AssertionError(message);
    }

    static void console(Path log) throws Exception {
        List<String> bad = new ArrayList<>();
        for (String l : Files.readAllLines(log, StandardCharsets.UTF_8)) if (l.contains(":CONSOLE")) bad.add(l);
        check(bad.isEmpty(), bad.size() + " console message(s) from the page:\n  " + String.join("\n  ", bad));
        System.out.println("console: no messages");
    }

    static void dom(Path domFile, Path summaryCsv) throws Exception {
        String dom = Files.readString(domFile, StandardCharsets.UTF_8);
        check(Pattern.compile("<body[^>]*data-report-ready=\"yes\"").matcher(dom).find(),
                "the page's script did not finish (no data-report-ready=\"yes\" on <body>)");
        Matcher ext = Pattern.compile("(?i)(src|href)\\s*=\\s*\"(https?:|//)").matcher(dom);
        check(!ext.find(), "the page refers to an external resource: " + (ext.find(0) ? ext.group() : ""));
        Matcher t = Pattern.compile("(?s)<table[^>]*id=\"table-summary\"[^>]*>(.*?)</table>").matcher(dom);
        check(t.find(), "no summary table (id=table-summary) in the page");
        String table = t.group(1);
        List<String> head = new ArrayList<>();
        Matcher th = Pattern.compile("(?s)<th(?:\\s[^>]*)?>(.*?)</th>").matcher(table);
        while (th.find()) head.add(unescape(th.group(1)));
        List<String> lines = new ArrayList<>();
        for (String l : Files.readAllLines(summaryCsv, StandardCharsets.UTF_8)) if (!l.isEmpty()) lines.add(l);
        List<String> fileHead = List.of(lines.get(0).split(",", -1));
        check(head.size() == fileHead.size() && new HashSet<>(head).equals(new HashSet<>(fileHead)),
                "summary table header " + head + " differs from summary.csv's " + lines.get(0));
        Matcher tr = Pattern.compile("(?s)<tbody>(.*?)</tbody>").matcher(table);
        check(tr.find(), "summary table has no body");
        Matcher row = Pattern.compile("(?s)<tr>(.*?)</tr>").matcher(tr.group(1));
        Pattern td = Pattern.compile("(?s)<td data-v=\"([^\"]*)\"[^>]*>(.*?)</td>");
        int r = 0, cells = 0;
        while (row.find()) {
            r++;
            check(r < lines.size(), "the summary table has more rows than summary.csv (" + (lines.size() - 1) + ")");
            String[] want = lines.get(r).split(",", -1);
            Matcher c = td.matcher(row.group(1));
            int k = 0;
            while (c.find()) {
                check(k < want.length, "row " + r + " has more cells than summary.csv");
                String exact = unescape(c.group(1)), shown = unescape(c.group(2));
                String w = want[fileHead.indexOf(head.get(k))];
                check(exact.equals(w), "row " + r + " column " + head.get(k) + ": data-v '" + exact
                        + "', summary.csv '" + w + "'");
                if (!shown.equals(w)) {
                    double x = Double.parseDouble(w), y = Double.parseDouble(shown);
                    check(Math.abs(x - y) <= 5e-4 * Math.abs(x), "row " + r + " column " + head.get(k) + ": shown '"
                            + shown + "', summary.csv '" + w + "'");
                }
                k++;
                cells++;
            }
            check(k == want.length, "row " + r + " has " + k + " cells, summary.csv " + want.length);
        }
        check(r == lines.size() - 1, "the summary table has " + r + " rows, summary.csv " + (lines.size() - 1));
        System.out.println("dom: script ran, no external resource, summary table = summary.csv (" + r + " rows, "
                + cells + " cells)");
    }

    static void lead(Path domFile, List<String> want) throws Exception {
        String dom = Files.readString(domFile, StandardCharsets.UTF_8);
        Matcher t = Pattern.compile("(?s)<table([^>]*id=\"table-summary\"[^>]*)>(.*?)</table>").matcher(dom);
        check(t.find(), "no summary table (id=table-summary) in the page");
        List<String> head = new ArrayList<>();
        Matcher th = Pattern.compile("(?s)<th(?:\\s[^>]*)?>(.*?)</th>").matcher(t.group(2));
        while (th.find()) head.add(unescape(th.group(1)));
        check(head.size() > want.size() && head.subList(0, want.size()).equals(want), "the summary table's first "
                + "columns are " + head.subList(0, Math.min(head.size(), want.size())) + ", expected " + want);
        Matcher shown = Pattern.compile("data-shown-columns=\"([^\"]*)\"").matcher(t.group(1));
        check(shown.find(), "the page's script did not record the summary table's shown columns");
        check(List.of(unescape(shown.group(1)).split(",")).equals(want), "the browser shows the summary columns "
                + shown.group(1) + ", expected " + want + " (the others behind the toggle)");
        System.out.println("lead: the summary table leads with and shows " + want + " of " + head.size() + " columns");
    }

    static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&amp;", "&");
    }

    static void screenshot(Path png) throws Exception {
        BufferedImage img = ImageIO.read(png.toFile());
        check(img != null, png + " is not an image");
        Set<Integer> colours = new HashSet<>();
        long nonWhite = 0, all = (long) img.getWidth() * img.getHeight();
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                if (rgb != 0xffffff) nonWhite++;
            }
        }
        double share = nonWhite / (double) all;
        check(colours.size() >= 64, "only " + colours.size() + " distinct colours: the page looks blank");
        check(share >= 0.03, String.format("only %.1f%% non-white pixels: the page looks blank", 100 * share));
        System.out.printf("screenshot: %dx%d, %d colours, %.0f%% non-white%n", img.getWidth(), img.getHeight(),
                colours.size(), 100 * share);
    }
}
