/// The chart's colours and patterns, light and dark. Colour is never the only carrier: lanes are
/// labelled, long bouts hatched, quiet hours striped and labelled, snoozes dotted, nudges
/// shaped and lettered, and every mark has a title.
enum ChartStyle {
    /// Scoped to `.pc-chart`, so the page and a standalone SVG share it. The palette is
    /// Tableau 10's first four (distinct for the common colour-vision deficiencies).
    static let svgStyle = """
        <style>
        .pc-chart{--pc-fg:#1f2328;--pc-muted:#59636e;--pc-bg:#ffffff;--pc-track:#eef1f4;--pc-grid:#d8dee4;
        --pc-sitting:#4c78a8;--pc-standing:#f58518;--pc-walking:#54a24b;--pc-lying:#b279a2;--pc-gap:#8c959f;
        --pc-tilt:#1f4e79;--pc-lumbar:#7a3e00;--pc-threshold:#c62828;--pc-reference:#2e7d32;--pc-quiet:#6f42c1;--pc-snooze:#0969da;
        font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;font-size:12px;max-width:100%;height:auto}
        @media (prefers-color-scheme:dark){.pc-chart{--pc-fg:#e6edf3;--pc-muted:#9198a1;--pc-bg:#0d1117;--pc-track:#1c232c;--pc-grid:#30363d;
        --pc-sitting:#7aa6d6;--pc-standing:#ffa94d;--pc-walking:#7bc96f;--pc-lying:#d4a5c6;--pc-gap:#6e7681;
        --pc-tilt:#9ecbff;--pc-lumbar:#ffb86b;--pc-threshold:#ff7b72;--pc-reference:#7ee787;--pc-quiet:#bc8cff;--pc-snooze:#58a6ff}}
        .pc-chart text{fill:var(--pc-fg)}.pc-chart .pc-label{fill:var(--pc-muted)}.pc-heading{font-weight:600;font-size:14px}
        .pc-empty{font-size:15px;font-style:italic}.pc-note{font-style:italic;fill:var(--pc-muted)}
        .pc-frame{fill:none;stroke:var(--pc-grid)}.pc-track{fill:var(--pc-track)}.pc-grid,.pc-tick{stroke:var(--pc-grid);stroke-width:1}
        .pc-sitting{fill:var(--pc-sitting)}.pc-standing{fill:var(--pc-standing)}.pc-walking{fill:var(--pc-walking)}.pc-lying{fill:var(--pc-lying)}
        .pc-gap{fill:url(#pc-hatch-gap)}.pc-long-bout{fill:url(#pc-hatch-bout);stroke:var(--pc-threshold);stroke-width:1.5}
        .pc-quiet{fill:url(#pc-stripes-quiet)}.pc-snooze{fill:url(#pc-dots-snooze)}
        .pc-band{opacity:.18}.pc-angle[data-angle=pelvic_tilt] .pc-band{fill:var(--pc-tilt)}.pc-angle[data-angle=lumbar_flexion] .pc-band{fill:var(--pc-lumbar)}
        .pc-curve{fill:none;stroke-width:1.6;stroke-linejoin:round}.pc-pelvic_tilt{stroke:var(--pc-tilt)}.pc-lumbar_flexion{stroke:var(--pc-lumbar)}
        .pc-standing-line line{stroke:var(--pc-muted);stroke-dasharray:1 3}.pc-reference line{stroke:var(--pc-reference);stroke-width:1.5;stroke-dasharray:6 3}
        .pc-threshold line{stroke:var(--pc-threshold);stroke-width:1.5;stroke-dasharray:2 2}.pc-line-label{font-size:11px}
        .pc-nudge-line{stroke:var(--pc-fg);stroke-opacity:.35;stroke-width:1}.pc-marker{fill:var(--pc-bg);stroke:var(--pc-fg);stroke-width:1.5}
        .pc-marker-text{font-size:9px;font-weight:700}
        .pc-week-sitting{fill:var(--pc-sitting)}.pc-week-upright{fill:var(--pc-reference)}.pc-week-nudges{fill:var(--pc-standing)}.pc-value{font-size:12px}
        </style>
        
        """

    static let patterns = """
        <defs>
        <pattern id="pc-hatch-gap" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="var(--pc-track)"/><line x1="0" y1="0" x2="0" y2="6" stroke="var(--pc-gap)" stroke-width="2"/></pattern>
        <pattern id="pc-hatch-bout" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)"><line x1="0" y1="0" x2="0" y2="6" stroke="var(--pc-threshold)" stroke-width="1.5"/></pattern>
        <pattern id="pc-stripes-quiet" width="10" height="10" patternUnits="userSpaceOnUse"><rect width="10" height="10" fill="var(--pc-quiet)" fill-opacity=".06"/><line x1="0" y1="10" x2="10" y2="0" stroke="var(--pc-quiet)" stroke-opacity=".3"/></pattern>
        <pattern id="pc-dots-snooze" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="var(--pc-snooze)" fill-opacity=".06"/><circle cx="4" cy="4" r="1.2" fill="var(--pc-snooze)" fill-opacity=".5"/></pattern>
        </defs>
        
        """
}
