package org.gdchaos.sweep.report;

import org.gdchaos.sweep.Cell;
import org.gdchaos.sweep.store.CellRow;
import org.gdchaos.sweep.store.RunInfo;
import org.gdchaos.sweep.store.Csv;
import org.gdchaos.sweep.store.SummaryCsv;
import org.gdchaos.sweep.SweepSpec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code report.html}: one self-contained page (no network, no other file: figures inline as SVG,
 * style and a small sorting script inline) — status, settings and provenance (every member of
 * run.json, rendered generically so that new fields show up), the figures, the summary per
 * learning rate and the results per cell as tables built from the CSV files' own headers (every
 * column, whatever they are; click a header to sort), and the diverged cells. Every text taken from
 * the folder is HTML-escaped.
 */
final class ReportPage {
    private ReportPage() {
    }

    /** Most results rows shown in the page (the rest are in results.csv). */
    static final int MAX_CELL_ROWS = 5000;

    /** What the page shows. */
    record Content(String folder, JsonNode runJson, SweepSpec spec, List<CellRow> rows, int expectedCells,
                   List<String> missingCells, List<SweepPlots.Figure> figures, List<String> svgs, String summaryCsv,
                   String resultsCsv, List<String> notes) {
    }

    /** Escapes {@code & < > " '} for HTML text and attribute values. */
    static String esc(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    static String render(Content c) {
        StringBuilder h = new StringBuilder(64 * 1024);
        String title = "gdchaos report: " + c.folder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(esc(title)).append("</title>\n<style>\n").append(CSS).append("</style>\n")
                .append("</head>\n<body>\n<h1>").append(esc(title)).append("</h1>\n");
        status(h, c);
        h.append("<nav><a href=\"#figures\">Figures</a> · <a href=\"#summary\">Summary per η</a> · "
                + "<a href=\"#cells\">Cells</a> · <a href=\"#diverged\">Diverged cells</a> · "
                + "<a href=\"#settings\">Settings and provenance</a></nav>\n");

        h.append("<section id=\"figures\">\n<h2>Figures</h2>\n");
        if (c.figures().isEmpty()) h.append("<p>No figures: no finished cell yet.</p>\n");
        for (int i = 0; i < c.figures().size(); i++) {
            SweepPlots.Figure f = c.figures().get(i);
            h.append("<figure id=\"fig-").append(esc(f.name())).append("\">\n")
                    .append(inlineSvg(c.svgs().get(i), "f" + i, f.caption())).append('\n')
                    .append("<figcaption><b>").append(esc(f.name())).append("</b>: ").append(esc(f.caption()))
                    .append("</figcaption>\n</figure>\n");
        }
        h.append("</section>\n");

        h.append("<section id=\"summary\">\n<h2>Summary per learning rate (summary.csv)</h2>\n");
        table(h, "summary", c.summaryCsv(), Integer.MAX_VALUE, leadColumns(c.spec()));
        h.append("</section>\n");

        spectrum(h, c.rows());

        h.append("<section id=\"cells\">\n<h2>Cells (results.csv)</h2>\n");
        table(h, "results", c.resultsCsv(), MAX_CELL_ROWS);
        h.append("</section>\n");

        diverged(h, c.rows());

        h.append("<section id=\"settings\">\n<h2>Settings and provenance (run.json)</h2>\n");
        JsonNode spec = c.runJson().get("spec");
        if (spec != null) {
            h.append("<h3>Settings</h3>\n");
            json(h, spec);
        }
        h.append("<h3>Provenance</h3>\n<dl>\n");
        for (Iterator<Map.Entry<String, JsonNode>> it = c.runJson().fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("spec")) continue;
            h.append("<dt>").append(esc(e.getKey())).append("</dt><dd>");
            json(h, e.getValue());
            h.append("</dd>\n");
        }
        h.append("</dl>\n</section>\n");
        h.append("<footer>Written by gdchaos ").append(esc(RunInfo.version()))
                .append(" from the folder's run.json, results.csv, summary.csv and curves.csv; "
                        + "rebuild with <code>gdchaos report ").append(esc(c.folder())).append("</code>.</footer>\n");
        h.append("<script>\n").append(JS).append("</script>\n</body>\n</html>\n");
        return h.toString();
    }

