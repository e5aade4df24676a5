import org.gdchaos.api.Gdchaos;
import org.gdchaos.api.LearningRateSummary;
import org.gdchaos.api.Sweep;
import org.gdchaos.api.SweepResults;
import org.gdchaos.api.SweepRow;
import org.gdchaos.backend.Activation;
import org.gdchaos.backend.Backend;
import org.gdchaos.backend.Loss;
import org.gdchaos.lyapunov.Method;
import org.gdchaos.nn.ModelSpec;

/**
 * A sweep built in code: a small teacher–student regression task, a 4-16-2 tanh network, four
 * learning rates × two initialisations, the maximal Lyapunov exponent λ1 by Benettin's method.
 * Prints λ1 per learning rate (mean over the initialisations, with its 95% interval).
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp target/gdchaos.jar examples/SweepFromCode.java [backend]}
 * (backend: auto, java, opencl or cuda; default auto).
 */
public class SweepFromCode {
    public static void main(String[] args) {
        Sweep sweep = Sweep.builder()
                .data("teacher:in=4,hidden=8,out=2,n=64,seed=3")
                .model(new ModelSpec(new int[] {4, 16, 2}, Activation.TANH, true, Loss.MSE))
                .learningRates(0.05, 0.1, 0.2, 0.4)
                .inits(2)
                .method(Method.BENETTIN)
                .steps(150)
                .build();
        try (Backend backend = Gdchaos.openBackend(args.length > 0 ? args[0] : "auto", sweep.dtype())) {
            System.out.println("backend: " + backend.name());
            SweepResults results = sweep.on(backend)
                    .progress((done, total) -> { }) // e.g. a progress bar: done of total trajectory-steps
                    .curves(true)
                    .run();
            System.out.printf("%8s %12s %24s %10s%n", "lr", "lambda_1", "95% interval", "diverged");
            for (LearningRateSummary s : results.summary()) {
                System.out.printf("%8.3g %12.5f   [%9.5f, %9.5f] %9.0f%%%n", s.lr(), s.lambda1Mean(),
                        s.lambda1CiLow(), s.lambda1CiHigh(), 100 * s.divergedFraction());
            }
            SweepRow first = results.row(0, 0);
            double[] loss = first.curve("loss");
            System.out.printf("cell (lr %.3g, init 0): loss %.4g -> %.4g over %d steps%n", first.lr(), loss[0],
                    loss[loss.length - 1], loss.length - 1);
        }
    }
}
