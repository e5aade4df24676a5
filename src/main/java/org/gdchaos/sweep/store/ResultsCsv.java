package org.gdchaos.sweep.store;

import org.gdchaos.sweep.Cell;
import org.gdchaos.sweep.SweepSpec;

import org.gdchaos.InputException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gdchaos.sweep.store.Column.Type;

/**
 * The columns of {@code results.csv} ({@link #columns()}, documented in {@link #documented()}) and
 * the conversion of {@link CellRow}s to and from lines. Every numeric column is a number, with
 * {@code NaN} as the one mark of a missing value ({@link Column}); booleans are {@code true}/{@code false}.
 *
 * <p>Lines are read by header name ({@link #parse(String, String)}), so a file written by the
 * previous version — whose {@code steps_to_threshold} held the words {@code never}/{@code n/a},
 * whose absent steps were {@code -1}, and which lacked the seed, standard-error, fit-point, reached
 * and precision columns — still reads: the words become NaN with {@code reached} false, {@code -1}
 * becomes absent, a λ1 of {@code -Infinity} (the old report of a cell whose perturbation was lost in
 * rounding) becomes NaN with {@code precision_lost} true, and the new columns are NaN/0/false.
 * A file without {@code wd_index} and {@code weight_decay} (written before weight decay was a grid
 * axis, docs/science.md#weight-decay) reads as weight-decay index 0, λ = 0.
 */
public final class ResultsCsv {
    /** {@code steps_to_threshold} of the previous version for "never reached". */
    public static final String OLD_NEVER = "never";
    /** {@code steps_to_threshold} of the previous version for "accuracy undefined". */
    public static final String OLD_NOT_APPLICABLE = "n/a";

    static final String LR_INDEX = "lr_index";
    static final String LR = "lr";
    static final String WD_INDEX = "wd_index";
    static final String WEIGHT_DECAY = "weight_decay";
    static final String OPTIMIZER = "optimizer";
    static final String MOMENTUM_INDEX = "momentum_index";
    static final String MOMENTUM = "momentum";
    static final String INIT = "init";
    static final String SEED = "seed";
    static final String INIT_SEED = "init_seed";
    static final String PERTURB_SEED = "perturb_seed";
    static final String FIT_R2 = "fit_r2";
    static final String FIT_START = "fit_start";
    static final String FIT_END = "fit_end";
    static final String FIT_POINTS = "fit_points";
    static final String FIT_FEW_POINTS = "fit_few_points";
    static final String KAPLAN_YORKE = "kaplan_yorke";
    static final String FINAL_LOSS = "final_loss";
    static final String TRAIN_ACC = "train_acc";
    static final String TEST_LOSS = "test_loss";
    public static final String TEST_ACC = "test_acc";
    static final String STEPS = "steps_to_threshold";
    static final String REACHED = "reached";
    static final String DIVERGED = "diverged";
    static final String DIVERGED_STEP = "diverged_step";
    static final String PRECISION_LOST = "precision_lost";
    static final String GRAD_NORM = "grad_norm";
    static final String CONVERGED = "converged";

    /** The weight-decay columns: a file written before weight decay lacks them, read as index 0, λ = 0. */
    static final List<String> WEIGHT_DECAY_COLUMNS = List.of(WD_INDEX, WEIGHT_DECAY);

    /**
     * The optimizer columns, written when the sweep's optimizer is not GD (a GD sweep's files are as
     * before the momentum axis): a file without them reads as momentum index 0 and the optimizer's β.
     */
    static final List<String> OPTIMIZER_COLUMNS = List.of(OPTIMIZER, MOMENTUM_INDEX, MOMENTUM);

    /**
     * The {@code optimizer} column of a cell: the optimizer's {@link org.gdchaos.backend.Optimizer#label() label}
     * with the cell's β (β1), commas written as semicolons ({@code momentum:0.9}, {@code adam:0.9;0.999;1e-08}).
     */
    public static String optimizerLabel(org.gdchaos.backend.Optimizer sweep, Cell c) {
        return sweep.withMomentum(c.momentum()).label().replace(',', ';');
    }

