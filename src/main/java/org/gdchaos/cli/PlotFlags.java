package org.gdchaos.cli;

import org.gdchaos.plot.PlotOptions;
import picocli.CommandLine.Option;

/** {@code --plot-size WxH --plot-format png,svg,pdf}: the figure options of sweep, merge and report. */
public final class PlotFlags {
    @Option(names = Flags.PLOT_SIZE, paramLabel = "WxH", description = "figure size in pixels (default 1600x1000; "
            + "fonts scale with it)")
    String size;

    @Option(names = Flags.PLOT_FORMAT, paramLabel = "LIST", description = "figure files: png, svg and/or pdf, "
            + "comma-separated (default png,svg; report.html always inlines SVG)")
    String format;

    /** The options, checked (an InputException names the flag). */
    public PlotOptions options() {
        return PlotOptions.parse(size, format);
    }
}
