package io.mailflow.simulator.report;

import java.util.List;
import java.util.Locale;

/**
 * Simulator report: a small SVG line-chart writer for report.html — time on the x axis in
 * simulated hours and minutes, one polyline per series, a legend. No script and no external
 * file, so the report reads offline.
 */
final class Svg {
    static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
        "#7f7f7f", "#bcbd22", "#17becf"};
    private static final int W = 640;
    private static final int H = 240;
    private static final int LEFT = 56;
    private static final int RIGHT = 12;
    private static final int TOP = 28;
    private static final int BOTTOM = 40;

    record Line(String name, long[] values) {
    }

    private Svg() {
    }

    static String chart(String title, String unit, List<Line> lines, int minutes) {
        StringBuilder s = new StringBuilder();
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(W).append("\" height=\"")
            .append(H + 18 * ((lines.size() + 2) / 3)).append("\" role=\"img\" font-family=\"sans-serif\" font-size=\"11\">");
        s.append("<title>").append(Html.escape(title)).append("</title>");
        s.append("<text x=\"").append(LEFT).append("\" y=\"16\" font-size=\"13\" font-weight=\"bold\">")
            .append(Html.escape(title)).append("</text>");
        long max = 1;
        for (Line l : lines) {
            for (long v : l.values()) {
                max = Math.max(max, v);
            }
        }
        long top = niceCeiling(max);
        int plotW = W - LEFT - RIGHT;
        int plotH = H - TOP - BOTTOM;
        int span = Math.max(1, minutes - 1);
        s.append("<rect x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"").append(plotW)
            .append("\" height=\"").append(plotH).append("\" fill=\"#fafafa\" stroke=\"#ccc\"/>");
        for (int i = 0; i <= 4; i++) {
            double y = TOP + plotH - plotH * i / 4.0;
            s.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(LEFT + plotW).append("\" y1=\"").append(f(y))
                .append("\" y2=\"").append(f(y)).append("\" stroke=\"#e4e4e4\"/>");
            s.append("<text x=\"").append(LEFT - 4).append("\" y=\"").append(f(y + 4)).append("\" text-anchor=\"end\">")
                .append(Report.n(top * i / 4)).append("</text>");
        }
        int step = tickStep(minutes);
        for (int m = 0; m < minutes; m += step) {
            double x = LEFT + (double) plotW * m / span;
            s.append("<line x1=\"").append(f(x)).append("\" x2=\"").append(f(x)).append("\" y1=\"").append(TOP + plotH)
                .append("\" y2=\"").append(TOP + plotH + 4).append("\" stroke=\"#888\"/>");
            s.append("<text x=\"").append(f(x)).append("\" y=\"").append(TOP + plotH + 16).append("\" text-anchor=\"middle\">")
                .append(String.format(Locale.ROOT, "%d:%02d", m / 60, m % 60)).append("</text>");
        }
        s.append("<text x=\"").append(LEFT + plotW).append("\" y=\"").append(TOP + plotH + 30)
            .append("\" text-anchor=\"end\" fill=\"#555\">simulated time (h:mm); ").append(Html.escape(unit))
            .append("</text>");
        for (int i = 0; i < lines.size(); i++) {
            Line l = lines.get(i);
            String colour = COLOURS[i % COLOURS.length];
            s.append("<polyline fill=\"none\" stroke-width=\"1.5\" stroke=\"").append(colour).append("\" points=\"");
            long[] v = l.values();
            for (int m = 0; m < Math.min(minutes, v.length); m++) {
                double x = LEFT + (double) plotW * m / span;
                double y = TOP + plotH - (double) plotH * v[m] / top;
                s.append(f(x)).append(',').append(f(y)).append(' ');
            }
            s.append("\"/>");
            int lx = LEFT + (i % 3) * 200;
            int ly = H + 18 * (i / 3) - 4;
            s.append("<rect x=\"").append(lx).append("\" y=\"").append(ly - 9).append("\" width=\"10\" height=\"10\" fill=\"")
                .append(colour).append("\"/>");
            s.append("<text x=\"").append(lx + 14).append("\" y=\"").append(ly).append("\">")
                .append(Html.escape(shorten(l.name()))).append("</text>");
        }
        s.append("</svg>");
        return s.toString();
    }

    private static String shorten(String name) {
        return name.length() > 30 ? name.substring(0, 29) + "…" : name;
    }

    private static int tickStep(int minutes) {
        int[] steps = {1, 5, 10, 15, 30, 60, 120, 180, 240, 360, 720, 1440};
        for (int st : steps) {
            if (minutes / st <= 8) {
                return st;
            }
        }
        return 2880;
    }

    static long niceCeiling(long max) {
        long p = 1;
        while (p * 10 < max) {
            p *= 10;
        }
        for (long m : new long[] {1, 2, 4, 5, 10}) {
            if (p * m >= max) {
                return p * m;
            }
        }
        return p * 10;
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