    /** Columns this version added; a header without them is the previous version's. */
    static final List<String> ADDED = List.of(SEED, INIT_SEED, PERTURB_SEED, "lambda_k_stderr", FIT_POINTS,
            FIT_FEW_POINTS, REACHED, PRECISION_LOST);

    private final int exponents;
    private final List<String> extras;
    private final Long seed;
    /** The sweep's optimizer: GD writes no optimizer columns. */
    private final org.gdchaos.backend.Optimizer optimizer;

    /** Extra results columns for the measurements requested in {@code spec} (those of its extras). */
    public static List<String> extraColumns(SweepSpec spec) {
        return extraColumns(spec.measurement().extras());
    }

    /**
     * The results columns of the extra measurements, in order: {@code sharpness} (with K &gt; 1 then
     * {@code hessian_eig_2..K}, descending) when the sharpness is measured at the end or every few
     * steps; {@code gf_sharpness}, {@code gf_final_loss} with the gradient flow; {@code imbalance},
     * {@code balance_q} with the balance. The names are those of the recorder's values
     * ({@link org.gdchaos.hessian.ExtrasRecorder#row}).
     */
    public static List<String> extraColumns(SweepSpec.Extras x) {
        List<String> c = new java.util.ArrayList<>();
        if (x.sharpness() || x.sharpnessEvery() > 0) {
            c.add(org.gdchaos.hessian.ExtrasRecorder.SHARPNESS);
            for (int i = 2; i <= x.sharpnessK(); i++) c.add(org.gdchaos.hessian.CurvatureMeter.eigenvalueColumn(i));
        }
        if (x.flow()) {
            c.add(org.gdchaos.hessian.ExtrasRecorder.GF_SHARPNESS);
            c.add(org.gdchaos.hessian.ExtrasRecorder.GF_FINAL_LOSS);
        }
        if (x.balance()) {
            c.add(org.gdchaos.hessian.ExtrasRecorder.IMBALANCE);
            c.add(org.gdchaos.hessian.ExtrasRecorder.BALANCE_Q);
        }
        return c;
    }

    /** A format whose readers cannot read rows of the previous version (they lack the seed). */
    public ResultsCsv(int exponents, List<String> extras) {
        this(exponents, extras, null);
    }

    /** A format for a sweep with {@code seed} (used for rows of the previous version, which lack it). */
    public ResultsCsv(int exponents, List<String> extras, long seed) {
        this(exponents, extras, Long.valueOf(seed));
    }

    /** A format for a sweep with {@code seed} and {@code optimizer} (not GD: the optimizer columns). */
    public ResultsCsv(int exponents, List<String> extras, long seed, org.gdchaos.backend.Optimizer optimizer) {
        this(exponents, extras, Long.valueOf(seed), optimizer);
    }

    private ResultsCsv(int exponents, List<String> extras, Long seed) {
        this(exponents, extras, seed, org.gdchaos.backend.Optimizer.GD);
    }

    private ResultsCsv(int exponents, List<String> extras, Long seed, org.gdchaos.backend.Optimizer optimizer) {
        if (exponents < 1) throw new IllegalArgumentException("at least one exponent, got " + exponents);
        this.exponents = exponents;
        this.extras = List.copyOf(extras);
        this.seed = seed;
        this.optimizer = optimizer == null ? org.gdchaos.backend.Optimizer.GD : optimizer;
    }

    /** The format of {@code spec}'s results. */
    public static ResultsCsv of(SweepSpec spec) {
        return new ResultsCsv(spec.lyapunov().reportedExponents(), extraColumns(spec), spec.training().seed(),
                spec.training().optimizer());
    }

    /** The sweep's optimizer (GD: no optimizer columns). */
    public org.gdchaos.backend.Optimizer optimizer() {
        return optimizer;
    }

    /** Whether the files carry the optimizer columns ({@code optimizer}, {@code momentum_index}, {@code momentum}). */
    public boolean optimizerColumns() {
        return !optimizer.isGd();
    }

    /** The extra measurement columns of this format, in order. */
    public List<String> extras() {
        return extras;
    }

    /** Exponents per row. */
    public int exponents() {
        return exponents;
    }

