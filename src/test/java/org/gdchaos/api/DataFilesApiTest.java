package org.gdchaos.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gdchaos.backend.Activation;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.Loss;
import org.gdchaos.cli.Main;
import org.gdchaos.data.Normalization;
import org.gdchaos.data.NpyTestFiles;
import org.gdchaos.nn.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A regression sweep on .npy arrays with a CSV test set and --normalize unit: the Java API as the command line. */
class DataFilesApiTest {
    @Test
    void npyTrainingCsvTestAndNormalizeAsTheCommandLine(@TempDir Path tmp) throws Exception {
        int n = 30;
        double[] x = new double[n * 2];
        double[] y = new double[n];
        StringBuilder csv = new StringBuilder("u,v,t\n");
        for (int i = 0; i < n; i++) {
            x[2 * i] = i % 7;
            x[2 * i + 1] = 100 + (i * 13) % 11;
            y[i] = Math.sin(x[2 * i]) + 0.01 * x[2 * i + 1];
            if (i < 8) csv.append(x[2 * i] + 0.5).append(',').append(x[2 * i + 1]).append(',').append(y[i]).append('\n');
        }
        Path xp = NpyTestFiles.write(tmp, "x.npy", NpyTestFiles.npy(">f8", new long[] {n, 2}, x));
        Path yp = NpyTestFiles.write(tmp, "y.npy", NpyTestFiles.npy("<f4", new long[] {n, 1}, y));
        Path cp = NpyTestFiles.text(tmp, "t.csv", csv.toString());
        String data = "npy:" + xp + "," + yp;
        String test = "csv:" + cp + ":target=t";
        Path cliDir = tmp.resolve("cli"), apiDir = tmp.resolve("api");
        StringWriter o = new StringWriter(), e = new StringWriter();
        int code = Main.run(new PrintWriter(o), new PrintWriter(e), "sweep", "--data", data, "--test-data", test,
                "--normalize", "unit", "--layers", "2,5,1", "--loss", "mse", "--lr", "0.3,2", "--inits", "2",
                "--steps", "15", "--backend", "java", "--quiet", "--out", cliDir.toString());
        assertEquals(0, code, e.toString());
        try (Backend be = Gdchaos.openBackend("java", DType.F64)) {
            Sweep.builder().data(data).testData(test).normalize(Normalization.UNIT)
                    .model(new ModelSpec(new int[] {2, 5, 1}, Activation.TANH, true, Loss.MSE))
                    .learningRates(0.3, 2).inits(2).steps(15).build().on(be).writeTo(apiDir).run();
        }
        ObjectMapper json = new ObjectMapper();
        JsonNode cli = json.readTree(cliDir.resolve("run.json").toFile());
        JsonNode api = json.readTree(apiDir.resolve("run.json").toFile());
        assertEquals(cli.get("spec"), api.get("spec"));
        assertEquals(cli.get("data"), api.get("data"));
        assertEquals(8, api.at("/data/test/samples").asInt());
        assertEquals(0.0, api.at("/data/normalization/shift/0").asDouble(), "min of u over the training set");
        assertEquals(1.0 / 6, api.at("/data/normalization/scale/0").asDouble(), 1e-15, "1 / (max − min) of u");
        assertEquals(Files.readString(cliDir.resolve("results.csv")), Files.readString(apiDir.resolve("results.csv")));
    }
}
