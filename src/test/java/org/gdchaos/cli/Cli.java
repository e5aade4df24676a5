package org.gdchaos.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the command line in-process ({@link Main#run}) and captures its exit code and output. */
record Cli(int code, String out, String err) {
    static Cli run(String... args) {
        StringWriter o = new StringWriter(), e = new StringWriter();
        int code;
        try (PrintWriter po = new PrintWriter(o); PrintWriter pe = new PrintWriter(e)) {
            code = Main.run(po, pe, args);
        }
        return new Cli(code, o.toString(), e.toString());
    }

    /**
     * A tiny MNIST sweep (100 train / 50 test samples, 784-8-10 tanh, float64, Java backend) into
     * {@code out}; {@code extra} options override or add to these ({@code --opt value} or a flag).
     */
    static Cli tinySweep(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("sweep", "--data", "mnist-10k", "--train-size", "100",
                "--test-size", "50", "--layers", "784,8,10", "--backend", "java", "--out", out.toString()));
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < extra.length; i++) {
            boolean flag = i + 1 == extra.length || extra[i + 1].startsWith("--");
            pairs.add(extra[i]);
            pairs.add(flag ? null : extra[++i]);
        }
        return run(with(a.toArray(String[]::new), pairs.toArray(String[]::new)));
    }

    /**
     * {@code base} with options overridden or added: {@code with(base, "--steps", "13", "--resume", null)}
     * replaces the value of {@code --steps}, adds the flag {@code --resume} (picocli refuses repeated options).
     */
    static String[] with(String[] base, String... pairs) {
        List<String> a = new ArrayList<>(List.of(base));
        for (int i = 0; i < pairs.length; i += 2) {
            int at = a.indexOf(pairs[i]);
            if (pairs[i + 1] == null) {
                if (at < 0) a.add(pairs[i]);
            } else if (at >= 0) {
                a.set(at + 1, pairs[i + 1]);
            } else {
                a.add(pairs[i]);
                a.add(pairs[i + 1]);
            }
        }
        return a.toArray(String[]::new);
    }

    @Override
    public String toString() {
        return "exit " + code + "\n--- out:\n" + out + "\n--- err:\n" + err;
    }
}
