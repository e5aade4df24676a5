package org.gdchaos.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one atomic writer: a file is the old one or the new one, never half of either, and no temporary stays. */
class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void replacesTheFileAndLeavesNoTemporary() throws IOException {
        Path f = dir.resolve("summary.csv");
        Files.writeString(f, "old\n");
        assertEquals(f, AtomicFiles.writeString(f, "new, é\n"));
        assertEquals("new, é\n", Files.readString(f));
        AtomicFiles.write(f, new byte[] {1, 2, 3});
        assertEquals(3, Files.size(f));
        assertEquals(List.of("summary.csv"), names());
    }

    /** A write that fails half-way (the content throws after writing part) leaves the old file whole. */
    @Test
    void aFailedWriteKeepsTheOldFileAndRemovesTheTemporary() throws IOException {
        Path f = dir.resolve("run.json");
        Files.writeString(f, "{\"old\": true}\n");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(f, tmp -> {
            Files.writeString(tmp, "{\"new\": ");
            throw new IOException("No space left on device");
        }));
        assertEquals("No space left on device", e.getMessage());
        assertEquals("{\"old\": true}\n", Files.readString(f));
        assertEquals(List.of("run.json"), names());
    }

    /** The unchecked form names the file and the reason, in the caller's exception. */
    @Test
    void theUncheckedFormWordsTheFailure() throws IOException {
        Path f = dir.resolve("report.html");
        Files.createDirectories(dir.resolve("report.html.tmp/x")); // the temporary name is taken by a folder
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> AtomicFiles.writeString(f, "page", IllegalStateException::new));
        assertTrue(e.getMessage().startsWith("cannot write " + f + ": "), e.getMessage());
        assertFalse(Files.exists(f));
    }

    private List<String> names() throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
