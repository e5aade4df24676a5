package org.gdchaos.plot;

import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.font.FontRenderContext;
import java.awt.font.TextLayout;
import java.awt.geom.AffineTransform;
import java.awt.geom.PathIterator;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Recognises text that XChart draws as glyph outlines and draws it as text again.
 *
 * <p>XChart draws every label by filling {@code new TextLayout(text, font, frc).getOutline(at)}
 * ({@code at}: nothing, or a quarter turn for a vertical axis title), so a vector file gets paths,
 * not text: labels could not be edited, searched or restyled. Given the strings a chart can show (its
 * title, axis titles, series names and tick labels) and its fonts, a filled shape whose path is
 * exactly a candidate's outline moved by (tx, ty) — or turned by −90° and moved — is that text at
 * baseline origin (tx, ty). {@link #fill} draws such a shape with {@link Graphics2D#drawString}
 * (VectorGraphics2D writes an SVG {@code <text>}, PdfBoxGraphics2D a PDF text object), any other
 * shape as a shape. Candidates are looked up by (number of path segments, width, height) of the
 * outline and confirmed point by point, within 0.01 px.
 */
final class TextOutlines {
    /** A candidate text's outline at the origin. */
    private record Outline(String text, Font font, int[] types, double[] coords) {
    }

    /** A recognised text: its string and font, baseline origin, and whether it is turned a quarter left. */
    record Match(String text, Font font, double x, double y, boolean turned) {
    }

    private final Set<String> texts;
    /** The advance (width) of each text drawn so far, in drawing order. */
    private final List<Double> advances = new ArrayList<>();
    private final Collection<Font> fonts;
    private FontRenderContext frc;
    private Map<String, List<Outline>> byKey;

    TextOutlines(Collection<String> texts, Collection<Font> fonts) {
        this.texts = new LinkedHashSet<>();
        for (String t : texts) if (t != null && !t.isBlank()) this.texts.add(t);
        this.fonts = List.copyOf(new LinkedHashSet<>(fonts));
    }

    private static String key(int segments, double w, double h) {
        return segments + ":" + Math.round(w * 10) + ":" + Math.round(h * 10);
    }

    private void build(FontRenderContext context) {
        frc = context;
        byKey = new HashMap<>();
        for (String t : texts) {
            for (Font f : fonts) {
                Shape s = new TextLayout(t, f, context).getOutline(null);
                Outline o = outline(t, f, s);
                if (o == null) continue;
                var b = s.getBounds2D();
                byKey.computeIfAbsent(key(o.types.length, b.getWidth(), b.getHeight()), k -> new ArrayList<>()).add(o);
                byKey.computeIfAbsent(key(o.types.length, b.getHeight(), b.getWidth()), k -> new ArrayList<>()).add(o);
            }
        }
    }

    private static Outline outline(String t, Font f, Shape s) {
        List<Integer> types = new ArrayList<>();
        List<Double> coords = new ArrayList<>();
        double[] c = new double[6];
        for (PathIterator it = s.getPathIterator(null); !it.isDone(); it.next()) {
            int type = it.currentSegment(c);
            types.add(type);
            int n = switch (type) {
                case PathIterator.SEG_MOVETO, PathIterator.SEG_LINETO -> 2;
                case PathIterator.SEG_QUADTO -> 4;
                case PathIterator.SEG_CUBICTO -> 6;
                default -> 0;
            };
            for (int i = 0; i < n; i++) coords.add(c[i]);
        }
        if (types.isEmpty()) return null;
        return new Outline(t, f, types.stream().mapToInt(Integer::intValue).toArray(),
                coords.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** The advance of each text {@link #fill} drew as text, in order. */
    List<Double> advances() {
        return advances;
    }

    /** The text whose outline {@code s} is (moved, or turned and moved), or null. */
    Match match(Shape s, FontRenderContext context) {
        if (texts.isEmpty()) return null;
        if (byKey == null || !context.equals(frc)) build(context);
        Outline o = outline("", null, s);
        if (o == null) return null;
        var b = s.getBounds2D();
        List<Outline> cands = byKey.get(key(o.types.length, b.getWidth(), b.getHeight()));
        if (cands == null) return null;
        for (Outline c : cands) {
            if (!java.util.Arrays.equals(c.types, o.types)) continue;
            for (boolean turned : new boolean[] {false, true}) {
                // plain: (x, y) + t; turned by −90°: (y, −x) + t
                double tx = o.coords[0] - (turned ? c.coords[1] : c.coords[0]);
                double ty = o.coords[1] - (turned ? -c.coords[0] : c.coords[1]);
                boolean same = true;
                for (int i = 0; i < o.coords.length && same; i += 2) {
                    double x = turned ? c.coords[i + 1] : c.coords[i];
                    double y = turned ? -c.coords[i] : c.coords[i + 1];
                    same = Math.abs(o.coords[i] - x - tx) < 0.01 && Math.abs(o.coords[i + 1] - y - ty) < 0.01;
                }
                if (same) return new Match(c.text, c.font, tx, ty, turned);
            }
        }
        return null;
    }

    /**
     * Fills {@code s} on {@code g}: as text when it is a candidate's outline ({@code text} draws it with
     * the graphics' colour), else with {@code shape}.
     */
    void fill(Graphics2D g, Shape s, java.util.function.Consumer<Shape> shape) {
        if (inText) { // drawString below fills glyph outlines through the same graphics: draw those as shapes
            shape.accept(s);
            return;
        }
        inText = true;
        try {
            fillOrWrite(g, s, shape);
        } finally {
            inText = false;
        }
    }

    /** Whether {@link #fill} is writing a text (the fills it causes are that text's glyphs). */
    private boolean inText;

    private void fillOrWrite(Graphics2D g, Shape s, java.util.function.Consumer<Shape> shape) {
        Match m = match(s, g.getFontRenderContext());
        if (m == null) {
            shape.accept(s);
            return;
        }
        Font before = g.getFont();
        AffineTransform at = g.getTransform();
        g.setFont(m.font());
        g.translate(m.x(), m.y());
        if (m.turned()) g.rotate(-Math.PI / 2);
        g.drawString(m.text(), 0f, 0f);
        advances.add((double) new TextLayout(m.text(), m.font(), g.getFontRenderContext()).getAdvance());
        g.setTransform(at);
        g.setFont(before);
    }
}