    /**
     * Every column results.csv can have, in file order; families with a placeholder k
     * ({@code lambda_k} …) and the extras (present when measured). The README's table is this list.
     */
    public static List<Column> documented() {
        List<Column> c = new ArrayList<>(List.of(
                new Column(LR_INDEX, Type.INT, "index of the learning rate in the grid (0-based)"),
                new Column(LR, Type.DOUBLE, "the learning rate η"),
                new Column(WD_INDEX, Type.INT, "index of the weight decay in the grid (`--weight-decay`, 0-based)"),
                new Column(WEIGHT_DECAY, Type.DOUBLE, "the weight decay λ: GD minimises the training loss plus "
                        + "(λ/2)·‖w‖² over the weights (and biases with `--decay-biases`); 0 = none"),
                new Column(OPTIMIZER, Type.TEXT, "with an optimizer other than GD (`--optimizer`): the cell's "
                        + "optimizer as `--optimizer` takes it, with the cell's β (`momentum:0.9`, `nesterov:0.5`; "
                        + "Adam's commas as semicolons, `adam:0.9;0.999;1e-08`); absent for GD"),
                new Column(MOMENTUM_INDEX, Type.INT, "with an optimizer other than GD: index of the momentum "
                        + "coefficient in the grid (`--momentum`, 0-based; 0 without the axis)"),
                new Column(MOMENTUM, Type.DOUBLE, "with an optimizer other than GD: the cell's momentum "
                        + "coefficient β (heavy ball, Nesterov) or Adam's β1"),
                new Column(INIT, Type.INT, "initialisation index (0-based); the same index means the same "
                        + "initial weights at every learning rate, weight decay and momentum"),
                new Column("lambda_k", Type.DOUBLE, "k-th largest Lyapunov exponent per GD step (k = 1 … K; "
                        + "K = 1 for paper/benettin, `--exponents` for spectrum/tangent); NaN when the cell "
                        + "diverged, lost precision or could not be fitted"),
                new Column("lambda_k_stderr", Type.DOUBLE, "standard error of `lambda_k`: for paper the "
                        + "least-squares slope's standard error over the fit window; for benettin, spectrum and "
                        + "tangent the standard error of the mean of the per-interval local exponents "
                        + "(sd/√m over the m counted renormalisation intervals; NaN when m < 2). See "
                        + "\"Uncertainty of λ\" below"),
                new Column(FIT_R2, Type.DOUBLE, "R² of the paper fit of ln d over its window (NaN for other methods)"),
                new Column(FIT_START, Type.INT_OR_NAN, "first step of the paper fit window (NaN for no fit and "
                        + "for other methods)"),
                new Column(FIT_END, Type.INT_OR_NAN, "last step of the paper fit window, inclusive (NaN likewise)"),
                new Column(FIT_POINTS, Type.INT, "points behind `lambda_1`: the fit window's points for paper, "
                        + "the counted renormalisation intervals for the other methods (0 when none)"),
                new Column(FIT_FEW_POINTS, Type.BOOLEAN, "`lambda_1` is a number resting on fewer than "
                        + CellRow.FEW_POINTS + " points (see \"Fit quality\" below)"),
                new Column(KAPLAN_YORKE, Type.DOUBLE, "Kaplan–Yorke dimension of the spectrum (NaN for one exponent)"),
                new Column(FINAL_LOSS, Type.DOUBLE, "training loss of the reference after the last step (the data "
                        + "loss, without the weight-decay penalty)"),
                new Column(TRAIN_ACC, Type.DOUBLE, "its training accuracy (NaN for single-output models)"),
                new Column(TEST_LOSS, Type.DOUBLE, "its test loss"),
                new Column(TEST_ACC, Type.DOUBLE, "its test accuracy (NaN for single-output models)"),
                new Column(STEPS, Type.INT_OR_NAN, "first evaluated step (every `--eval-every` steps and at "
                        + "the end) with test accuracy ≥ `--accuracy-threshold`; NaN when never reached or "
                        + "when accuracy is undefined"),
                new Column(REACHED, Type.BOOLEAN, "whether that threshold was reached; false for "
                        + "single-output models (accuracy undefined: `test_acc` is NaN)"),
                new Column(DIVERGED, Type.BOOLEAN, "a trajectory of the cell (reference or replica) became "
                        + "non-finite"),
                new Column(DIVERGED_STEP, Type.INT_OR_NAN, "first step at which one did (NaN when not diverged)"),
                new Column(GRAD_NORM, Type.DOUBLE, "‖∇L‖₂ of the full-batch training loss at the reference's "
                        + "final weights (NaN when diverged); with weight decay of the objective GD follows, "
                        + "‖∇L + λ·w‖₂"),
                new Column(CONVERGED, Type.BOOLEAN, "not diverged and `grad_norm` ≤ √u of the dtype (1.05e-8 in "
                        + "f64, 2.4e-4 in f32): the final iterate is a fixed point of GD"),
                new Column(PRECISION_LOST, Type.BOOLEAN, "the perturbation fell below the rounding step of the "
                        + "weights (finite weights grown huge): λ could not be measured and is NaN (see "
                        + "\"Precision lost\" below); false for diverged cells"),
                new Column(SEED, Type.INT, "the sweep seed (`--seed`); with `init` it fixes every random number "
                        + "of the cell, whichever batch, shard or backend ran it"),
                new Column(INIT_SEED, Type.INT, "64-bit seed of the generator of the cell's initial weights: "
                        + "`CellSeeds.key(seed, 1, init, 0)` (an `L64X128MixRandom`)"),
                new Column(PERTURB_SEED, Type.INT, "64-bit seed of the generator of the first perturbation "
                        + "(replica or tangent vector 1): `CellSeeds.key(seed, 2, init, 1)`; vector r uses "
                        + "`CellSeeds.key(seed, 2, init, r)`")));
        c.addAll(documentedExtras());
        return c;
    }

