package org.gdchaos.backend.cuda;

import com.github.luben.zstd.Zstd;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A reader of NVIDIA fat binaries as nvcc 13 writes them (no cuobjdump needed): a 16-byte
 * header (magic 0xBA55ED50, version u16, header size u16, payload size u64), then entries, each
 * with a header of its own: kind u16 (1 = PTX, 2 = ELF cubin), version u16, header size u32,
 * padded payload size u64, stored payload size u32, u32, minor u16, major u16, architecture
 * u32 (e.g. 90), name offset u32, name length u32, flags u64, u64, uncompressed size u64.
 * Payloads that start with the zstd magic are decompressed ({@code --compress-mode=size}).
 */
final class Fatbin {
    static final int MAGIC = 0xBA55ED50;
    private static final byte[] ZSTD = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd};

    /** One entry: "sm_90" (cubin) or "compute_120" (PTX) and its uncompressed bytes. */
    record Entry(boolean ptx, int arch, byte[] data) {
        String name() {
            return (ptx ? "compute_" : "sm_") + arch;
        }

        String text() {
            return new String(data, StandardCharsets.ISO_8859_1);
        }
    }

    private Fatbin() {
    }

    static List<Entry> parse(byte[] file) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != MAGIC) throw new IllegalArgumentException("not a fat binary (magic " + Integer.toHexString(b.getInt(0)) + ")");
        int headerSize = Short.toUnsignedInt(b.getShort(6));
        long end = headerSize + b.getLong(8);
        if (end != file.length) throw new IllegalArgumentException("fat binary size " + end + " != file size " + file.length);
        List<Entry> out = new ArrayList<>();
        long off = headerSize;
        while (off < end) {
            int o = (int) off;
            int kind = Short.toUnsignedInt(b.getShort(o));
            int eh = b.getInt(o + 4);
            long padded = b.getLong(o + 8);
            int stored = b.getInt(o + 16);
            int arch = b.getInt(o + 28);
            long plain = b.getLong(o + 56);
            byte[] payload = new byte[stored];
            b.get(o + eh, payload);
            byte[] data;
            if (startsWith(payload, ZSTD)) {
                data = Zstd.decompress(payload, (int) plain);
                if (data.length != plain) throw new IllegalArgumentException("entry at " + off + ": bad zstd payload");
            } else {
                data = payload;
            }
            if (kind != 1 && kind != 2) throw new IllegalArgumentException("entry at " + off + ": unknown kind " + kind);
            out.add(new Entry(kind == 1, arch, data));
            off += eh + padded;
        }
        return out;
    }

    private static boolean startsWith(byte[] a, byte[] prefix) {
        if (a.length < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) if (a[i] != prefix[i]) return false;
        return true;
    }
}
