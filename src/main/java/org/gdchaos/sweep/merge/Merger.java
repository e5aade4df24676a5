package org.gdchaos.sweep.merge;

import org.gdchaos.sweep.store.RunJsonUpgrade;

import org.gdchaos.sweep.Cell;
import org.gdchaos.sweep.store.CellRow;
import org.gdchaos.sweep.store.Csv;
import org.gdchaos.sweep.store.CurvesCsv;
import org.gdchaos.sweep.store.FolderLock;
import org.gdchaos.sweep.store.Invocation;
import org.gdchaos.sweep.store.OutputFolderException;
import org.gdchaos.sweep.report.Report;
import org.gdchaos.sweep.store.ResultStore;
import org.gdchaos.sweep.store.ResultsCsv;
import org.gdchaos.sweep.store.RunInfo;
import org.gdchaos.sweep.Shard;
import org.gdchaos.sweep.SpecDifference;
import org.gdchaos.sweep.store.SpecJson;
import org.gdchaos.sweep.store.SummaryCsv;
import org.gdchaos.sweep.SweepSpec;

import org.gdchaos.InputException;
import org.gdchaos.io.AtomicFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Combines the shards of a sweep ({@code OUT/shards/I-of-N/}) into the files a single-process sweep
 * writes in {@code OUT}: {@code results.csv} (rows in {@link SweepSpec#cells()} order),
 * {@code curves.csv}, {@code summary.csv}, the plots and {@code run.json} (status {@code merged}, or
 * {@code incomplete} when cells are missing), holding {@code OUT}'s {@link FolderLock} while it writes.
 *
 * <p>Rules: every part must record the same spec; a row and its curve lines belong to the grid's cell
 * of equal values ({@link Cell#identity()}), and a row must carry that cell's indices; a cell found
 * several times — in several parts, or
 * twice in one part — is kept once (with one curve line per step) when its rows (and curves) are
 * identical strings, and is an error when they differ; a cell found in no
 * part is reported as missing (the other cells are still written). Parts are only read, so merging
 * is idempotent and may run while shards are still running (it then sees their finished cells).
 */
public final class Merger {
    private Merger() {
    }

    /**
     * What a merge found and wrote.
     *
     * @param dir        output folder
     * @param parts      shard folders read (those with a run.json)
     * @param expected   cells in the grid
     * @param merged     cells written
     * @param missing    readable keys ({@link Cell#key()}) of cells found in no part, in grid order
     * @param duplicates repeated identical copies of cells, in other parts or the same one (kept once)
     * @param files      files written
     * @param warnings   non-fatal problems (unstarted shard folders, plots not drawn)
     */
    public record Outcome(Path dir, int parts, int expected, int merged, List<String> missing, int duplicates,
                          List<Path> files, List<String> warnings) {
        public Outcome {
            missing = List.copyOf(missing);
            files = List.copyOf(files);
            warnings = List.copyOf(warnings);
        }

        public boolean complete() {
            return missing.isEmpty();
        }
    }

    /**
     * Merges the parts in {@code out}.
     *
     * @throws IllegalArgumentException when there are no parts, their specs or columns differ, a row
     *                                  names a cell outside the grid, or a cell has conflicting rows
     */
    public static Outcome merge(Path out) {
        return merge(out, Invocation.JAVA_API, org.gdchaos.plot.PlotOptions.DEFAULT);
    }

    /**
     * Merges the parts in {@code out}, recording in run.json what started the merge, with figures
     * of the given size and formats.
     *
     * @throws IllegalArgumentException when there are no parts, their specs or columns differ, a row
     *                                  names a cell outside the grid, or a cell has conflicting rows
     */
    public static Outcome merge(Path out, Invocation invocation, org.gdchaos.plot.PlotOptions options) {
        List<ShardParts.Part> all = ShardParts.read(out);
        List<String> warnings = new ArrayList<>();
        List<ShardParts.Part> parts = new ArrayList<>();
        for (ShardParts.Part p : all) {
            if (p.info() == null) warnings.add(p.dir() + " has no run.json (shard never started); ignored");
            else if (p.spec() == null || !p.spec().isObject()) {
                throw new OutputFolderException(p.dir().resolve(RunInfo.FILE) + " records no sweep (no spec: damaged or "
                        + "not written by gdchaos), so its results cannot be matched to the sweep; delete that shard's "
                        + "folder and run the shard again");
            } else parts.add(p);
        }
        if (parts.isEmpty()) {
            throw new InputException("no shard outputs in " + out.resolve(Shard.SHARDS_DIR)
                    + " (run the sweep's shards into " + out + " first)");
        }
        ShardParts.Part first = parts.get(0);
        SweepSpec spec = SpecJson.read(first.spec());
        for (ShardParts.Part p : parts) {
            List<SpecDifference> diff = SpecJson.differences(spec, SpecJson.read(p.spec()));
            if (!diff.isEmpty()) {
                String a = Shard.SHARDS_DIR + "/" + first.dir().getFileName();
                String b = Shard.SHARDS_DIR + "/" + p.dir().getFileName();
                throw new InputException(name -> "shards of different sweeps in " + out + ": " + a + " and " + b
                        + " differ (" + SpecDifference.describe(diff, name, "in " + a, "in " + b) + ")");
            }
        }
        ShardParts.checkFolderHoldsNoOtherSweep(out, spec, false); // never replace another sweep's results
        JsonNode specTree = SpecJson.tree(spec);
        ResultsCsv format = ResultsCsv.of(spec);
        Map<Cell.Identity, Cell> grid = new LinkedHashMap<>(); // cells by value; messages name them by key()
        for (Cell c : spec.cells()) grid.put(c.identity(), c);
        double absentMomentum = format.optimizer().beta1();

        Map<Cell.Identity, String> rows = new HashMap<>();
        Map<Cell.Identity, List<String>> curves = new HashMap<>();
        Map<Cell.Identity, Path> source = new HashMap<>();
        String curveHeader = null;
        List<String> conflicts = new ArrayList<>();
        int duplicates = 0;
        for (ShardParts.Part p : parts) {
            List<String> lines = p.resultLines();
            if (lines.isEmpty()) continue;
            String header = lines.get(0);
            // any layout gdchaos has written (its rows are brought to today's form below)
            if (format.layout(header, ResultsCsv.MERGEABLE) == null) {
                throw new InputException(p.dir().resolve(ResultStore.RESULTS) + " has other columns than "
                        + "its spec implies (" + format.differences(header) + "):\n  " + header + "\n  "
                        + format.header());
            }
            // a cell written twice into one part (e.g. by two processes) has each step's line twice:
            // keep one line per (cell, step); two different lines for one step are a conflict
            Map<Cell.Identity, TreeMap<Integer, String>> partCurves = new HashMap<>();
            Set<Cell.Identity> curveConflicts = new HashSet<>();
            List<String> cl = p.curveLines();
            cl = CurvesCsv.upgrade(cl, format); // a part written before weight decay or the momentum axis
            if (!cl.isEmpty()) {
                if (curveHeader == null) curveHeader = cl.get(0);
                else if (!curveHeader.equals(cl.get(0))) {
                    throw new InputException(p.dir().resolve(ResultStore.CURVES) + " has other columns ("
                            + cl.get(0) + ") than the other shards (" + curveHeader + ")");
                }
                Path file = p.dir().resolve(ResultStore.CURVES);
                String[] columns = cl.get(0).split(",", -1);
                for (int i = 1; i < cl.size(); i++) {
                    String l = cl.get(i);
                    int step = checkCurveLine(file, i + 1, l, columns);
                    Cell.Identity key = Csv.rowIdentity(columns, l, absentMomentum);
                    String prev = partCurves.computeIfAbsent(key, k -> new TreeMap<>()).putIfAbsent(step, l);
                    if (prev != null && !prev.equals(l)) curveConflicts.add(key);
                }
            }
            lines = format.upgrade(lines, p.dir().resolve(ResultStore.RESULTS)); // rows of an earlier layout
            Set<Cell.Identity> seenInPart = new HashSet<>();
            for (int li = 1; li < lines.size(); li++) {
                String line = lines.get(li);
                CellRow r = format.parseRow(format.header(), p.dir().resolve(ResultStore.RESULTS), li + 1, line);
                Cell.Identity key = r.cell().identity();
                String name = r.cell().key();
                Cell want = grid.get(key);
                if (want == null || want.lrIndex() != r.cell().lrIndex() || want.wdIndex() != r.cell().wdIndex()
                        || want.mIndex() != r.cell().mIndex()) {
                    throw new InputException(p.dir().resolve(ResultStore.RESULTS) + " holds cell " + name
                            + " (lr " + r.cell().lr() + ") which is not in the sweep's grid");
                }
                List<String> cv = partCurves.containsKey(key) ? new ArrayList<>(partCurves.get(key).values())
                        : List.of();
                TreeMap<Integer, String> steps = partCurves.getOrDefault(key, new TreeMap<>());
                int last = spec.training().steps();
                if (steps.size() != last + 1 || steps.firstKey() != 0 || steps.lastKey() != last) {
                    throw new InputException(p.dir().resolve(ResultStore.CURVES) + ": cell " + name
                            + " has curve lines for " + steps.size() + " step(s), expected steps 0.." + last
                            + " (lines torn or lost); delete its row from " + p.dir().resolve(ResultStore.RESULTS)
                            + " and resume that shard");
                }
                if (curveConflicts.contains(key)) {
                    conflicts.add(name + " (two different curves in " + p.dir() + ")");
                    continue;
                }
                boolean again = !seenInPart.add(key);
                String prev = rows.get(key);
                if (prev == null) {
                    rows.put(key, line);
                    curves.put(key, cv);
                    source.put(key, p.dir());
                } else if (prev.equals(line) && curves.get(key).equals(cv)) {
                    duplicates++;
                } else {
                    conflicts.add(name + (again ? " (two different rows in " + p.dir() + ")"
                            : " (" + source.get(key) + " vs " + p.dir() + ")"));
                }
            }
        }
        if (!conflicts.isEmpty()) {
            throw new InputException("conflicting results for " + conflicts.size() + " cell(s) — the same "
                    + "cell with different numbers, so the shards did not compute the same sweep: "
                    + String.join(", ", conflicts.subList(0, Math.min(10, conflicts.size())))
                    + (conflicts.size() > 10 ? ", …" : ""));
        }

        StringBuilder results = new StringBuilder(format.header()).append('\n');
        StringBuilder curveText = new StringBuilder();
        if (curveHeader != null) curveText.append(curveHeader).append('\n');
        List<CellRow> merged = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Map.Entry<Cell.Identity, Cell> cell : grid.entrySet()) {
            Cell.Identity key = cell.getKey();
            String line = rows.get(key);
            if (line == null) {
                missing.add(cell.getValue().key());
                continue;
            }
            results.append(line).append('\n');
            merged.add(format.parse(line));
            for (String l : curves.get(key)) curveText.append(l).append('\n');
        }
        try (FolderLock lock = FolderLock.acquire(out)) { // no sweep or other merge writes OUT meanwhile
            warnings.addAll(lock.warnings());
            return write(out, invocation, spec, specTree, parts, grid.size(), results.toString(), curveHeader == null ? null
                    : curveText.toString(), merged, missing, duplicates, warnings, options);
        }
    }

    private static Outcome write(Path out, Invocation invocation, SweepSpec spec, JsonNode specTree,
                                List<ShardParts.Part> parts, int expected,
                                String results, String curveText, List<CellRow> merged, List<String> missing,
                                int duplicates, List<String> warnings, org.gdchaos.plot.PlotOptions options) {
        List<Path> files = new ArrayList<>();
        files.add(AtomicFiles.writeString(out.resolve(ResultStore.RESULTS), results, OutputFolderException::new));
        if (curveText != null) files.add(AtomicFiles.writeString(out.resolve(ResultStore.CURVES), curveText, OutputFolderException::new));
        List<SummaryCsv.Row> summary = SummaryCsv.summarize(merged, spec.training().optimizer());
        files.add(AtomicFiles.writeString(out.resolve("summary.csv"), SummaryCsv.render(summary), OutputFolderException::new));
        com.fasterxml.jackson.databind.node.ObjectNode info = runInfo(invocation, specTree, parts, expected, merged.size(), missing,
                duplicates);
        RunInfo.write(out, info);
        files.add(out.resolve(RunInfo.FILE));
        try { // the same figures and page as a single-process sweep
            files.addAll(org.gdchaos.sweep.report.Report.write(out, spec, info, merged, summary, options, List.of()));
        } catch (OutputFolderException e) { // a full disk or unwritable folder fails the merge (exit 4)
            throw e;
        } catch (RuntimeException e) { // an Error (out of memory, …) is not a warning: it fails the merge
            warnings.add("plots or " + org.gdchaos.sweep.report.Report.FILE + " not written: " + e);
        }
        return new Outcome(out, parts.size(), expected, merged.size(), missing, duplicates, files, warnings);
    }

    /**
     * Checks a curves.csv line: as many fields as the header, integer {@code lr_index, wd_index, init,
     * step}, numbers elsewhere; returns its step.
     *
     * @throws IllegalArgumentException naming the file, the line number and the bad field
     */
    static int checkCurveLine(Path file, int lineNo, String line, String[] columns) {
        String[] f = line.split(",", -1);
        if (f.length != columns.length) {
            throw new InputException(file + " line " + lineNo + ": " + f.length + " fields, the header has "
                    + columns.length + " (a torn or glued line): " + Csv.abbreviate(line));
        }
        java.util.Set<String> whole = java.util.Set.of("lr_index", "wd_index", "momentum_index", "init", "step");
        for (int c = 0; c < f.length; c++) {
            if (columns[c].equals("optimizer")) continue; // a word (momentum:0.9)
            boolean integer = whole.contains(columns[c]);
            try {
                if (integer) Integer.parseInt(f[c]);
                else Csv.parse(f[c]);
            } catch (NumberFormatException e) {
                throw new InputException(file + " line " + lineNo + ": column " + columns[c] + " is not a "
                        + (integer ? "whole number" : "number") + ": '" + Csv.abbreviate(f[c]) + "'");
            }
        }
        int step = Csv.indexOf(columns, "step");
        if (step < 0) throw new InputException(file + " has no step column: " + String.join(",", columns));
        return Integer.parseInt(f[step]);
    }

    /** A results.csv row, or an error naming the file, the line and the problem. */
    private static ObjectNode runInfo(Invocation invocation, JsonNode specTree, List<ShardParts.Part> parts, int expected, int merged,
                                      List<String> missing, int duplicates) {
        ObjectNode n = RunInfo.JSON.createObjectNode();
        n.put("tool", "gdchaos");
        n.put(RunJsonUpgrade.MEMBER, RunJsonUpgrade.FORMAT);
        n.put("status", missing.isEmpty() ? "merged" : "incomplete");
        // of the merge (no time: merging again writes the same file); each shard's is in its own run.json
        RunInfo.provenance(n, invocation);
        n.set("spec", specTree);
        ObjectNode m = n.putObject("merge");
        m.put("cells_expected", expected);
        m.put("cells_merged", merged);
        m.put("duplicates", duplicates);
        ArrayNode miss = m.putArray("missing");
        for (String k : missing) miss.add(k);
        ArrayNode ps = m.putArray("parts");
        double wall = 0;
        long steps = 0;
        TreeSet<String> backends = new TreeSet<>();
        for (ShardParts.Part p : parts) {
            ObjectNode o = ps.addObject();
            o.put("folder", Shard.SHARDS_DIR + "/" + p.dir().getFileName());
            JsonNode info = p.info();
            o.put("status", text(info, "status"));
            o.put("wall_seconds", info.path("wall_seconds").asDouble());
            o.put("trajectory_steps", info.path("trajectory_steps").asLong());
            JsonNode be = info.path("backend");
            if (be.has("name")) {
                o.set("backend", be);
                backends.add(be.path("name").asText() + " — " + be.path("device").asText());
            }
            wall += info.path("wall_seconds").asDouble();
            steps += info.path("trajectory_steps").asLong();
        }
        ArrayNode b = n.putArray("backends");
        for (String s : backends) b.add(s);
        n.put("wall_seconds_sum_of_shards", wall);
        n.put("trajectory_steps", steps);
        return n;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null ? "" : v.asText();
    }

    /** Writes {@code text} to a sibling temporary file and moves it over {@code p}: whole or absent. */
}
