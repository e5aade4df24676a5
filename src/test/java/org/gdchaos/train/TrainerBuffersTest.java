package org.gdchaos.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gdchaos.backend.Activation;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.DType;
import org.gdchaos.backend.Loss;
import org.gdchaos.nn.CellSeeds;
import org.gdchaos.nn.InitSpec;
import org.gdchaos.nn.ModelSpec;
import org.gdchaos.nn.ParameterLayout;
import org.gdchaos.testing.LiveBuffers;
import org.gdchaos.testing.TestBackends;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Lifecycles of the trainer, the ensemble and the device data (issue 23, item 7), on Java and
 * OpenCL through the {@link LiveBuffers} counter: training with an evaluation of the training
 * and the test set after every step allocates the same number of device buffers for 3 steps as
 * for 12 (the trainer owns its evaluation buffer; it used to allocate and free two per
 * evaluation), repeated evaluations give the same numbers (the owned sums are cleared each
 * time), and a constructor whose allocation fails part-way leaves no buffer open.
 */
class TrainerBuffersTest {
    static final ModelSpec SPEC = new ModelSpec(new int[] {4, 5, 3}, Activation.TANH, true, Loss.CROSS_ENTROPY);
    static final int TT = 3;

    /** Allocations and live buffers after {@code steps} steps, each followed by two evaluations. */
    static long[] train(Backend real, int steps) {
        LiveBuffers counter = new LiveBuffers(real);
        Backend b = counter.backend();
        TinyData train = TinyData.classification(11, 4, 3, 1);
        TinyData test = TinyData.classification(7, 4, 3, 2);
        try (Ensemble e = new Ensemble(b, DType.F64, SPEC, TT);
             DeviceData dTrain = train.upload(b, DType.F64);
             DeviceData dTest = test.upload(b, DType.F64);
             Trainer tr = new Trainer(e, dTrain, new TrainConfig(0, 4, 0))) {
            for (int t = 0; t < TT; t++) {
                e.setParameters(t, InitSpec.normal(0.7).draw(new ParameterLayout(SPEC),
                        CellSeeds.stream(5, CellSeeds.INIT, t, 0)));
            }
            e.setLearningRates(new double[] {0.1, 0.2, 0.3});
            for (int s = 0; s < steps; s++) {
                tr.step();
                Evaluation a = tr.evaluate(dTrain);
                Evaluation again = tr.evaluate(dTrain);
                assertArrayEquals(a.loss(), again.loss(), "the evaluation sums are cleared before each evaluation");
                assertArrayEquals(a.accuracy(), again.accuracy());
                Evaluation part = tr.evaluate(dTest, 2);
                assertEquals(2, part.loss().length);
            }
            assertEquals(TT, tr.fullGradientNorms(TT).length);
        }
        return new long[] {counter.allocated(), counter.live()};
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "opencl"})
    void allocationsDoNotGrowWithTheSteps(String name) {
        try (Backend real = TestBackends.openOrSkip(name)) {
            long[] few = train(real, 3);
            long[] many = train(real, 12);
            assertTrue(few[0] > 0);
            assertEquals(few[0], many[0], name + ": allocations do not grow with the steps and evaluations");
            assertEquals(0, few[1], name + ": nothing left open");
            assertEquals(0, many[1], name + ": nothing left open");
        }
    }

    /** Every allocation of the ensemble, the data upload and the trainer, made to fail in turn. */
    @ParameterizedTest
    @ValueSource(strings = {"java", "opencl"})
    void aFailedAllocationLeavesNothingOpen(String name) {
        try (Backend real = TestBackends.openOrSkip(name)) {
            LiveBuffers probe = new LiveBuffers(real);
            TinyData train = TinyData.classification(11, 4, 3, 1);
            try (Ensemble e = new Ensemble(probe.backend(), DType.F64, SPEC, TT);
                 DeviceData d = train.upload(probe.backend(), DType.F64);
                 Trainer tr = new Trainer(e, d, new TrainConfig(0, 4, 0))) {
                tr.evaluate(d);
            }
            long total = probe.allocated();
            for (long i = 0; i < total; i++) {
                LiveBuffers counter = new LiveBuffers(real);
                Backend b = counter.backend();
                counter.failAllocation(i);
                assertThrows(LiveBuffers.PlantedFailure.class, () -> {
                    try (Ensemble e = new Ensemble(b, DType.F64, SPEC, TT);
                         DeviceData d = train.upload(b, DType.F64);
                         Trainer tr = new Trainer(e, d, new TrainConfig(0, 4, 0))) {
                        tr.evaluate(d);
                    }
                });
                assertEquals(0, counter.live(), name + ", allocation #" + i + " failed: " + counter.describeLive());
            }
        }
    }
}
