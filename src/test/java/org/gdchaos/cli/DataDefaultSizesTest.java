package org.gdchaos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gdchaos.sweep.SweepSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Default subset sizes depend on the data: 1000/1000 for MNIST-like images, everything for the
 * synthetic sources (the one scalar sample, the teacher's n). Explicit sizes win, and an
 * impossible explicit size is a clear error (exit 3).
 */
class DataDefaultSizesTest {
    @TempDir
    Path tmp;

    static SweepSpec spec(String... args) {
        SweepCommand c = new SweepCommand();
        new CommandLine(c).parseArgs(args);
        return c.buildSpec();
    }

    @Test
    void defaultsFollowTheDataSource() {
        SweepSpec mnist = spec();
        assertEquals(1000, mnist.data().trainSize());
        assertEquals(1000, mnist.data().testSize());
        SweepSpec scalar = spec("--data", "scalar:x=1,y=1", "--model", "linear");
        assertEquals(0, scalar.data().trainSize());
        assertEquals(0, scalar.data().testSize());
        SweepSpec teacher = spec("--data", "teacher:in=3,hidden=2,out=2,n=20,seed=4", "--layers", "3,4,2");
        assertEquals(0, teacher.data().trainSize());
        assertEquals(0, teacher.data().testSize());
        // explicit options and presets still win
        assertEquals(7, spec("--data", "teacher:in=3,hidden=2,out=2,n=20,seed=4", "--train-size", "7").data().trainSize());
        assertEquals(300, spec("--train-size", "300").data().trainSize());
        assertEquals(0, spec("--preset", "paper-mnist").data().trainSize());
    }

    @Test
    void scalarDataRunsWithoutSizeOptions() throws IOException {
        Path out = tmp.resolve("scalar");
        Cli c = Cli.run("sweep", "--data", "scalar:x=1,y=1", "--model", "linear", "--width", "2", "--lr", "0.1",
                "--inits", "1", "--steps", "5", "--backend", "java", "--quiet", "--out", out.toString());
        assertEquals(ExitCodes.OK, c.code(), c.toString());
        assertEquals(2, Files.readAllLines(out.resolve("results.csv")).size());
        assertTrue(Files.readString(out.resolve("run.json")).contains("\"samples_per_step\" : 1"));
    }

    @Test
    void teacherDataUsesAllItsSamplesByDefault() throws IOException {
        Path out = tmp.resolve("teacher");
        Cli c = Cli.run("sweep", "--data", "teacher:in=3,hidden=2,out=2,n=20,seed=4", "--layers", "3,4,2", "--loss",
                "mse", "--lr", "0.1", "--inits", "1", "--steps", "3", "--backend", "java", "--quiet", "--out",
                out.toString());
        assertEquals(ExitCodes.OK, c.code(), c.toString());
        assertTrue(Files.readString(out.resolve("run.json")).contains("\"samples_per_step\" : 20"));
    }

    @Test
    void impossibleExplicitSizesStillFail() {
        Cli scalar = Cli.run("sweep", "--data", "scalar:x=1,y=1", "--model", "linear", "--train-size", "2",
                "--backend", "java", "--quiet", "--out", tmp.resolve("a").toString());
        BadInputTest.fails(scalar, ExitCodes.BAD_INPUT, "exactly one sample", "train-size 2");
        Cli teacher = Cli.run("sweep", "--data", "teacher:in=3,hidden=2,out=2,n=20,seed=4", "--layers", "3,4,2",
                "--loss", "mse", "--test-size", "25", "--backend", "java", "--quiet", "--out",
                tmp.resolve("b").toString());
        BadInputTest.fails(teacher, ExitCodes.BAD_INPUT, "25 test samples requested but only 20 exist");
    }
}
