//! The seat chart: a hemicycle in SVG with a text alternative (summary, legend, table).

use maud::{Markup, html};
use webkit::Lang;
use webkit::layout::{Cell, Column, Table};

/// One party in the chart.
pub struct SeatGroup {
    pub label: String,
    pub seats: u32,
    pub color: &'static str,
}

/// Cumulative capacity of a diagram with 1, 2, … rows (after David Richfield's parliament
/// diagram tool).
const ROW_TOTALS: [u32; 14] = [
    3, 15, 33, 61, 95, 138, 189, 247, 313, 388, 469, 559, 657, 762,
];

/// One seat: angle (π = far left), centre `x`, `y` (y up, 0 = baseline) and the dot radius.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Seat {
    pub angle: f64,
    pub x: f64,
    pub y: f64,
    pub r: f64,
}

/// Seat positions for `total` seats: rows evenly spaced, seats per row proportional to the
/// row's length, dots as large as the spacing allows. Ordered left to right.
#[allow(
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss
)]
pub fn layout(total: u32) -> Vec<Seat> {
    use std::f64::consts::PI;
    if total == 0 {
        return Vec::new();
    }
    if total <= SMALL {
        return small_layout(total);
    }
    let rows = ROW_TOTALS
        .iter()
        .position(|&t| t >= total)
        .map_or(ROW_TOTALS.len(), |i| i + 1);
    let n = f64::from(u32::try_from(rows).unwrap_or(1));
    let capacity = f64::from(ROW_TOTALS[rows - 1]);
    let dot = 0.4 / n;
    let mut seats = Vec::with_capacity(total as usize);
    let place = |count: u32, radius: f64, seats: &mut Vec<Seat>| {
        if count == 1 {
            seats.push(Seat {
                angle: PI / 2.0,
                x: 0.0,
                y: radius,
                r: dot,
            });
            return;
        }
        let edge = (dot / radius).asin();
        for j in 0..count {
            let angle = PI - edge - f64::from(j) * (PI - 2.0 * edge) / f64::from(count - 1);
            seats.push(Seat {
                angle,
                x: radius * angle.cos(),
                y: radius * angle.sin(),
                r: dot,
            });
        }
    };
    let mut placed = 0u32;
    for i in 1..rows {
        let k = (3.0 * n + 4.0 * i as f64 - 2.0) / (4.0 * n);
        let per_row = (f64::from(total) / capacity * PI
            / (2.0 * (2.0 / (3.0 * n + 4.0 * i as f64 - 2.0)).asin()))
        .floor() as u32;
        let per_row = per_row.min(total - placed);
        place(per_row, k, &mut seats);
        placed += per_row;
    }
    let last = total - placed;
    if last > 0 {
        place(last, (7.0 * n - 2.0) / (4.0 * n), &mut seats);
    }
    seats.sort_by(|a, b| b.angle.total_cmp(&a.angle).then(a.y.total_cmp(&b.y)));
    seats
}

/// Up to this many seats (gemeenteraden, waterschappen) a simpler layout is used.
const SMALL: u32 = 45;

/// A council of up to [`SMALL`] seats: one row per ten seats, seats per row in proportion to
/// the row's length (largest remainders), evenly spread, dots as large as the spacing allows.
/// Ordered left to right, so each party forms one wedge.
#[allow(
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss
)]
fn small_layout(total: u32) -> Vec<Seat> {
    use std::f64::consts::PI;
    let rows = total.div_ceil(10).max(1);
    let n = f64::from(rows);
    let radii: Vec<f64> = (1..=rows)
        .map(|i| (3.0 * n + 4.0 * f64::from(i) - 2.0) / (4.0 * n))
        .collect();
    let sum: f64 = radii.iter().sum();
    let exact: Vec<f64> = radii.iter().map(|r| f64::from(total) * r / sum).collect();
    let mut counts: Vec<u32> = exact.iter().map(|x| x.floor() as u32).collect();
    let mut rest: Vec<usize> = (0..counts.len()).collect();
    rest.sort_by(|&a, &b| {
        (exact[b] - exact[b].floor())
            .total_cmp(&(exact[a] - exact[a].floor()))
            .then(b.cmp(&a))
    });
    let missing = total - counts.iter().sum::<u32>();
    for &i in rest.iter().take(missing as usize) {
        counts[i] += 1;
    }
    // Dots: at most 0.4 of the row distance, and apart from their neighbours in a row.
    // (The step between neighbours is computed with the largest dot, so the real step, with
    // a smaller dot's smaller edge, is at least as large.)
    let max_dot = 0.4 / n;
    let mut dot = max_dot;
    for (r, c) in radii.iter().zip(&counts) {
        if *c >= 2 {
            let step = (PI - 2.0 * (max_dot / r).asin()) / f64::from(c - 1);
            dot = dot.min(r * (step / 2.0).sin() * 0.95);
        }
    }
    let mut seats = Vec::with_capacity(total as usize);
    for (radius, count) in radii.iter().zip(&counts) {
        let radius = *radius;
        if *count == 1 {
            seats.push(Seat {
                angle: PI / 2.0,
                x: 0.0,
                y: radius,
                r: dot,
            });
            continue;
        }
        let edge = (dot / radius).asin();
        for j in 0..*count {
            let angle = PI - edge - f64::from(j) * (PI - 2.0 * edge) / f64::from(count - 1);
            seats.push(Seat {
                angle,
                x: radius * angle.cos(),
                y: radius * angle.sin(),
                r: dot,
            });
        }
    }
    seats.sort_by(|a, b| b.angle.total_cmp(&a.angle).then(a.y.total_cmp(&b.y)));
    seats
}

