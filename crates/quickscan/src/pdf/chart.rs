//! A horizontal bar chart drawn with vector paths: per statement one bar per group on the
//! scale 1–5, the group's name before the bar and the value (with n) after it, so colour is
//! never the only cue (WCAG 1.4.1). Bar colours have at least 3:1 contrast with white
//! (WCAG 1.4.11); labels are 9 pt.

use super::layout::{Canvas, LEADING, MARGIN_X, Rgb, text_width};
use super::text::{Font, wrap};

/// Bar colours per group position (contrast with white: 9.9, 5.8, 6.5 and 9.5 : 1).
pub const COLOURS: [Rgb; 4] = [
    Rgb(0.082, 0.263, 0.486), // #15437c
    Rgb(0.655, 0.290, 0.000), // #a74a00
    Rgb(0.153, 0.420, 0.180), // #276b2e
    Rgb(0.380, 0.165, 0.545), // #612a8b
];

const LABEL: f64 = 9.0;
const BAR_H: f64 = 10.0;
const ROW: f64 = 14.0;
const LABEL_W: f64 = 110.0;
const VALUE_W: f64 = 120.0;

/// One bar: who, the value on the scale (none: not shown, with `text` saying why) and the
/// printed value.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub colour: usize,
    pub value: Option<f64>,
    pub text: String,
}

/// A statement with its bars.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub title: String,
    pub bars: Vec<Bar>,
}

/// The drawn scale: 0 to 5, as in the HTML chart (the answers run from 1 to 5).
pub const SCALE: (f64, f64) = (0.0, 5.0);

fn bar_area() -> (f64, f64) {
    let x0 = MARGIN_X + LABEL_W;
    (x0, MARGIN_X + text_width() - VALUE_W)
}

/// The height one block needs.
pub fn block_height(b: &Block) -> f64 {
    #[allow(clippy::cast_precision_loss)]
    let title = wrap(&b.title, Font::Bold, LABEL, text_width()).len() as f64;
    #[allow(clippy::cast_precision_loss)]
    let bars = b.bars.len() as f64;
    title * LABEL * LEADING + bars * ROW + 6.0
}

/// The height of the axis drawn under the blocks.
pub const AXIS_H: f64 = 24.0;

/// Draws one block with its top at `top`.
pub fn draw_block(c: &mut Canvas, top: f64, b: &Block) {
    let mut y = top;
    for l in wrap(&b.title, Font::Bold, LABEL, text_width()) {
        y -= LABEL * LEADING;
        c.text(MARGIN_X, y + 0.25 * LABEL, Font::Bold, LABEL, &l);
    }
    let (x0, x1) = bar_area();
    let span = SCALE.1 - SCALE.0;
    let bars_top = y;
    for bar in &b.bars {
        y -= ROW;
        let base = y + (ROW - LABEL) / 2.0 + 0.207 * LABEL;
        let label = fit_label(&bar.label);
        c.text(MARGIN_X, base, Font::Regular, LABEL, &label);
        let mut end = x0;
        if let Some(v) = bar.value {
            let frac = ((v - SCALE.0) / span).clamp(0.0, 1.0);
            // a score of exactly 1 still shows a sliver, so the bar is visible
            let w = (frac * (x1 - x0)).max(2.0);
            c.rect(
                x0,
                y + (ROW - BAR_H) / 2.0,
                w,
                BAR_H,
                COLOURS[bar.colour % COLOURS.len()],
            );
            end = x0 + w;
        }
        c.text(end + 4.0, base, Font::Regular, LABEL, &bar.text);
    }
    // the value axis' base line, beside the bars only (not through the statement)
    c.line(x0, bars_top, x0, y, 0.3, 0.6);
}

/// Draws the scale under the bars: a line with ticks and the values 0–5.
pub fn draw_axis(c: &mut Canvas, top: f64) {
    let (x0, x1) = bar_area();
    let y = top - 4.0;
    c.line(x0, y, x1, y, 0.3, 0.6);
    let steps = 5;
    for i in 0..=steps {
        let x = x0 + (x1 - x0) * f64::from(i) / f64::from(steps);
        c.line(x, y, x, y - 3.0, 0.3, 0.6);
        let label = i.to_string();
        let w = super::text::width(&label, Font::Regular, LABEL);
        c.text(x - w / 2.0, y - 3.0 - LABEL, Font::Regular, LABEL, &label);
    }
}

/// A group label shortened to the label column (group names are short; this only guards).
fn fit_label(s: &str) -> String {
    let lines = wrap(s, Font::Regular, LABEL, LABEL_W - 6.0);
    if lines.len() == 1 {
        return s.to_owned();
    }
    let mut first = lines[0].clone();
    while !first.is_empty()
        && super::text::width(&format!("{first}…"), Font::Regular, LABEL) > LABEL_W - 6.0
    {
        first.pop();
    }
    format!("{first}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG 2.1 relative luminance and contrast with white.
    fn contrast_with_white(c: Rgb) -> f64 {
        let lin = |v: f64| {
            if v <= 0.039_28 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        let l = 0.2126 * lin(c.0) + 0.7152 * lin(c.1) + 0.0722 * lin(c.2);
        1.05 / (l + 0.05)
    }

    #[test]
    fn bar_colours_contrast_with_white() {
        for c in COLOURS {
            assert!(contrast_with_white(c) >= 5.8 - 0.05, "{c:?}");
        }
    }
}