    private static void status(StringBuilder h, Content c) {
        int done = c.rows().size();
        boolean partial = done < c.expectedCells();
        String st = c.runJson().path("status").asText("");
        h.append("<p class=\"status ").append(partial ? "partial" : "complete").append("\" id=\"status\">");
        if (partial) {
            h.append("<b>Partial results:</b> ").append(done).append(" of ").append(c.expectedCells())
                    .append(" cells are in results.csv (run.json status: ").append(esc(st.isEmpty() ? "unknown" : st))
                    .append("; a sweep killed or still running, or a merge with missing shards). Figures and tables "
                            + "show the finished cells only. Missing (").append(esc(Cell.keyLegend(c.missingCells())))
                    .append("): ");
            List<String> m = c.missingCells();
            h.append(esc(String.join(" ", m.subList(0, Math.min(40, m.size()))))).append(m.size() > 40 ? " …" : "");
        } else {
            h.append("All ").append(done).append(" cells finished (run.json status: ").append(esc(st)).append(").");
        }
        h.append("</p>\n");
        for (String n : c.notes()) h.append("<p class=\"note\">").append(esc(n)).append("</p>\n");
        SweepSpec s = c.spec();
        // an onset search's grid is its lattice × the most initialisations: say what it visited instead
        String grid = c.runJson().has("onset")
                ? c.rows().stream().mapToInt(r -> r.cell().lrIndex()).distinct().count() + " learning rates visited (of a "
                        + s.training().learningRates().length + "-point lattice) × up to " + s.training().inits()
                        + " initialisations, "
                : s.training().learningRates().length + " learning rates × "
                        + (s.training().weightDecayCount() > 1 ? s.training().weightDecayCount() + " weight decays × " : "")
                        + (s.training().momentumCount() > 1 ? s.training().momentumCount() + " momentum values β "
                        + java.util.Arrays.toString(s.training().momentumValues()) + " × " : "")
                        + s.training().inits() + " initialisations, ";
        h.append("<p class=\"facts\">Method <b>").append(esc(s.lyapunov().method().name().toLowerCase(Locale.ROOT)))
                .append("</b>, ").append(grid).append(s.training().steps()).append(" steps, ").append(esc(s.training().dtype().name()
                        .toLowerCase(Locale.ROOT))).append(", data <code>").append(esc(s.data().spec())).append("</code>");
        if (!s.data().testData().equals(org.gdchaos.data.DataSpec.SPLIT)) {
            h.append(", test data <code>").append(esc(s.data().testData())).append("</code>");
        }
        if (!s.training().optimizer().isGd()) { // with a momentum grid the kind: the grid states the β values
            h.append(", optimizer <code>").append(esc(s.training().momentumCount() > 1
                    ? s.training().optimizer().kind().name().toLowerCase(Locale.ROOT) : s.training().optimizer().label()))
                    .append("</code>");
        }
        if (s.data().normalize() != org.gdchaos.data.Normalization.AUTO) {
            h.append(", features normalized <code>").append(s.data().normalize().label()).append("</code>");
        }
        JsonNode be = c.runJson().path("backend");
        if (be.has("name")) {
            h.append(", backend ").append(esc(be.path("name").asText())).append(" (")
                    .append(esc(be.path("device").asText())).append(')');
        }
        JsonNode wall = c.runJson().get("wall_seconds");
        if (wall != null && wall.isNumber()) {
            h.append(", ").append(String.format(Locale.ROOT, "%.1f", wall.asDouble())).append(" s");
        }
        h.append(".</p>\n");
    }