/// A hemicycle with `groups` in order from left to right, then `empty` empty seats.
pub fn hemicycle(lang: Lang, id: &str, title: &str, groups: &[SeatGroup], empty: u32) -> Markup {
    let total: u32 = groups.iter().map(|g| g.seats).sum::<u32>() + empty;
    let seats = layout(total);
    let mut colors: Vec<&str> = Vec::new();
    for g in groups {
        colors.extend(std::iter::repeat_n(g.color, g.seats as usize));
    }
    let summary: Vec<String> = groups
        .iter()
        .filter(|g| g.seats > 0)
        .map(|g| format!("{}: {}", g.label, g.seats))
        .collect();
    let desc = format!(
        "{} {}: {}{}",
        total,
        lang.t("zetels", "seats"),
        summary.join(", "),
        if empty > 0 {
            format!(", {} {empty}", lang.t("leeg", "empty"))
        } else {
            String::new()
        }
    );
    let mut table = Table::new(
        format!("{id}-table"),
        title.to_string(),
        vec![
            Column::text(lang.t("Lijst", "List")),
            Column::num(lang.t("Zetels", "Seats")),
        ],
    );
    for g in groups.iter().filter(|g| g.seats > 0) {
        table.row(vec![Cell::new(g.label.clone()), Cell::int(lang, g.seats)]);
    }
    html! {
        figure.chart.hemicycle.few[total < 40] id=(id) {
            figcaption { (title) }
            @let (min_x, max_x, max_y) = seats.iter().fold((0.0f64, 0.0f64, 0.0f64), |(a, b, c), s| (a.min(s.x - s.r), b.max(s.x + s.r), c.max(s.y + s.r)));
            @let min_y = seats.iter().map(|s| s.y - s.r).fold(0.0f64, f64::min);
            @let pad = 0.04;
            @let scale = 100.0;
            svg role="img" aria-labelledby={(id) "-t " (id) "-d"}
                viewBox=(format!("{:.1} {:.1} {:.1} {:.1}", (min_x - pad) * scale, -(max_y + pad) * scale, (max_x - min_x + 2.0 * pad) * scale, (max_y - min_y + 2.0 * pad) * scale))
                xmlns="http://www.w3.org/2000/svg" {
                title id={(id) "-t"} { (title) }
                desc id={(id) "-d"} { (desc) }
                @for (i, s) in seats.iter().enumerate() {
                    @let (x, y, r) = (s.x * scale, -s.y * scale, s.r * scale);
                    @if let Some(c) = colors.get(i) {
                        circle cx=(format!("{x:.2}")) cy=(format!("{y:.2}")) r=(format!("{:.2}", r * 0.94)) fill=(c) stroke="#1a1a1a" stroke-width=(format!("{:.2}", r * 0.08)) {}
                    } @else {
                        circle cx=(format!("{x:.2}")) cy=(format!("{y:.2}")) r=(format!("{:.2}", r * 0.85)) fill="#ffffff" stroke="#545454" stroke-width=(format!("{:.2}", r * 0.15)) {}
                    }
                }
            }
            ul.legend {
                @for g in groups.iter().filter(|g| g.seats > 0) {
                    li {
                        svg.swatch-svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true" focusable="false" {
                            rect width="14" height="14" fill=(g.color) stroke="#000" stroke-width="1" {}
                        }
                        " " (g.label) ": " strong { (g.seats) }
                    }
                }
            }
            details.chart-data {
                summary { (lang.t("Toon de zetels als tabel", "Show the seats as a table")) }
                (table.render(lang))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn layout_has_one_position_per_seat() {
        for n in 1..=150u32 {
            let seats = super::layout(n);
            assert_eq!(seats.len(), n as usize, "{n}");
            // No two dots overlap, nothing below the baseline.
            for (i, a) in seats.iter().enumerate() {
                assert!(a.y - a.r >= -1e-9, "{n}: below baseline");
                for b in &seats[i + 1..] {
                    let d = ((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt();
                    assert!(d >= a.r + b.r - 1e-9, "{n}: overlap {a:?} {b:?}");
                }
            }
        }
    }
}
