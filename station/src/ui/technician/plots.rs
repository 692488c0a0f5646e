//! The calibration's pictures: the sensor's uniformity map as an image, the targets' histograms
//! and the history over time as plots (egui_plot).

use eframe::egui::{self, Color32, ColorImage, TextureHandle, TextureOptions};
use egui_plot::{
    Bar, BarChart, GridInput, GridMark, HoverPosition, Legend, Line, Plot, PlotPoints, Points,
};
use time::UtcOffset;

use super::super::texts::Tr;
use crate::desk::{
    clock,
    technician_view::{HistoryPoint, UniformityMap, texts},
};

/// Pixels per block of the uniformity picture on screen.
const BLOCK_PIXELS: f32 = 28.0;
/// Departures from the frame's mean shown at full colour (±25 %).
const FULL_SCALE: f32 = 0.25;

/// The uniformity map's texture, rebuilt when the map changes.
#[derive(Default)]
pub(super) struct UniformityPicture {
    texture: Option<(Vec<f32>, TextureHandle)>,
}

impl UniformityPicture {
    /// Draws the map: white where the block is at the frame's mean, blue where darker, red where
    /// lighter; the block's value shows on hover.
    pub(super) fn show(&mut self, ui: &mut egui::Ui, tr: Tr, map: &UniformityMap) {
        if map.columns == 0 || map.rows == 0 {
            return;
        }
        let stale = self
            .texture
            .as_ref()
            .is_none_or(|(values, _)| *values != map.values);
        if stale {
            let pixels = map.values.iter().map(|v| colour(*v)).collect();
            let image = ColorImage::new([map.columns as usize, map.rows as usize], pixels);
            let handle =
                ui.ctx()
                    .load_texture("technician-uniformity", image, TextureOptions::NEAREST);
            self.texture = Some((map.values.clone(), handle));
        }
        if let Some((_, texture)) = &self.texture {
            let size = egui::vec2(
                map.columns as f32 * BLOCK_PIXELS,
                map.rows as f32 * BLOCK_PIXELS,
            );
            let response = ui.add(egui::Image::new((texture.id(), size)));
            let (min, max) = map
                .values
                .iter()
                .fold((f32::MAX, f32::MIN), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
            response.on_hover_text(tr.with(
                "technician.calibration.uniformity_hover",
                &[
                    ("columns", &map.columns.to_string()),
                    ("rows", &map.rows.to_string()),
                    ("min", &format!("{:.0}", min * 100.0)),
                    ("max", &format!("{:.0}", max * 100.0)),
                ],
            ));
        }
    }
}

/// White at 1.0, towards blue below, towards red above.
fn colour(value: f32) -> Color32 {
    let departure = ((value - 1.0) / FULL_SCALE).clamp(-1.0, 1.0);
    let fade = |d: f32| (255.0 * (1.0 - d.abs())) as u8;
    if departure < 0.0 {
        Color32::from_rgb(fade(departure), fade(departure), 255)
    } else {
        Color32::from_rgb(255, fade(departure), fade(departure))
    }
}

/// The blank and dark targets' histograms on one plot.
pub(super) fn histogram(
    ui: &mut egui::Ui,
    tr: Tr,
    blank_name: &str,
    blank: &[u32],
    dark_name: &str,
    dark: &[u32],
) {
    let bars = |bins: &[u32]| -> Vec<Bar> {
        bins.iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(|(level, n)| Bar::new(level as f64, f64::from(*n)).width(1.0))
            .collect()
    };
    Plot::new("technician-histogram")
        .height(200.0)
        .legend(Legend::default())
        .allow_scroll(false)
        .include_x(0.0)
        .include_x(255.0)
        .x_axis_label(tr.t("technician.calibration.grey_level"))
        .show(ui, |plot| {
            plot.bar_chart(BarChart::new(blank_name, bars(blank)).color(Color32::LIGHT_BLUE));
            plot.bar_chart(BarChart::new(dark_name, bars(dark)).color(Color32::DARK_GRAY));
        });
}

/// Room left on the time axis either side of the calibrations, seconds: a lone calibration, or a
/// few made minutes apart, still sit between marks a person can read.
const TIME_MARGIN_S: f64 = 1_800.0;

/// Steps of a time axis, seconds: those a person counts in, from 5 s to a year.
const TIME_STEPS: [i64; 20] = [
    5,
    10,
    30,
    60,
    2 * 60,
    5 * 60,
    10 * 60,
    15 * 60,
    30 * 60,
    3_600,
    2 * 3_600,
    3 * 3_600,
    6 * 3_600,
    12 * 3_600,
    DAY,
    2 * DAY,
    7 * DAY,
    14 * DAY,
    30 * DAY,
    365 * DAY,
];
const DAY: i64 = 86_400;
/// Marks of one thickness on the visible range beyond which that thickness is left out.
const MAX_MARKS: i64 = 2_000;
/// How much wider than egui's finest grid step the labelled marks are: egui asks for lines at
/// least 8 points apart, and a label such as `27/11 10:30` needs about 90.
const LABELLED_SPACING: f64 = 12.0;

/// One measure's values over time, per device; the measure is chosen in a list. The time axis
/// reads in the station's local time, in steps a person counts in.
pub(super) fn history(
    ui: &mut egui::Ui,
    tr: Tr,
    points: &[HistoryPoint],
    chosen: &mut Option<String>,
) {
    let language = tr.0;
    let mut measures: Vec<&str> = points
        .iter()
        .flat_map(|p| p.values.iter().map(|(m, _)| m.as_str()))
        .collect();
    measures.sort_unstable();
    measures.dedup();
    let Some(first) = measures
        .iter()
        .find(|m| **m == "snr")
        .or(measures.first())
        .map(|m| (*m).to_owned())
    else {
        return;
    };
    let measure = chosen.get_or_insert(first).clone();
    let measure_name = texts::measure(language, &measure);
    egui::ComboBox::from_id_salt("technician-history-measure")
        .selected_text(&measure_name)
        .show_ui(ui, |ui| {
            for m in &measures {
                ui.selectable_value(chosen, Some((*m).to_owned()), texts::measure(language, m));
            }
        });
    let mut serials: Vec<&str> = points.iter().map(|p| p.serial.as_str()).collect();
    serials.sort_unstable();
    serials.dedup();
    let (earliest, latest) = points.iter().fold((f64::MAX, f64::MIN), |(lo, hi), p| {
        let at = p.at_unix_s as f64;
        (lo.min(at), hi.max(at))
    });
    Plot::new("technician-history")
        .height(200.0)
        .legend(Legend::default())
        .allow_scroll(false)
        .include_x(earliest - TIME_MARGIN_S)
        .include_x(latest + TIME_MARGIN_S)
        .x_grid_spacer(|input| {
            let offset = offset_at(input.bounds.0);
            time_marks(input, offset)
        })
        .x_axis_formatter(|mark, _| time_label(mark, offset_at(mark.value)))
        .x_axis_label(tr.t("technician.calibration.history_axis"))
        .label_formatter(move |hover| match hover {
            HoverPosition::NearDataPoint {
                plot_name,
                position,
                ..
            } => Some(tr.with(
                "technician.calibration.history_point",
                &[
                    ("serial", plot_name),
                    ("time", &clock::for_people((position.x * 1_000.0) as i64)),
                    ("measure", &measure_name),
                    ("value", &texts::decimal(language, position.y, 2)),
                ],
            )),
            HoverPosition::Elsewhere { .. } => None,
        })
        .show(ui, |plot| {
            for serial in serials {
                let series: Vec<[f64; 2]> = points
                    .iter()
                    .filter(|p| p.serial == serial)
                    .filter_map(|p| {
                        p.values
                            .iter()
                            .find(|(m, _)| *m == measure)
                            .map(|(_, v)| [p.at_unix_s as f64, *v])
                    })
                    .collect();
                if series.is_empty() {
                    continue;
                }
                plot.line(Line::new(serial, PlotPoints::from(series.clone())));
                plot.points(Points::new(serial, PlotPoints::from(series)).radius(4.0));
            }
        });
}

/// The station's offset from UTC at `unix_s` seconds (counter/clock.rs: the computer's zone).
fn offset_at(unix_s: f64) -> UtcOffset {
    clock::local_offset((unix_s * 1_000.0) as i64)
}

/// Grid marks on a time axis in Unix seconds, on round local times (whole minutes, hours, local
/// midnights) at `offset`, in three thicknesses taken from [`TIME_STEPS`]: the finest no closer
/// than egui asks, then one wide enough for a label at each mark, then a coarser one.
fn time_marks(input: GridInput, offset: UtcOffset) -> Vec<GridMark> {
    let (min, max) = input.bounds;
    let at_least = |size: f64| {
        TIME_STEPS
            .iter()
            .copied()
            .find(|&step| step as f64 >= size)
            .unwrap_or(365 * DAY)
    };
    let fine = at_least(input.base_step_size);
    let labelled = at_least(input.base_step_size * LABELLED_SPACING);
    let coarse = at_least(labelled as f64 * 4.0);
    let shift = i64::from(offset.whole_seconds());
    let mut marks: Vec<GridMark> = Vec::new();
    for step in [fine, labelled, coarse] {
        if (max - min) / step as f64 > MAX_MARKS as f64 {
            continue;
        }
        // The first local time at a whole `step` at or after `min`.
        let first = ((min as i64 + shift).div_euclid(step) + 1) * step - shift;
        let mut at = first - step;
        while (at as f64) <= max {
            if (at as f64) >= min {
                match marks.iter_mut().find(|m| m.value == at as f64) {
                    Some(mark) => mark.step_size = mark.step_size.max(step as f64),
                    None => marks.push(GridMark {
                        value: at as f64,
                        step_size: step as f64,
                    }),
                }
            }
            at += step;
        }
    }
    marks.sort_by(|a, b| a.value.total_cmp(&b.value));
    marks
}

/// A time axis label at `offset` from UTC, as precise as its mark's step: `14:30:05` under a
/// minute, `06/12 14:30` under a day, `06/12` under a month, `12/2026` beyond; empty when out of
/// range.
fn time_label(mark: GridMark, offset: UtcOffset) -> String {
    let Ok(t) = time::OffsetDateTime::from_unix_timestamp(mark.value.round() as i64) else {
        return String::new();
    };
    let t = t.to_offset(offset);
    let (day, month) = (t.day(), u8::from(t.month()));
    let step = mark.step_size as i64;
    if step < 60 {
        format!("{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second())
    } else if step < DAY {
        format!("{day:02}/{month:02} {:02}:{:02}", t.hour(), t.minute())
    } else if step < 30 * DAY {
        format!("{day:02}/{month:02}")
    } else {
        format!("{month:02}/{}", t.year())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(value: i64, step: i64) -> GridMark {
        GridMark {
            value: value as f64,
            step_size: step as f64,
        }
    }

    #[test]
    fn history_times_read_in_the_station_time_zone() {
        // 2026-11-27 09:42 UTC is 10:42 in Paris (UTC+1) and 13:42 in Réunion (UTC+4).
        let seconds = 1_795_772_520;
        let paris = UtcOffset::from_hms(1, 0, 0).expect("a valid offset");
        let reunion = UtcOffset::from_hms(4, 0, 0).expect("a valid offset");
        let minutes = |s| mark(s, 15 * 60);
        assert_eq!(time_label(minutes(seconds), UtcOffset::UTC), "27/11 09:42");
        assert_eq!(time_label(minutes(seconds), paris), "27/11 10:42");
        assert_eq!(time_label(minutes(seconds), reunion), "27/11 13:42");
        assert_eq!(time_label(mark(seconds + 5, 5), paris), "10:42:05");
        assert_eq!(time_label(mark(seconds, DAY), paris), "27/11");
        assert_eq!(time_label(mark(seconds, 365 * DAY), paris), "11/2026");
        assert_eq!(time_label(minutes(i64::MAX), paris), "");
    }

    /// Two calibrations a few seconds apart, as in the screenshots, with the half hour either
    /// side, on plots from 400 to 1,500 points wide: the marks fall on round local times, some are
    /// far enough apart for egui to label them (60 points, and the label's width), and no two of
    /// those labels read the same.
    #[test]
    fn time_marks_fall_on_round_local_times_with_distinct_labels() {
        let paris = UtcOffset::from_hms(1, 0, 0).expect("a valid offset");
        let at = 1_795_772_520.0; // 10:42 in Paris
        let span = 2.0 * TIME_MARGIN_S + 40.0;
        for width in [400.0, 800.0, 1_430.0] {
            let points_per_s = width / span;
            let input = GridInput {
                bounds: (at - span / 2.0, at + span / 2.0),
                // As egui_plot computes it, for lines at least 8 points apart.
                base_step_size: 8.0 / points_per_s,
            };
            let marks = time_marks(input, paris);
            for m in &marks {
                let local = m.value as i64 + 3_600;
                assert_eq!(local % m.step_size as i64, 0, "{m:?} on a whole step");
            }
            let labels: Vec<String> = marks
                .iter()
                .filter(|m| m.step_size * points_per_s > 90.0)
                .map(|m| time_label(*m, paris))
                .collect();
            assert!(labels.len() >= 3, "{width}: {labels:?}");
            let mut distinct = labels.clone();
            distinct.dedup();
            assert_eq!(distinct, labels, "{width}");
            assert!(labels.contains(&"27/11 10:30".to_owned()), "{labels:?}");
        }
    }

    #[test]
    fn time_marks_on_a_year_stay_few() {
        let input = GridInput {
            bounds: (1_700_000_000.0, 1_700_000_000.0 + 365.0 * 86_400.0),
            base_step_size: 365.0 * 86_400.0 / 1_000.0 * 8.0,
        };
        let marks = time_marks(input, UtcOffset::UTC);
        assert!(!marks.is_empty() && marks.len() < 200, "{}", marks.len());
    }
}