    /**
     * With K &gt; 1 exponents: per learning rate, the mean of λ1 … λK and of the Kaplan–Yorke dimension
     * over the cells that did not diverge (finite values only), and how many cells that is.
     */
    static void spectrum(StringBuilder h, List<CellRow> rows) {
        if (rows.isEmpty() || rows.get(0).exponents().length < 2) return;
        int k = rows.get(0).exponents().length;
        java.util.TreeMap<Double, double[]> by = new java.util.TreeMap<>(); // lr -> Σλ1..ΣλK, ΣKY, n_1..n_K, n_KY
        for (CellRow r : rows) {
            if (r.diverged()) continue;
            double[] a = by.computeIfAbsent(r.cell().lr(), x -> new double[2 * (k + 1)]);
            double[] lam = r.exponents();
            for (int i = 0; i <= k; i++) {
                double v = i < k ? lam[i] : r.kaplanYorke();
                if (Double.isFinite(v)) {
                    a[i] += v;
                    a[k + 1 + i]++;
                }
            }
        }
        StringBuilder csv = new StringBuilder("lr");
        for (int i = 1; i <= k; i++) csv.append(",lambda_").append(i).append("_mean");
        csv.append(",kaplan_yorke_mean,cells_not_diverged\n");
        for (Map.Entry<Double, double[]> e : by.entrySet()) {
            double[] a = e.getValue();
            csv.append(Csv.num(e.getKey()));
            for (int i = 0; i <= k; i++) csv.append(',').append(Csv.num(a[k + 1 + i] > 0 ? a[i] / a[k + 1 + i] : Double.NaN));
            csv.append(',').append((int) a[k + 1]).append('\n');
        }
        h.append("<section id=\"spectrum\">\n<h2>Spectrum per learning rate</h2>\n<p>Mean of each exponent and "
                + "of the Kaplan–Yorke dimension over the cells that did not diverge (from results.csv).</p>\n");
        table(h, "spectrum", csv.toString(), Integer.MAX_VALUE);
        h.append("</section>\n");
    }

    private static void diverged(StringBuilder h, List<CellRow> rows) {
        h.append("<section id=\"diverged\">\n<h2>Diverged cells</h2>\n");
        List<CellRow> d = new ArrayList<>();
        for (CellRow r : rows) if (r.diverged()) d.add(r);
        if (d.isEmpty()) {
            h.append("<p>None: every finished cell stayed finite.</p>\n");
        } else {
            h.append("<p>").append(d.size()).append(" of ").append(rows.size())
                    .append(" cells became non-finite (their λ is NaN and is left out of the means):</p>\n<ul class=\"cols\">\n");
            for (CellRow r : d) {
                h.append("<li>η = ").append(esc(Csv.num(r.cell().lr()))).append(", init ").append(r.cell().init())
                        .append(": at step ").append(r.divergedStep()).append("</li>\n");
            }
            h.append("</ul>\n");
        }
        h.append("</section>\n");
    }

    /**
     * The summary columns people look for first, in this order: η (and the weight decay and momentum
     * when they are swept), λ1's mean and 95% interval, the median steps to the threshold, and the fractions of cells
     * that reached it and that diverged.
     */
    static List<String> leadColumns(SweepSpec spec) {
        List<String> l = new ArrayList<>(List.of("lr"));
        if (spec.training().weightDecayCount() > 1) l.add("weight_decay");
        if (spec.training().momentumCount() > 1) l.add("momentum");
        l.addAll(List.of("lambda_1_mean", "lambda_1_ci_low", "lambda_1_ci_high", SummaryCsv.MEDIAN, "reached_fraction",
                "diverged_fraction"));
        return l;
    }

    static void table(StringBuilder h, String id, String csv, int maxRows) {
        table(h, id, csv, maxRows, null);
    }

