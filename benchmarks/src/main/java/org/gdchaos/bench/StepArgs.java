package org.gdchaos.bench;

/**
 * The command line of the step-timing mains ({@link PeerRun}, {@link StepProfile}):
 * {@code --model mlp|cnn --backend NAME --dtype f32|f64 --n N --t T --steps S --warmup W}, each
 * optional, over the given defaults.
 */
record StepArgs(String model, String backend, String dtype, int n, int t, int steps, int warmup) {
    StepArgs {
        if (steps < 1 || t < 1 || warmup < 0) throw new IllegalArgumentException("steps, t ≥ 1 and warmup ≥ 0");
    }

    /** The arguments over {@code defaults}. */
    static StepArgs parse(String[] args, StepArgs defaults) {
        String model = defaults.model, backend = defaults.backend, dtype = defaults.dtype;
        int n = defaults.n, t = defaults.t, steps = defaults.steps, warmup = defaults.warmup;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) throw new IllegalArgumentException("missing value after " + args[i]);
            String v = args[i + 1];
            switch (args[i]) {
                case "--model" -> model = v;
                case "--backend" -> backend = v;
                case "--dtype" -> dtype = v;
                case "--n" -> n = Integer.parseInt(v);
                case "--t" -> t = Integer.parseInt(v);
                case "--steps" -> steps = Integer.parseInt(v);
                case "--warmup" -> warmup = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (use --model --backend --dtype --n --t --steps --warmup)");
            }
        }
        return new StepArgs(model, backend, dtype, n, t, steps, warmup);
    }
}
