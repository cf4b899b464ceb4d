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

#[allow(
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss
)]
fn layout(total: u32) -> Vec<(f64, f64, f64)> {
    if total == 0 {
        return Vec::new();
    }
    let n = f64::from(total);
    let rows = ((n / 4.0).sqrt().round() as u32).clamp(1, 12);
    let radii: Vec<f64> = (0..rows)
        .map(|i| {
            if rows == 1 {
                1.0
            } else {
                0.45 + 0.55 * f64::from(i) / f64::from(rows - 1)
            }
        })
        .collect();
    let sum: f64 = radii.iter().sum();
    let mut counts: Vec<u32> = radii.iter().map(|r| (n * r / sum).floor() as u32).collect();
    let mut left = total - counts.iter().sum::<u32>();
    let mut k = counts.len();
    while left > 0 {
        k = if k == 0 { counts.len() - 1 } else { k - 1 };
        counts[k] += 1;
        left -= 1;
    }
    let outer = 95.0;
    let spacing = radii
        .iter()
        .zip(&counts)
        .filter(|(_, c)| **c > 1)
        .map(|(r, c)| std::f64::consts::PI * r * outer / f64::from(*c - 1))
        .fold(f64::MAX, f64::min);
    let row_gap = if rows > 1 {
        0.55 * outer / f64::from(rows - 1)
    } else {
        outer
    };
    let dot = (spacing.min(row_gap) * 0.42).min(6.0);
    let mut seats: Vec<(f64, f64, f64)> = Vec::new();
    for (r, c) in radii.iter().zip(&counts) {
        for j in 0..*c {
            let theta = if *c == 1 {
                std::f64::consts::FRAC_PI_2
            } else {
                std::f64::consts::PI * (1.0 - f64::from(j) / f64::from(*c - 1))
            };
            seats.push((theta, r * outer, dot));
        }
    }
    // Left to right, inner rows first at equal angles.
    seats.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.total_cmp(&b.1)));
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
        .map(|g| format!("{} {}", g.label, g.seats))
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
        figure.chart.hemicycle id=(id) {
            figcaption { (title) }
            svg role="img" aria-labelledby={(id) "-t " (id) "-d"} viewBox="0 0 200 104" xmlns="http://www.w3.org/2000/svg" {
                title id={(id) "-t"} { (title) }
                desc id={(id) "-d"} { (desc) }
                @for (i, (theta, r, dot)) in seats.iter().enumerate() {
                    @let x = 100.0 + r * theta.cos();
                    @let y = 100.0 - r * theta.sin();
                    @if let Some(c) = colors.get(i) {
                        circle cx=(format!("{x:.2}")) cy=(format!("{y:.2}")) r=(format!("{dot:.2}")) fill=(c) {}
                    } @else {
                        circle cx=(format!("{x:.2}")) cy=(format!("{y:.2}")) r=(format!("{:.2}", dot * 0.8)) fill="#ffffff" stroke="#545454" stroke-width="0.8" {}
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
        for n in [1, 2, 9, 15, 39, 75, 150] {
            assert_eq!(super::layout(n).len(), n as usize);
        }
    }
}