    /** The extra measurement columns (results.csv and, as summaries, summary.csv). */
    static List<Column> documentedExtras() {
        return List.of(
                new Column("sharpness", Type.DOUBLE, "with `--sharpness`/`--sharpness-every`: top Hessian "
                        + "eigenvalue of the training loss at the final weights (Lanczos; NaN when diverged); with "
                        + "weight decay of the objective, H + λ·I on the decayed coordinates; with `--optimizer adam` "
                        + "the preconditioned sharpness λ_max(D·H), D = diag(c1/(√(c2·s) + ε)) at the last step "
                        + "([science](docs/science.md#optimizer-thresholds))"),
                new Column("hessian_eig_k", Type.DOUBLE, "with `--sharpness-k K`: the k-th largest Hessian "
                        + "eigenvalue at the final weights (k = 2 … K; of D·H with Adam)"),
                new Column("gf_sharpness", Type.DOUBLE, "with `--flow`: sharpness of the limit of gradient flow "
                        + "dw/dt = −∇L from the same start"),
                new Column("gf_final_loss", Type.DOUBLE, "with `--flow`: training loss of that limit; with "
                        + "weight decay the flow descends the objective and this is its value, loss + (λ/2)·‖w‖²"),
                new Column("imbalance", Type.DOUBLE, "with `--balance`: ‖W1·W1ᵀ − W2ᵀ·W2‖_F at the final "
                        + "weights (two-layer nets)"),
                new Column("balance_q", Type.DOUBLE, "with `--balance`: Q = ‖W1‖_F² − ‖W2‖_F² at the final "
                        + "weights (two-layer nets with one output, else NaN)"));
    }

    /** The columns of this format, in file order (concrete names). */
    public List<Column> columns() {
        List<Column> out = new ArrayList<>();
        Map<String, Column> doc = new LinkedHashMap<>();
        for (Column c : documented()) doc.put(c.name(), c);
        for (Column c : documented()) {
            if (c.name().equals("lambda_k") || c.name().equals("lambda_k_stderr")) {
                for (int i = 1; i <= exponents; i++) out.add(c.named(c.name().replace("_k", "_" + i)));
            } else if (!isExtra(c.name()) && (optimizerColumns() || !OPTIMIZER_COLUMNS.contains(c.name()))) {
                out.add(c);
            }
        }
        for (String x : extras) out.add(documentedExtras().stream().filter(c -> c.matches(x)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("undocumented extra column " + x)).named(x));
        return out;
    }

