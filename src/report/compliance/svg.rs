//! Inline SVG charts for the HTML report: a score gauge, per-dimension bars and a
//! trend line. Pure string building from numbers; labels are escaped by the caller's
//! `esc`. No script, no external reference.

use super::escape::esc;

/// The colour of a score: green from 95, amber from 85, red below.
pub(super) fn score_class(score: Option<f64>) -> &'static str {
    match score {
        Some(s) if s >= 95.0 => "good",
        Some(s) if s >= 85.0 => "warn",
        Some(_) => "bad",
        None => "none",
    }
}

/// A half-circle gauge of a 0-100 score with the value in the middle.
pub(super) fn gauge(score: Option<f64>, label: &str) -> String {
    let v = score.unwrap_or(0.0).clamp(0.0, 100.0);
    // Arc from the left end (180°) clockwise to the right end over the top.
    let (cx, cy, r) = (60.0_f64, 60.0_f64, 48.0_f64);
    let angle = std::f64::consts::PI * (1.0 - v / 100.0);
    let (x, y) = (cx + r * angle.cos(), cy - r * angle.sin());
    let text = score
        .map(|s| format!("{s:.2}"))
        .unwrap_or_else(|| "–".into());
    format!(
        "<svg class=\"gauge\" viewBox=\"0 0 120 78\" width=\"150\" height=\"98\" role=\"img\" aria-label=\"{label}: {text}\">\
<path d=\"M12 60 A48 48 0 0 1 108 60\" class=\"track\"/>\
<path d=\"M12 60 A48 48 0 0 1 {x:.2} {y:.2}\" class=\"arc {cls}\"/>\
<text x=\"60\" y=\"56\" class=\"gv\">{text}</text>\
<text x=\"60\" y=\"74\" class=\"gl\">{label}</text></svg>",
        label = esc(label),
        cls = score_class(score),
    )
}

/// Horizontal bars, one per (label, score).
pub(super) fn bars(items: &[(&str, Option<f64>)]) -> String {
    let row_h = 22.0;
    let h = row_h * items.len() as f64 + 4.0;
    let mut out = format!(
        "<svg class=\"bars\" viewBox=\"0 0 420 {h}\" width=\"420\" height=\"{h}\" role=\"img\" aria-label=\"scores per dimension\">"
    );
    for (i, (label, score)) in items.iter().enumerate() {
        let y = i as f64 * row_h + 2.0;
        let w = score.unwrap_or(0.0).clamp(0.0, 100.0) * 2.6;
        let value = score
            .map(|s| format!("{s:.2}"))
            .unwrap_or_else(|| "–".into());
        out.push_str(&format!(
            "<text x=\"0\" y=\"{ty}\" class=\"bl\">{label}</text>\
<rect x=\"110\" y=\"{y}\" width=\"260\" height=\"16\" class=\"track\"/>\
<rect x=\"110\" y=\"{y}\" width=\"{w:.1}\" height=\"16\" class=\"bar {cls}\"/>\
<text x=\"376\" y=\"{ty}\" class=\"bv\">{value}</text>",
            ty = y + 12.5,
            label = esc(label),
            cls = score_class(*score),
        ));
    }
    out.push_str("</svg>");
    out
}

/// A line of overall scores, oldest first. Needs at least two points.
pub(super) fn trend(points: &[(String, Option<f64>)]) -> Option<String> {
    let values: Vec<(usize, f64)> = points
        .iter()
        .enumerate()
        .filter_map(|(i, (_, v))| v.map(|v| (i, v)))
        .collect();
    if values.len() < 2 {
        return None;
    }
    let lo = values
        .iter()
        .map(|v| v.1)
        .fold(f64::INFINITY, f64::min)
        .floor()
        .min(95.0);
    let lo = (lo - 1.0).max(0.0);
    let hi = 100.0;
    let (w, h, pad) = (440.0, 160.0, 36.0);
    let n = points.len().max(2) - 1;
    let x = |i: usize| pad + (w - 2.0 * pad) * i as f64 / n as f64;
    let y = |v: f64| h - 24.0 - (h - 40.0) * (v - lo) / (hi - lo);
    let path: Vec<String> = values
        .iter()
        .map(|(i, v)| format!("{:.1},{:.1}", x(*i), y(*v)))
        .collect();
    let mut out = format!(
        "<svg class=\"trend\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"overall score trend\">\
<line x1=\"{pad}\" y1=\"{top:.1}\" x2=\"{r}\" y2=\"{top:.1}\" class=\"grid\"/>\
<line x1=\"{pad}\" y1=\"{bot:.1}\" x2=\"{r}\" y2=\"{bot:.1}\" class=\"grid\"/>\
<text x=\"2\" y=\"{tt:.1}\" class=\"ax\">{hi}</text><text x=\"2\" y=\"{bt:.1}\" class=\"ax\">{lo}</text>\
<polyline points=\"{pts}\" class=\"line\"/>",
        top = y(hi),
        bot = y(lo),
        r = w - pad,
        tt = y(hi) + 4.0,
        bt = y(lo) + 4.0,
        pts = path.join(" "),
    );
    for (i, v) in &values {
        out.push_str(&format!(
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3.5\" class=\"pt\"><title>{}: {v:.2}</title></circle>",
            x(*i),
            y(*v),
            esc(&points[*i].0)
        ));
    }
    let first = esc(points.first().map(|p| p.0.as_str()).unwrap_or(""));
    let last = esc(points.last().map(|p| p.0.as_str()).unwrap_or(""));
    out.push_str(&format!(
        "<text x=\"{pad}\" y=\"{ly}\" class=\"ax\">{first}</text><text x=\"{r}\" y=\"{ly}\" class=\"ax end\">{last}</text></svg>",
        ly = h - 4.0,
        r = w - pad
    ));
    Some(out)
}
