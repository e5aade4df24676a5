package org.gdchaos.slurm;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * How the batch scripts start gdchaos on a node, always through absolute paths (a batch job's PATH
 * is not the user's shell's): the java that runs this process with a copy of its jar in
 * {@code OUT/slurm/gdchaos.jar} (so rebuilding gdchaos later does not change a submitted sweep), or
 * an explicit command.
 */
public final class Launcher {
    /** The jar copy's name inside {@code OUT/slurm/}. */
    public static final String JAR = "gdchaos.jar";

    /**
     * The line the JVM prints to stderr at boot when {@code --add-modules jdk.incubator.vector}
     * resolves the module (jdk.internal.module.ModuleBootstrap; JDK 17 to 25 have no option to turn
     * it off): the launchers and the batch scripts filter out exactly this line.
     */
    public static final String INCUBATOR_WARNING = "WARNING: Using incubator modules: jdk.incubator.vector";

    private Launcher() {
    }

    /** {@code JAVA -Djava.awt.headless=true --add-modules jdk.incubator.vector -jar JAR}. */
    public static List<String> javaJar(Path java, Path jar) {
        return List.of(java.toString(), "-Djava.awt.headless=true", "--add-modules", "jdk.incubator.vector", "-jar",
                jar.toString());
    }

    /**
     * The command for the scripts.
     *
     * @param explicit a command given by the user (split at white space), or null to detect
     * @param slurmDir {@code OUT/slurm}, where the jar is copied
     * @throws IllegalArgumentException when gdchaos does not run from a jar and no command was given
     */
    public static List<String> forSubmission(String explicit, Path slurmDir) {
        if (explicit != null && !explicit.isBlank()) {
            List<String> words = new ArrayList<>(List.of(explicit.strip().split("\\s+")));
            Path first = Path.of(words.get(0));
            if (!first.isAbsolute()) {
                throw new IllegalArgumentException("--gdchaos must start with an absolute path (batch jobs do not "
                        + "see your shell's PATH), got '" + words.get(0) + "'");
            }
            return words;
        }
        Path jar = runningJar();
        if (jar == null) {
            Path script = Path.of("gdchaos").toAbsolutePath();
            if (Files.isExecutable(script)) return List.of(script.toString());
            throw new IllegalArgumentException("gdchaos is not running from its jar, so the batch script cannot tell "
                    + "how to start it: pass --gdchaos '/abs/path/to/java --add-modules jdk.incubator.vector -jar "
                    + "/abs/path/to/gdchaos.jar'");
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path copy = slurmDir.resolve(JAR);
        try {
            Files.createDirectories(slurmDir);
            if (!jar.toAbsolutePath().normalize().equals(copy.toAbsolutePath().normalize())) {
                org.gdchaos.io.AtomicFiles.write(copy, tmp -> Files.copy(jar, tmp, StandardCopyOption.REPLACE_EXISTING));
            }
        } catch (IOException e) {
            throw new org.gdchaos.sweep.store.OutputFolderException("cannot copy " + jar + " to " + copy + ": " + e.getMessage());
        }
        return javaJar(java, copy.toAbsolutePath());
    }

    /** The jar this class was loaded from, or null (classes folder, IDE). */
    static Path runningJar() {
        try {
            var src = Launcher.class.getProtectionDomain().getCodeSource();
            if (src == null) return null;
            Path p = Path.of(src.getLocation().toURI());
            return Files.isRegularFile(p) && p.toString().endsWith(".jar") ? p : null;
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            return null;
        }
    }
}