    /**
     * A table of a CSV text, header-driven: one column per header field. A number is shown to 4
     * significant digits with its exact text in {@code data-v} and {@code title}; other text as is. With
     * {@code lead} (column names), those columns come first and the others (class {@code more}) are
     * hidden until the button above the table shows them.
     */
    static void table(StringBuilder h, String id, String csv, int maxRows, List<String> lead) {
        if (csv == null || csv.isBlank()) {
            h.append("<p>No file.</p>\n");
            return;
        }
        String[] lines = csv.split("\n");
        String[] head = lines[0].split(",", -1);
        int rows = 0;
        for (int i = 1; i < lines.length; i++) if (!lines[i].isEmpty()) rows++;
        if (rows > maxRows) {
            h.append("<p>The first ").append(maxRows).append(" of ").append(rows)
                    .append(" rows; the file holds them all.</p>\n");
        }
        List<Integer> order = new ArrayList<>();
        java.util.Set<Integer> more = new java.util.HashSet<>();
        if (lead != null) {
            List<String> names = List.of(head);
            for (String l : lead) if (names.contains(l)) order.add(names.indexOf(l));
        }
        for (int k = 0; k < head.length; k++) {
            if (!order.contains(k)) {
                if (lead != null) more.add(k);
                order.add(k);
            }
        }
        boolean toggle = !more.isEmpty();
        if (toggle) {
            h.append("<p><button type=\"button\" class=\"columns\" data-table=\"table-").append(esc(id))
                    .append("\" data-all=\"Show all ").append(head.length).append(" columns\" data-lead=\"Show the main "
                            + "columns only\">Show all ").append(head.length).append(" columns</button></p>\n");
        }
        h.append("<div class=\"scroll\"><table class=\"sortable").append(toggle ? " lead-only" : "")
                .append("\" id=\"table-").append(esc(id)).append("\">\n<thead><tr>");
        for (int k : order) {
            h.append("<th").append(more.contains(k) ? " class=\"more\"" : "").append(" title=\"click to sort\">")
                    .append(esc(head[k])).append("</th>");
        }
        h.append("</tr></thead>\n<tbody>\n");
        int shown = 0;
        for (int i = 1; i < lines.length && shown < maxRows; i++) {
            if (lines[i].isEmpty()) continue;
            shown++;
            String[] f = lines[i].split(",", -1);
            h.append("<tr>");
            for (int k : order) {
                String v = k < f.length ? f[k] : "";
                String shownText = display(v);
                h.append("<td data-v=\"").append(esc(v)).append('"');
                if (more.contains(k)) h.append(" class=\"more\"");
                if (!shownText.equals(v)) h.append(" title=\"").append(esc(v)).append('"');
                h.append('>').append(esc(shownText)).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</tbody></table></div>\n");
    }

    /** A cell's shown text: a non-integer number to 4 significant digits, anything else unchanged. */
    static String display(String v) {
        if (v.isEmpty() || v.matches("-?\\d+")) return v;
        double d;
        try {
            d = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return v;
        }
        if (!Double.isFinite(d)) return v;
        if (d == 0) return "0";
        double a = Math.abs(d);
        if (a >= 1e-3 && a < 1e6) {
            return new java.math.BigDecimal(d).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
        }
        return String.format(Locale.ROOT, "%.3e", d);
    }

    /** run.json values, generically: objects as definition lists, arrays as lists, scalars as text. */
    static void json(StringBuilder h, JsonNode n) {
        if (n.isObject()) {
            h.append("<dl>");
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                h.append("<dt>").append(esc(e.getKey())).append("</dt><dd>");
                json(h, e.getValue());
                h.append("</dd>");
            }
            h.append("</dl>");
        } else if (n.isArray()) {
            boolean scalars = true;
            for (JsonNode x : n) scalars &= x.isValueNode();
            if (scalars) {
                List<String> v = new ArrayList<>();
                for (JsonNode x : n) v.add(x.asText());
                h.append("<span class=\"v\">").append(esc(v.isEmpty() ? "(none)" : String.join(", ", v))).append("</span>");
            } else {
                h.append("<ol>");
                for (JsonNode x : n) {
                    h.append("<li>");
                    json(h, x);
                    h.append("</li>");
                }
                h.append("</ol>");
            }
        } else {
            h.append("<span class=\"v\">").append(esc(n.isNull() ? "null" : n.asText())).append("</span>");
        }
    }

    /**
     * An SVG document as an element of the page: without its XML declaration and DOCTYPE, its clip-path
     * ids prefixed with {@code prefix} (unique in the page), scaled to the page's width, with an
     * accessible label.
     */
    static String inlineSvg(String svg, String prefix, String label) {
        String s = svg.replaceFirst("(?s)^<\\?xml[^>]*\\?>\\s*", "").replaceFirst("(?s)^<!DOCTYPE[^>]*>\\s*", "");
        s = s.replace("id=\"clip", "id=\"" + prefix + "clip").replace("url(#clip", "url(#" + prefix + "clip");
        int end = s.indexOf('>');
        if (s.startsWith("<svg") && end > 0) {
            String root = s.substring(0, end).replaceFirst(" height=\"[^\"]*\"", "").replaceFirst(" width=\"[^\"]*\"", "");
            s = root + " role=\"img\" aria-label=\"" + esc(label) + "\" class=\"chart\"" + s.substring(end);
        }
        return s;
    }

    private static final String CSS = """
            body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;margin:0 auto;
            max-width:1280px;padding:1em 2em;color:#222;line-height:1.45}
            h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:1.6em}
            nav{margin:.6em 0 1em}a{color:#1f77b4}
            .status{padding:.6em .9em;border-radius:4px}.status.complete{background:#eef6ee;border:1px solid #9c9}
            .status.partial{background:#fff4e0;border:1px solid #e0a040}.note{color:#8a5a00}
            figure{margin:1.2em 0 2em}svg.chart{width:100%;height:auto;display:block;border:1px solid #eee}
            figcaption{font-size:.92em;color:#444;margin-top:.4em}
            .scroll{overflow-x:auto;max-height:70vh;overflow-y:auto;border:1px solid #eee}
            table{border-collapse:collapse;font-size:.85em;font-variant-numeric:tabular-nums}
            th,td{padding:.25em .6em;border-bottom:1px solid #eee;text-align:right;white-space:nowrap}
            th{position:sticky;top:0;background:#f6f6f6;cursor:pointer;user-select:none}
            th[aria-sort=ascending]::after{content:' \\25B2'}th[aria-sort=descending]::after{content:' \\25BC'}
            tbody tr:nth-child(even){background:#fafafa}
            dl{margin:.2em 0 .2em 1em}dt{font-weight:600;float:left;clear:left;margin-right:.6em}
            dd{margin:0 0 .15em 0;overflow:hidden}dd dl{margin-left:0}ol{margin:.2em 0;padding-left:1.4em}
            code,.v{font-family:ui-monospace,'DejaVu Sans Mono',monospace;font-size:.92em}
            ul.cols{columns:3}footer{margin-top:3em;color:#777;font-size:.85em}
            table.lead-only .more{display:none}button.columns{font:inherit;padding:.2em .8em;cursor:pointer}
            """;

    /** Sorting by a header click (numbers numerically, NaN and text last); marks the page ready. */
    private static final String JS = """
            (function () {
              'use strict';
              function key(td) {
                var v = td.getAttribute('data-v');
                var x = Number(v);
                return { num: v !== '' && isFinite(x), x: x, s: v };
              }
              function sortBy(table, col, th) {
                var body = table.tBodies[0];
                var rows = Array.prototype.slice.call(body.rows);
                var asc = th.getAttribute('aria-sort') !== 'ascending';
                rows.sort(function (a, b) {
                  var p = key(a.cells[col]), q = key(b.cells[col]), c;
                  if (p.num && q.num) c = p.x - q.x;
                  else if (p.num !== q.num) return p.num ? -1 : 1;
                  else c = p.s < q.s ? -1 : p.s > q.s ? 1 : 0;
                  return asc ? c : -c;
                });
                rows.forEach(function (r) { body.appendChild(r); });
                Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.removeAttribute('aria-sort'); });
                th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
              }
              document.querySelectorAll('table.sortable').forEach(function (table) {
                Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
                  th.addEventListener('click', function () { sortBy(table, col, th); });
                });
              });
              // the column toggle; each table records the columns it shows (read by the browser test)
              function shown(table) {
                var names = [];
                Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
                  if (getComputedStyle(th).display !== 'none') names.push(th.textContent);
                });
                table.setAttribute('data-shown-columns', names.join(','));
              }
              document.querySelectorAll('button.columns').forEach(function (b) {
                var table = document.getElementById(b.getAttribute('data-table'));
                b.addEventListener('click', function () {
                  var lead = table.classList.toggle('lead-only');
                  b.textContent = b.getAttribute(lead ? 'data-all' : 'data-lead');
                  shown(table);
                });
              });
              document.querySelectorAll('table.sortable').forEach(shown);
              document.body.setAttribute('data-report-ready', 'yes');
            })();
            """;
}
