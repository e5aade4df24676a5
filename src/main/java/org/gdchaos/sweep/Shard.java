package org.gdchaos.sweep;

import org.gdchaos.sweep.run.SweepRunner;

import org.gdchaos.InputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Shard {@code index} of {@code count} (0-based, as Slurm's {@code SLURM_ARRAY_TASK_ID}).
 * The rule is fixed and depends only on the grid: the cell at position
 * {@code k = ((lrIndex·decays + wdIndex)·momenta + mIndex)·inits + init} of {@link SweepSpec#cells()} belongs to shard {@code k mod count}
 * (round robin, so every shard gets a mix of learning rates and a similar amount of work).
 * A cell's numbers never depend on the sharding: its seeds depend only on the cell.
 * A shard writes to its own folder {@code OUT/shards/I-of-N/}; {@code gdchaos merge OUT} combines them.
 *
 * @param index shard index I, {@code 0 ≤ I < N}
 * @param count number of shards N ≥ 1
 */
public record Shard(int index, int count) {
    /** Subfolder of the output folder that holds the shards' folders. */
    public static final String SHARDS_DIR = "shards";
    private static final Pattern SPEC = Pattern.compile("\\s*(\\d+)\\s*/\\s*(\\d+)\\s*");
    private static final Pattern FOLDER = Pattern.compile("(\\d+)-of-(\\d+)");

    public Shard {
        if (count < 1) throw new InputException("shard", "shard I/N needs N ≥ 1, got N = " + count);
        if (index < 0 || index >= count) {
            throw new InputException("shard", "shard I/N needs 0 ≤ I < N (I counts from 0, like "
                    + "SLURM_ARRAY_TASK_ID), got " + index + "/" + count);
        }
    }

    /** Parses {@code "I/N"}, e.g. {@code "0/4"}. */
    public static Shard parse(String s) {
        Matcher m = SPEC.matcher(s == null ? "" : s);
        if (!m.matches()) throw new InputException("shard", "a shard is written I/N (e.g. 0/4), got '" + s + "'");
        try {
            return new Shard(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        } catch (NumberFormatException e) {
            throw new InputException("shard", "shard numbers too large: '" + s + "'");
        }
    }

    /** The shard a folder name {@code I-of-N} stands for, or null when the name has another form. */
    public static Shard fromFolderName(String name) {
        Matcher m = FOLDER.matcher(name);
        if (!m.matches()) return null;
        try {
            int i = Integer.parseInt(m.group(1));
            int n = Integer.parseInt(m.group(2));
            return n >= 1 && i < n ? new Shard(i, n) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Position of a cell in {@link SweepSpec#cells()}: {@code (lrIndex·decays + wdIndex)·inits + init}
     * ({@code lrIndex·inits + init} with one weight decay).
     */
    public static long position(Cell c, int decays, int inits) {
        return position(c, decays, 1, inits);
    }

    /**
     * Position of a cell in {@link SweepSpec#cells()}: {@code ((lrIndex·decays + wdIndex)·momenta + mIndex)·inits
     * + init} (as before the momentum axis with one momentum value).
     */
    public static long position(Cell c, int decays, int momenta, int inits) {
        return (((long) c.lrIndex() * decays + c.wdIndex()) * momenta + c.mIndex()) * inits + c.init();
    }

    /** Whether this shard runs cell c of a sweep with one weight decay and {@code inits} initialisations. */
    public boolean contains(Cell c, int inits) {
        return contains(c, 1, inits);
    }

    /** Whether this shard runs cell c of a sweep with {@code decays} weight decays and {@code inits} initialisations. */
    public boolean contains(Cell c, int decays, int inits) {
        return position(c, decays, inits) % count == index;
    }

    /** The predicate for {@link SweepRunner}'s {@code include}. */
    public Predicate<Cell> includes(SweepSpec spec) {
        int inits = spec.training().inits(), decays = spec.training().weightDecayCount();
        int momenta = spec.training().momentumCount();
        return c -> position(c, decays, momenta, inits) % count == index;
    }

    /** This shard's cells, in {@link SweepSpec#cells()} order. */
    public List<Cell> cells(SweepSpec spec) {
        List<Cell> out = new ArrayList<>();
        Predicate<Cell> in = includes(spec);
        for (Cell c : spec.cells()) if (in.test(c)) out.add(c);
        return out;
    }

    /** Folder name {@code I-of-N}. */
    public String folderName() {
        return index + "-of-" + count;
    }

    /** This shard's output folder: {@code out/shards/I-of-N}. */
    public Path folder(Path out) {
        return out.resolve(SHARDS_DIR).resolve(folderName());
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
