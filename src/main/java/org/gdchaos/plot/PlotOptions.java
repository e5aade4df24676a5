package org.gdchaos.plot;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.gdchaos.InputException;

/**
 * Size and file formats of the figures a sweep, merge or report writes.
 *
 * @param width   width in pixels (PNG) or points (SVG, PDF); fonts scale with it
 * @param height  height in the same unit
 * @param formats the files written per figure (at least one)
 */
public record PlotOptions(int width, int height, Set<Charts.Format> formats) {
    /** Setting names of {@link InputException}s about these options. */
    public static final String SIZE_SETTING = "plotSize";
    public static final String FORMAT_SETTING = "plotFormat";
    /** Smallest and largest accepted side in pixels. */
    public static final int MIN_SIDE = 200, MAX_SIDE = 8000;

    /** 1600×1000, PNG and SVG: readable on a slide and on a screen. */
    public static final PlotOptions DEFAULT = new PlotOptions(1600, 1000, EnumSet.of(Charts.Format.PNG,
            Charts.Format.SVG));

    public PlotOptions {
        if (width < MIN_SIDE || height < MIN_SIDE || width > MAX_SIDE || height > MAX_SIDE) {
            throw new InputException(SIZE_SETTING, "the figure size must be between " + MIN_SIDE + " and " + MAX_SIDE
                    + " pixels per side, got " + width + "x" + height);
        }
        if (formats.isEmpty()) throw new InputException(FORMAT_SETTING, "at least one figure format is needed");
        formats = Set.copyOf(EnumSet.copyOf(formats));
    }

    /**
     * Parses the command line's {@code WxH} and {@code png,svg,pdf}; a null argument keeps the default.
     *
     * @throws InputException naming the option's setting for a malformed value
     */
    public static PlotOptions parse(String size, String formats) {
        int w = DEFAULT.width, h = DEFAULT.height;
        if (size != null) {
            String[] p = size.trim().toLowerCase(Locale.ROOT).split("[x×]");
            try {
                if (p.length != 2) throw new NumberFormatException();
                w = Integer.parseInt(p[0].trim());
                h = Integer.parseInt(p[1].trim());
            } catch (NumberFormatException e) {
                throw new InputException(SIZE_SETTING, "the figure size must be WIDTHxHEIGHT in pixels, e.g. 1600x1000, "
                        + "got '" + size + "'");
            }
        }
        Set<Charts.Format> f = EnumSet.noneOf(Charts.Format.class);
        if (formats == null) {
            f.addAll(DEFAULT.formats);
        } else {
            for (String s : formats.split(",")) {
                String t = s.trim().toLowerCase(Locale.ROOT);
                if (t.isEmpty()) continue;
                Charts.Format found = null;
                for (Charts.Format c : Charts.Format.values()) if (c.extension().equals(t)) found = c;
                if (found == null) {
                    throw new InputException(FORMAT_SETTING, "unknown figure format '" + s.trim() + "' (png, svg or pdf, "
                            + "comma-separated)");
                }
                f.add(found);
            }
        }
        return new PlotOptions(w, h, f);
    }

    /** Font scale relative to the 1600-pixel-wide default: min(width/1600, height/1000). */
    public double scale() {
        return Math.min(width / 1600.0, height / 1000.0);
    }

    /** {@code 1600x1000 png,svg}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(width).append('x').append(height).append(' ');
        String sep = "";
        for (Charts.Format c : Charts.Format.values()) {
            if (formats.contains(c)) {
                sb.append(sep).append(c.extension());
                sep = ",";
            }
        }
        return sb.toString();
    }
}
