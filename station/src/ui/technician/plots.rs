//! The calibration's pictures: the sensor's uniformity map as an image, the targets' histograms
//! and the history over time as plots (egui_plot).

use eframe::egui::{self, Color32, ColorImage, TextureHandle, TextureOptions};
use egui_plot::{Bar, BarChart, Legend, Line, Plot, PlotPoints, Points};

use super::super::texts::Tr;
use crate::counter::technician_view::{HistoryPoint, UniformityMap, texts};

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

/// One measure's values over time, per device; the measure is chosen in a list.
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
    egui::ComboBox::from_id_salt("technician-history-measure")
        .selected_text(texts::measure(language, &measure))
        .show_ui(ui, |ui| {
            for m in &measures {
                ui.selectable_value(chosen, Some((*m).to_owned()), texts::measure(language, m));
            }
        });
    let mut serials: Vec<&str> = points.iter().map(|p| p.serial.as_str()).collect();
    serials.sort_unstable();
    serials.dedup();
    Plot::new("technician-history")
        .height(200.0)
        .legend(Legend::default())
        .allow_scroll(false)
        .x_axis_formatter(|mark, _| {
            // In the station's time zone, as every date a person reads (counter/clock.rs).
            let seconds = mark.value as i64;
            let offset = crate::counter::clock::local_offset(seconds.saturating_mul(1000));
            time_label(seconds, offset)
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

/// `27/11 10:42` for Unix seconds at `offset` from UTC; empty when out of range.
fn time_label(seconds: i64, offset: time::UtcOffset) -> String {
    time::OffsetDateTime::from_unix_timestamp(seconds).map_or_else(
        |_| String::new(),
        |t| {
            let t = t.to_offset(offset);
            format!(
                "{:02}/{:02} {:02}:{:02}",
                t.day(),
                u8::from(t.month()),
                t.hour(),
                t.minute()
            )
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_times_read_in_the_station_time_zone() {
        // 2026-11-27 09:42 UTC is 10:42 in Paris (UTC+1) and 13:42 in Réunion (UTC+4).
        let seconds = 1_795_772_520;
        let paris = time::UtcOffset::from_hms(1, 0, 0).expect("a valid offset");
        let reunion = time::UtcOffset::from_hms(4, 0, 0).expect("a valid offset");
        assert_eq!(time_label(seconds, time::UtcOffset::UTC), "27/11 09:42");
        assert_eq!(time_label(seconds, paris), "27/11 10:42");
        assert_eq!(time_label(seconds, reunion), "27/11 13:42");
        assert_eq!(time_label(i64::MAX, paris), "");
    }
}
