package org.gdchaos.sweep;

import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * A setting in which two sweeps differ.
 *
 * @param setting the setting's path in run.json's {@code spec}, e.g. {@code training.steps}: the key of
 *                its {@link org.gdchaos.Setting} (the command line names it by its flag, {@code cli/Flags})
 * @param was     its value in the recorded sweep, as the command line takes it
 * @param now     its value in the other sweep
 */
public record SpecDifference(String setting, String was, String now) {
    /**
     * The differences as one phrase, each setting named by {@code name}:
     * {@code "training.steps: 150 in the folder, 200 now; training.learningRates: …"}.
     *
     * @param where    where the recorded values are ("in the folder")
     * @param nowWhere where the other values are ("now")
     */
    public static String describe(List<SpecDifference> differences, UnaryOperator<String> name, String where,
                                  String nowWhere) {
        if (differences.isEmpty()) return "no difference";
        return differences.stream().map(d -> name.apply(d.setting()) + ": " + d.was() + " " + where + ", " + d.now()
                + " " + nowWhere).collect(Collectors.joining("; "));
    }
}
