package org.gdchaos.backend.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.gdchaos.backend.DType;

/**
 * A {@link CudaDriver} without a GPU: memory is host byte arrays (new allocations are filled
 * with garbage so missing zeroing shows), copies are immediate, GEMM runs the column-major
 * emulation {@link ColumnMajorGemm}, and kernel launches are recorded (not executed) so tests
 * can check their geometry and arguments.
 */
final class FakeCudaDriver implements CudaDriver {

    record FakeMemory(int id, ByteBuffer data) implements Memory {
        @Override
        public long bytes() {
            return data.capacity();
        }
    }

    record FakePinned(ByteBuffer data) implements Pinned {
    }

    final List<KernelLaunch> launches = new ArrayList<>();
    final List<String> events = new ArrayList<>();
    int liveMemory;
    int livePinned;
    int synchronizations;
    boolean closed;
    private int nextId;

    @Override
    public DeviceInfo info() {
        return new DeviceInfo(0, "Fake GPU", 9, 0, 1L << 30, 4, 12040);
    }

    private void open() {
        if (closed) throw new IllegalStateException("fake driver closed");
    }

    @Override
    public Memory allocate(long bytes) {
        open();
        byte[] garbage = new byte[(int) bytes];
        Arrays.fill(garbage, (byte) 0x7f);
        liveMemory++;
        events.add("allocate " + bytes);
        return new FakeMemory(nextId++, ByteBuffer.wrap(garbage).order(ByteOrder.nativeOrder()));
    }

    @Override
    public void free(Memory memory) {
        open();
        liveMemory--;
        events.add("free " + ((FakeMemory) memory).id());
    }

    @Override
    public Pinned allocatePinned(long bytes) {
        open();
        livePinned++;
        return new FakePinned(ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.nativeOrder()));
    }

    @Override
    public void freePinned(Pinned pinned) {
        open();
        livePinned--;
    }

    private static void copy(ByteBuffer src, long srcOffset, ByteBuffer dst, long dstOffset, long bytes) {
        for (long i = 0; i < bytes; i++) dst.put((int) (dstOffset + i), src.get((int) (srcOffset + i)));
    }

    @Override
    public void memsetZero(Memory dst, long dstOffset, long bytes) {
        open();
        events.add("memset " + dstOffset + " " + bytes);
        ByteBuffer d = ((FakeMemory) dst).data();
        for (long i = 0; i < bytes; i++) d.put((int) (dstOffset + i), (byte) 0);
    }

    @Override
    public void copyToDevice(Pinned src, long srcOffset, Memory dst, long dstOffset, long bytes) {
        open();
        events.add("h2d " + bytes);
        copy(src.data(), srcOffset, ((FakeMemory) dst).data(), dstOffset, bytes);
    }

    @Override
    public void copyToHost(Memory src, long srcOffset, Pinned dst, long dstOffset, long bytes) {
        open();
        events.add("d2h " + bytes);
        copy(((FakeMemory) src).data(), srcOffset, dst.data(), dstOffset, bytes);
    }

    @Override
    public void copyOnDevice(Memory src, long srcOffset, Memory dst, long dstOffset, long bytes) {
        open();
        events.add("d2d " + bytes);
        copy(((FakeMemory) src).data(), srcOffset, ((FakeMemory) dst).data(), dstOffset, bytes);
    }

    @Override
    public void awaitStaging(Pinned staging) {
        open();
    }

    /** Dtypes whose module was prepared, in order. */
    final List<DType> prepared = new ArrayList<>();
    /** When set, {@link #prepare} throws it (a kernel build failure). */
    RuntimeException prepareFails;

    @Override
    public void prepare(DType dtype) {
        open();
        if (prepareFails != null) throw prepareFails;
        if (!prepared.contains(dtype)) {
            prepared.add(dtype);
            events.add("prepare " + dtype.label());
        }
    }

    @Override
    public void launch(KernelLaunch launch) {
        open();
        if (!prepared.contains(launch.dtype())) throw new IllegalStateException("launch before prepare(" + launch.dtype() + ")");
        events.add("launch " + launch.kernel());
        launches.add(launch);
    }

    static double[] read(DType t, Memory m) {
        ByteBuffer b = ((FakeMemory) m).data();
        double[] x = new double[(int) (m.bytes() / t.bytes())];
        for (int i = 0; i < x.length; i++) x[i] = t == DType.F32 ? b.getFloat(i * 4) : b.getDouble(i * 8);
        return x;
    }

    static void write(DType t, Memory m, double[] x) {
        ByteBuffer b = ((FakeMemory) m).data();
        for (int i = 0; i < x.length; i++) {
            if (t == DType.F32) b.putFloat(i * 4, (float) x[i]);
            else b.putDouble(i * 8, x[i]);
        }
    }

    @Override
    public void gemm(DType dtype, CublasGemmArgs args, double alpha, Memory a, Memory b, double beta, Memory c) {
        open();
        events.add("gemm");
        double[] cv = read(dtype, c);
        ColumnMajorGemm.gemmStridedBatched(args, alpha, read(dtype, a), read(dtype, b), beta, cv);
        write(dtype, c, cv);
    }

    @Override
    public void synchronize() {
        open();
        events.add("sync");
        synchronizations++;
    }

    @Override
    public void close() {
        closed = true;
    }
}
