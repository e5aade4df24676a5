package org.gdchaos.lyapunov;

/**
 * Trajectory indices of C cells with R trajectories each, replica-major: trajectory
 * {@code r·C + c} is member r of cell c (r = 0 is the reference). So "member r of every cell"
 * is one view with offset {@code r·C·P} and stride P, and the references are trajectories
 * 0..C−1.
 *
 * @param cells   C
 * @param members R
 */
public record CellLayout(int cells, int members) {
    public CellLayout {
        if (cells < 1 || members < 1) throw new IllegalArgumentException("cells and members must be ≥ 1");
    }

    public int trajectories() {
        return cells * members;
    }

    /** Trajectory index of member r of cell c. */
    public int index(int r, int c) {
        return r * cells + c;
    }
}
