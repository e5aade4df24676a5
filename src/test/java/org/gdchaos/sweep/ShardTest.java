package org.gdchaos.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShardTest {
    @Test
    void parsesAndValidates() {
        assertEquals(new Shard(2, 5), Shard.parse("2/5"));
        assertEquals(new Shard(0, 1), Shard.parse(" 0 / 1 "));
        assertThrows(IllegalArgumentException.class, () -> Shard.parse("5/5"));
        assertThrows(IllegalArgumentException.class, () -> Shard.parse("1/0"));
        assertThrows(IllegalArgumentException.class, () -> Shard.parse("-1/3"));
        assertThrows(IllegalArgumentException.class, () -> Shard.parse("1-3"));
        assertThrows(IllegalArgumentException.class, () -> Shard.parse("99999999999/3"));
        assertThrows(IllegalArgumentException.class, () -> Shard.parse(null));
    }

    @Test
    void folderNamesRoundTrip() {
        Shard s = new Shard(3, 10);
        assertEquals("3-of-10", s.folderName());
        assertEquals(Path.of("out", "shards", "3-of-10"), s.folder(Path.of("out")));
        assertEquals(s, Shard.fromFolderName("3-of-10"));
        assertNull(Shard.fromFolderName("10-of-10"));
        assertNull(Shard.fromFolderName("x-of-2"));
        assertNull(Shard.fromFolderName("1-of-2.tmp"));
    }

    /** Every cell lands in exactly one shard, round robin over the grid order, for any N. */
    @Test
    void partitionsTheGridRoundRobin() {
        int lrs = 5;
        int inits = 7;
        List<Cell> grid = new ArrayList<>();
        for (int i = 0; i < lrs; i++) for (int j = 0; j < inits; j++) grid.add(new Cell(i, 0.1 * (i + 1), j));
        for (int n = 1; n <= 40; n++) {
            Map<String, Integer> owner = new HashMap<>();
            int[] sizes = new int[n];
            for (int k = 0; k < n; k++) {
                Shard s = new Shard(k, n);
                for (Cell c : grid) {
                    if (s.contains(c, inits)) {
                        assertNull(owner.put(c.key(), k), "cell " + c.key() + " in two shards for N=" + n);
                        sizes[k]++;
                    }
                }
            }
            assertEquals(grid.size(), owner.size(), "every cell in some shard, N=" + n);
            for (int k = 0; k < grid.size(); k++) assertEquals(k % n, owner.get(grid.get(k).key()));
            for (int sz : sizes) assertTrue(Math.abs(sz - grid.size() / (double) n) < 1, "balanced, N=" + n);
        }
    }
}