    private static boolean isExtra(String name) {
        return documentedExtras().stream().anyMatch(c -> c.name().equals(name));
    }

    public List<String> names() {
        return columns().stream().map(Column::name).toList();
    }

    public String header() {
        return Csv.join(names());
    }

    /** The values of a row by column name, in file order. */
    Map<String, String> values(CellRow r) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put(LR_INDEX, Integer.toString(r.cell().lrIndex()));
        v.put(LR, Csv.num(r.cell().lr()));
        v.put(WD_INDEX, Integer.toString(r.cell().wdIndex()));
        v.put(WEIGHT_DECAY, Csv.num(r.cell().weightDecay()));
        if (optimizerColumns()) {
            v.put(OPTIMIZER, optimizerLabel(optimizer, r.cell()));
            v.put(MOMENTUM_INDEX, Integer.toString(r.cell().mIndex()));
            v.put(MOMENTUM, Csv.num(r.cell().momentum()));
        }
        v.put(INIT, Integer.toString(r.cell().init()));
        double[] lam = r.exponents();
        double[] se = r.exponentStdErrs();
        for (int i = 0; i < exponents; i++) v.put("lambda_" + (i + 1), Csv.num(i < lam.length ? lam[i] : Double.NaN));
        for (int i = 0; i < exponents; i++) {
            v.put("lambda_" + (i + 1) + "_stderr", Csv.num(i < se.length ? se[i] : Double.NaN));
        }
        v.put(FIT_R2, Csv.num(r.fitR2()));
        v.put(FIT_START, Csv.step(r.fitStart()));
        v.put(FIT_END, Csv.step(r.fitEnd()));
        v.put(FIT_POINTS, Integer.toString(r.fitPoints()));
        v.put(FIT_FEW_POINTS, Boolean.toString(r.fitFewPoints()));
        v.put(KAPLAN_YORKE, Csv.num(r.kaplanYorke()));
        v.put(FINAL_LOSS, Csv.num(r.finalLoss()));
        v.put(TRAIN_ACC, Csv.num(r.trainAcc()));
        v.put(TEST_LOSS, Csv.num(r.testLoss()));
        v.put(TEST_ACC, Csv.num(r.testAcc()));
        v.put(STEPS, Csv.step(r.reachedThreshold() ? r.stepsToThreshold() : CellRow.NONE));
        v.put(REACHED, Boolean.toString(r.reachedThreshold()));
        v.put(DIVERGED, Boolean.toString(r.diverged()));
        v.put(DIVERGED_STEP, Csv.step(r.divergedStep()));
        v.put(GRAD_NORM, Csv.num(r.gradNorm()));
        v.put(CONVERGED, Boolean.toString(r.converged()));
        v.put(PRECISION_LOST, Boolean.toString(r.precisionLost()));
        v.put(SEED, Long.toString(r.seed()));
        v.put(INIT_SEED, Long.toString(r.initSeed()));
        v.put(PERTURB_SEED, Long.toString(r.perturbSeed()));
        for (String x : extras) v.put(x, Csv.num(r.extras().getOrDefault(x, Double.NaN)));
        return v;
    }

    public String line(CellRow r) {
        Map<String, String> v = values(r);
        List<String> out = new ArrayList<>();
        for (String n : names()) out.add(v.get(n));
        return Csv.join(out);
    }

    /**
     * Parses a line written by {@link #line} (this format's header).
     *
     * @throws IllegalArgumentException for a malformed line, naming the column
     */
    public CellRow parse(String line) {
        return parse(header(), line);
    }

    /**
     * Whether {@code header} is this format's without the weight-decay columns (a file written
     * before weight decay was a grid axis; its rows read as weight decay 0).
     */
    private boolean isBeforeWeightDecay(String header) {
        List<String> want = new ArrayList<>(names());
        want.removeAll(WEIGHT_DECAY_COLUMNS);
        return header.equals(String.join(",", want));
    }

    /**
     * Whether {@code header} is this format's without the optimizer columns while this format has them:
     * a folder of a non-GD sweep written before the momentum axis (its rows read as momentum index 0
     * and the optimizer's β, which is what its run.json, without {@code momenta}, describes).
     */
    private boolean isBeforeOptimizerColumns(String header) {
        if (!optimizerColumns()) return false;
        List<String> want = new ArrayList<>(names());
        want.removeAll(OPTIMIZER_COLUMNS);
        return header.equals(String.join(",", want));
    }

    /** Whether {@code header} is that of the previous version (no {@code reached} column). */
    private static boolean isPreviousVersion(String header) {
        return !List.of(header.split(",", -1)).contains(REACHED);
    }

    /**
     * The layouts of results.csv that gdchaos has written, recognised by their header ({@link #layout}).
     * results.csv carries no format number: its header is its format. Every layout reads by column name
     * ({@link #parse(String, String)}) and {@link #upgrade} brings its lines to today's form. Which layouts a
     * reader accepts is its own policy, passed as a set: {@link #RESUMABLE}, {@link #MERGEABLE},
     * {@link #REPORTABLE}.
     */
    public enum Layout {
        /** This format's header ({@link #header()}). */
        CURRENT,
        /** This format's columns without {@code wd_index}, {@code weight_decay}: before weight decay was an axis. */
        BEFORE_WEIGHT_DECAY,
        /** A non-GD format's columns without the optimizer columns: before the momentum axis. */
        BEFORE_OPTIMIZER_COLUMNS,
        /**
         * The previous version's (no {@code reached} column): {@code steps_to_threshold} held words, and the
         * seed, standard-error, fit-point and precision columns were absent ({@link #differences}).
         */
        PREVIOUS_VERSION
    }

    /**
     * What resume accepts: the layouts whose rows rewrite to equal a fresh run's. Not
     * {@link Layout#PREVIOUS_VERSION} (it lacks standard errors, fit points and precision loss, which a
     * resumed sweep could not complete, so a resumed file would mix two kinds of rows).
     */
    public static final Set<Layout> RESUMABLE = java.util.EnumSet.of(Layout.CURRENT, Layout.BEFORE_WEIGHT_DECAY,
            Layout.BEFORE_OPTIMIZER_COLUMNS);
    /** What merge accepts: every layout (its rows are written in today's form, their absent values NaN/0/false). */
    public static final Set<Layout> MERGEABLE = java.util.EnumSet.allOf(Layout.class);
    /** What {@code gdchaos report} accepts: this version's and the previous version's. */
    public static final Set<Layout> REPORTABLE = java.util.EnumSet.of(Layout.CURRENT, Layout.PREVIOUS_VERSION);

    /**
     * The layout of a results.csv whose first line is {@code header} when it is one of {@code accepted},
     * else null (another sweep's columns, or a layout this reader refuses; {@link #differences} says how
     * it differs).
     */
    public Layout layout(String header, Set<Layout> accepted) {
        Layout l = header.equals(header()) ? Layout.CURRENT
                : isBeforeWeightDecay(header) ? Layout.BEFORE_WEIGHT_DECAY
                : isBeforeOptimizerColumns(header) ? Layout.BEFORE_OPTIMIZER_COLUMNS
                : isPreviousVersion(header) ? Layout.PREVIOUS_VERSION : null;
        return l != null && accepted.contains(l) ? l : null;
    }

    /**
     * results.csv lines (header first) of any layout in today's form: this format's header, then each row
     * parsed by the file's header and written again ({@link #line}); lines of {@link Layout#CURRENT} are
     * returned as they are. The one place rows of earlier layouts become today's.
     *
     * @param file the file the lines are from, for {@link #parseRow}'s message
     * @throws InputException naming the file and line of a row that does not parse
     */
    public List<String> upgrade(List<String> lines, java.nio.file.Path file) {
        if (lines.isEmpty() || lines.get(0).equals(header())) return lines;
        List<String> out = new ArrayList<>(List.of(header()));
        for (int i = 1; i < lines.size(); i++) out.add(line(parseRow(lines.get(0), file, i + 1, lines.get(i))));
        return out;
    }

    /**
     * How {@code header} differs from this format's: the columns it lacks and those it has in
     * addition (empty when equal as sets; the order may still differ).
     */
    public String differences(String header) {
        List<String> have = List.of(header.split(",", -1));
        List<String> want = names();
        List<String> missing = want.stream().filter(n -> !have.contains(n)).toList();
        List<String> extra = have.stream().filter(n -> !want.contains(n)).toList();
        List<String> parts = new ArrayList<>();
        if (!missing.isEmpty()) parts.add("it lacks " + String.join(", ", missing));
        if (!extra.isEmpty()) parts.add("it has " + String.join(", ", extra) + " which this sweep does not write");
        if (missing.isEmpty() && extra.isEmpty() && !header.equals(header())) parts.add("its columns are in another order");
        if (isPreviousVersion(header)) {
            parts.add("it was written by an earlier gdchaos (" + STEPS + " held the words never/n/a, absent steps "
                    + "were -1)");
        }
        return String.join("; ", parts);
    }

    /**
     * Parses a line under {@code header}: this version's columns, or the previous version's (see the
     * class comment for how its values are read).
     *
     * @throws IllegalArgumentException for a malformed line or a header without this format's columns
     */
    public CellRow parse(String header, String line) {
        String[] h = header.split(",", -1);
        String[] f = line.split(",", -1);
        if (f.length != h.length) {
            throw new IllegalArgumentException("results line has " + f.length + " fields, the header " + h.length);
        }
        Map<String, String> v = new LinkedHashMap<>();
        for (int i = 0; i < h.length; i++) v.put(h[i], f[i]);
        boolean old = isPreviousVersion(header);
        Set<String> optional = new java.util.HashSet<>(WEIGHT_DECAY_COLUMNS); // absent before weight decay: 0
        optional.addAll(OPTIMIZER_COLUMNS); // absent before the momentum axis: index 0, the optimizer's β
        if (old) optional.addAll(addedNames());
        for (Column c : columns()) {
            String s = v.get(c.name());
            if (s == null) {
                if (optional.contains(c.name())) continue;
                throw new IllegalArgumentException("no column " + c.name());
            }
            if (old) continue; // the previous version's values are checked as they are read below
            if (!c.type().accepts(s)) {
                throw new IllegalArgumentException("column " + c.name() + " is not " + c.type().label() + ": '" + s + "'");
            }
        }
        Cell cell = new Cell(Integer.parseInt(v.get(LR_INDEX)), Csv.parse(v.get(LR)),
                v.containsKey(WD_INDEX) ? Integer.parseInt(v.get(WD_INDEX)) : 0,
                v.containsKey(WEIGHT_DECAY) ? Csv.parse(v.get(WEIGHT_DECAY)) : 0,
                v.containsKey(MOMENTUM_INDEX) ? Integer.parseInt(v.get(MOMENTUM_INDEX)) : 0,
                v.containsKey(MOMENTUM) ? Csv.parse(v.get(MOMENTUM)) : optimizer.beta1(), Integer.parseInt(v.get(INIT)));
        long s;
        if (v.containsKey(SEED)) s = Long.parseLong(v.get(SEED));
        else if (seed != null) s = seed;
        else throw new IllegalArgumentException("a row of the previous version has no seed; read it with its sweep's seed");
        double[] lam = new double[exponents];
        double[] se = new double[exponents];
        for (int k = 0; k < exponents; k++) {
            lam[k] = Csv.parse(v.get("lambda_" + (k + 1)));
            String e = v.get("lambda_" + (k + 1) + "_stderr");
            se[k] = e == null ? Double.NaN : Csv.parse(e);
        }
        boolean lost = v.containsKey(PRECISION_LOST) ? bool(PRECISION_LOST, v.get(PRECISION_LOST))
                : lam[0] == Double.NEGATIVE_INFINITY;
        if (old && lost) java.util.Arrays.fill(lam, Double.NaN);
        int fs = step(FIT_START, v.get(FIT_START));
        int fe = step(FIT_END, v.get(FIT_END));
        int points = v.containsKey(FIT_POINTS) ? Integer.parseInt(v.get(FIT_POINTS)) : fs >= 0 ? fe - fs + 1 : 0;
        double testAcc = Csv.parse(v.get(TEST_ACC));
        String st = v.get(STEPS);
        int steps;
        if (st.equals(OLD_NEVER)) steps = CellRow.NEVER;
        else if (st.equals(OLD_NOT_APPLICABLE)) steps = CellRow.NOT_APPLICABLE;
        else if (st.equals("NaN")) steps = Double.isNaN(testAcc) ? CellRow.NOT_APPLICABLE : CellRow.NEVER;
        else steps = Integer.parseInt(st);
        if (v.containsKey(REACHED) && bool(REACHED, v.get(REACHED)) != steps >= 0) {
            throw new IllegalArgumentException("reached is " + v.get(REACHED) + " but steps_to_threshold is " + st);
        }
        Map<String, Double> ex = new LinkedHashMap<>();
        for (String x : extras) ex.put(x, Csv.parse(v.get(x)));
        return CellRow.builder(cell, s).exponents(lam).exponentStdErrs(se).fitR2(Csv.parse(v.get(FIT_R2)))
                .fitWindow(fs, fe).fitPoints(points).kaplanYorke(Csv.parse(v.get(KAPLAN_YORKE)))
                .finalLoss(Csv.parse(v.get(FINAL_LOSS))).trainAcc(Csv.parse(v.get(TRAIN_ACC)))
                .testLoss(Csv.parse(v.get(TEST_LOSS))).testAcc(testAcc).stepsToThreshold(steps)
                .diverged(bool(DIVERGED, v.get(DIVERGED)), step(DIVERGED_STEP, v.get(DIVERGED_STEP)))
                .precisionLost(lost).gradNorm(Csv.parse(v.get(GRAD_NORM)))
                .converged(bool(CONVERGED, v.get(CONVERGED))).extras(ex).build();
    }

    /**
     * The rows of a results.csv (this version's or the previous one's, read by its header), without
     * a lock or a repair: for reporting and merging. A torn last line (no newline) is skipped.
     *
     * @throws IllegalArgumentException naming the file and line of a malformed row
     * @throws java.io.UncheckedIOException when the file cannot be read
     */
    public List<CellRow> read(java.nio.file.Path file) {
        String text;
        try {
            text = Csv.readUtf8(file);
        } catch (Csv.DamagedTextException e) {
            throw new OutputFolderException(e.getMessage());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        int end = text.lastIndexOf('\n');
        List<CellRow> rows = new ArrayList<>();
        if (end < 0) return rows;
        String[] lines = text.substring(0, end).split("\n", -1);
        for (int i = 1; i < lines.length; i++) {
            try {
                rows.add(parse(lines[0], lines[i]));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return rows;
    }

    private List<String> addedNames() {
        List<String> out = new ArrayList<>();
        for (String a : ADDED) {
            if (a.equals("lambda_k_stderr")) for (int i = 1; i <= exponents; i++) out.add("lambda_" + i + "_stderr");
            else out.add(a);
        }
        return out;
    }

    /** A step column: a whole number, or NaN (and the previous version's −1) for none. */
    private static int step(String column, String s) {
        if (s.equals("NaN") || s.equals("-1")) return CellRow.NONE;
        try {
            int v = Integer.parseInt(s);
            if (v < 0) throw new NumberFormatException("negative");
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("column " + column + " is not a step or NaN: '" + s + "'");
        }
    }

    private static boolean bool(String column, String s) {
        if (s.equals("true")) return true;
        if (s.equals("false")) return false;
        throw new IllegalArgumentException("column " + column + " is not true or false: '" + s + "'");
    }

    /**
     * One results line parsed under {@code header} (the file's own first line), or an
     * {@link InputException} naming the file, the line number and the start of the line.
     */
    public CellRow parseRow(String header, java.nio.file.Path file, int lineNo, String line) {
        try {
            return parse(header, line);
        } catch (RuntimeException e) { // NumberFormatException, a missing field
            throw new InputException(file + " line " + lineNo + ": malformed row (" + e.getMessage() + "): "
                    + Csv.abbreviate(line));
        }
    }
}
