package org.gdchaos.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.gdchaos.InputException;

/**
 * Folder arguments read as text and turned into paths by the command, so that a name the system
 * cannot spell is one line and exit 3 (bad input) instead of picocli's usage screen (exit 2) or an
 * internal error: the empty name (which would mean the current directory), and a name with
 * characters the file-name encoding cannot represent (e.g. non-ASCII under {@code LC_ALL=C}).
 */
final class PathArgs {
    private PathArgs() {
    }

    /**
     * The folder {@code text} names, given by {@code what} (a flag, or an argument's label).
     *
     * @throws InputException when it is empty or blank, or not a path on this system
     */
    static Path folder(String what, String text) {
        if (text == null) return null;
        if (text.isBlank()) {
            throw new InputException(what + ": the folder name is empty (it would mean the current directory); "
                    + "name a folder" + (what.startsWith("--") ? ", e.g. " + what + " ./results" : ""));
        }
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw new InputException(what + ": '" + text + "' is not a valid path here (" + e.getReason() + "; the file "
                    + "name encoding is " + System.getProperty("sun.jnu.encoding", "unknown") + ": set a UTF-8 locale, "
                    + "e.g. LC_ALL=C.UTF-8, or use an ASCII name)");
        }
    }
}
