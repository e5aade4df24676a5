package org.gdchaos.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.gdchaos.backend.Activation;
import org.junit.jupiter.api.Test;

class DataSpecTest {

    @Test
    void parsesEveryForm() {
        assertInstanceOf(EmbeddedMnist.class, DataSpec.parse("mnist-10k"));
        assertInstanceOf(EmbeddedMnist.class, DataSpec.parse("  "));
        IdxFolder f = assertInstanceOf(IdxFolder.class, DataSpec.parse("fashion-mnist"));
        assertEquals(Path.of("/usr/share/datasets/fashion-mnist"), f.dir());
        IdxFolder g = assertInstanceOf(IdxFolder.class, DataSpec.parse("idx:/tmp/some dir"));
        assertEquals(Path.of("/tmp/some dir"), g.dir());
        ScalarSource s = assertInstanceOf(ScalarSource.class, DataSpec.parse("scalar:x=2,y=-0.5"));
        assertEquals(2.0, s.x());
        assertEquals(-0.5, s.y());
        TeacherStudent t = assertInstanceOf(TeacherStudent.class,
                DataSpec.parse("teacher:in=5,hidden=3,out=2,n=40,seed=7"));
        assertEquals(new TeacherStudent(5, 3, 2, 40, 40, 7, 0.0, Activation.TANH), t);
        TeacherStudent u = (TeacherStudent) DataSpec.parse(
                "teacher: in=5, hidden=0, out=1, n=10, seed=-3, test=4, noise=0.1, act=relu");
        assertEquals(new TeacherStudent(5, 0, 1, 10, 4, -3, 0.1, Activation.RELU), u);
        // spec() round-trips
        assertEquals(u, DataSpec.parse(u.spec()));
        assertEquals(s, DataSpec.parse(s.spec()));
    }

    @Test
    void scalarIsOneRegressionSampleUsedForTrainAndTest() {
        DataSplit d = DataSpec.parse("scalar:x=1.5,y=3").load();
        assertSame(d.train(), d.test());
        assertFalse(d.isClassification());
        assertNull(d.train().labels());
        assertArrayEquals(new double[] {1.5}, d.train().x());
        assertArrayEquals(new double[] {3.0}, d.train().y());
        assertEquals(1, DataSpec.parse("scalar:x=1,y=1").load(1, 1).train().n());
        assertThrows(DataException.class, () -> DataSpec.parse("scalar:x=1,y=1").load(2, 0));
    }

    /** Vectors are flat samples, known before loading. */
    @Test
    void vectorDataIsFlat() {
        DataSource scalar = DataSpec.parse("scalar:x=1.5,y=3");
        assertEquals(org.gdchaos.data.Shape.flat(1), scalar.sampleShape());
        assertEquals(scalar.sampleShape(), scalar.load().shape());
        DataSource teacher = DataSpec.parse("teacher:in=5,hidden=3,out=2,n=40,seed=7");
        assertEquals(org.gdchaos.data.Shape.flat(5), teacher.sampleShape());
        assertEquals(teacher.sampleShape(), teacher.load().shape());
        assertEquals(teacher.sampleShape(), teacher.load().test().shape());
    }

    private static void rejects(String spec, String fragment) {
        DataException e = assertThrows(DataException.class, () -> DataSpec.parse(spec));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        assertTrue(e.getMessage().contains("teacher:in=D"), "lists accepted forms: "
                + e.getMessage());
    }

    @Test
    void badSpecsListTheAcceptedForms() {
        rejects("cifar100:/data", "unknown data spec 'cifar100:/data'");
        rejects("cifar10", "cifar10: needs a folder");
        rejects("npy:x.npy", "npy: takes two files");
        rejects("npy:x.npy,y.npy:layout=chw", "layout must be nhwc or nchw");
        rejects("npz:d.npz:z=a", "unknown key 'z'");
        rejects("npz:d.npz:classes=0", "classes must be in 1..100000");
        rejects("csv:t.csv:label=a,b", "expected key=value, got 'b'");
        rejects("csv:t.csv:colour=a", "unknown key 'colour'");
        rejects("mnist", "unknown data spec");
        rejects("idx:", "needs a folder");
        rejects("scalar:x=1", "missing 'y='");
        rejects("scalar:x=1,y=abc", "y must be a number");
        rejects("scalar:x=1,y=NaN", "y must be finite");
        rejects("scalar:x=1,y=2,z=3", "unknown key 'z'");
        rejects("scalar:x=1,x=2,y=3", "given twice");
        rejects("scalar:x1", "expected key=value");
        rejects("teacher:in=2,hidden=2,out=1,n=5", "missing 'seed='");
        rejects("teacher:in=2,hidden=2,out=1,n=5,seed=1.5", "seed must be an integer");
        rejects("teacher:in=0,hidden=2,out=1,n=5,seed=1", "must be positive");
        rejects("teacher:in=2,hidden=2,out=1,n=5,seed=1,noise=-1", "noise");
        rejects("teacher:in=2,hidden=2,out=1,n=5,seed=1,act=swish", "swish");
    }
}
