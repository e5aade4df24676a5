package org.gdchaos.slurm;

import java.util.List;
import java.util.regex.Pattern;

/** Bash quoting for generated scripts. */
public final class Shell {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_./:=,@%+^-]+");

    private Shell() {
    }

    /** A word bash reads back as exactly {@code s}: unchanged when safe, else in single quotes. */
    public static String quote(String s) {
        if (!s.isEmpty() && SAFE.matcher(s).matches()) return s;
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** Words quoted and joined by spaces. */
    public static String join(List<String> words) {
        StringBuilder sb = new StringBuilder();
        for (String w : words) {
            if (sb.length() > 0) sb.append(' ');
            sb.append(quote(w));
        }
        return sb.toString();
    }

    /**
     * Checks a value for an {@code #SBATCH} line, which Slurm splits at white space and which cannot
     * be quoted reliably.
     *
     * @throws IllegalArgumentException for white space or control characters
     */
    public static String sbatchValue(String what, String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw new IllegalArgumentException(what + " '" + v + "' contains white space, which an #SBATCH line "
                        + "cannot hold; use a path or value without spaces");
            }
        }
        if (v.isEmpty()) throw new IllegalArgumentException(what + " is empty");
        return v;
    }
}
