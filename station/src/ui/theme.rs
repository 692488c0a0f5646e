//! The counter's look, in one place: an open font made for legibility, one type scale, one set of
//! colours whose text contrast is at least 4.5:1 (WCAG AA), and targets of at least 44 px. The
//! colours are the French state's design system (DSFR) ones; its Marianne font is restricted, so
//! the station ships Atkinson Hyperlegible (SIL Open Font License) instead. `docs/counter-design.md`
//! gives the reasons.

use std::sync::Arc;

use eframe::egui::{self, Color32, FontData, FontDefinitions, FontFamily, FontId, TextStyle};

/// Body text on the clerk's screen.
pub(crate) const BODY: f32 = 18.0;
/// Hints and secondary lines.
pub(crate) const SMALL: f32 = 16.0;
/// A screen's title.
pub(crate) const TITLE: f32 = 28.0;
/// A verdict or a result the clerk must not miss.
pub(crate) const VERDICT: f32 = 22.0;
/// Instructions on the applicant's window, read from a metre away.
pub(crate) const APPLICANT: f32 = 36.0;
/// Smallest height of anything clicked or touched.
pub(crate) const TARGET: f32 = 44.0;

/// Text (DSFR grey-50): 18:1 on white.
pub(crate) const TEXT: Color32 = Color32::from_rgb(0x16, 0x16, 0x16);
/// Secondary text: 5.7:1 on white.
pub(crate) const MUTED: Color32 = Color32::from_rgb(0x66, 0x66, 0x66);
/// The primary action and the current step (DSFR blue France): 14.9:1 on white.
pub(crate) const PRIMARY: Color32 = Color32::from_rgb(0x00, 0x00, 0x91);
/// What went well (DSFR success-425): 5.8:1 on white.
pub(crate) const SUCCESS: Color32 = Color32::from_rgb(0x18, 0x75, 0x3c);
/// Refusals and errors (DSFR error-425): 5.8:1 on white.
pub(crate) const ERROR: Color32 = Color32::from_rgb(0xce, 0x05, 0x00);
/// Warnings (DSFR warning-425): 5.8:1 on white.
pub(crate) const WARNING: Color32 = Color32::from_rgb(0xb3, 0x40, 0x00);
/// The page.
pub(crate) const BACKGROUND: Color32 = Color32::WHITE;
/// Panels, fields and secondary buttons (DSFR grey-975).
pub(crate) const SURFACE: Color32 = Color32::from_rgb(0xf6, 0xf6, 0xf6);

/// The font family for titles and verdicts (bold).
pub(crate) fn bold() -> FontFamily {
    FontFamily::Name("bold".into())
}

/// Sets the fonts and the style on `ctx`, once at start.
pub(crate) fn apply(ctx: &egui::Context) {
    ctx.set_fonts(fonts());
    ctx.set_theme(egui::Theme::Light);
    ctx.all_styles_mut(|style| {
        style.text_styles = [
            (TextStyle::Small, FontId::proportional(SMALL)),
            (TextStyle::Body, FontId::proportional(BODY)),
            (TextStyle::Button, FontId::proportional(BODY)),
            (TextStyle::Monospace, FontId::monospace(SMALL)),
            (TextStyle::Heading, FontId::new(TITLE, bold())),
        ]
        .into();
        style.spacing.item_spacing = egui::vec2(12.0, 10.0);
        style.spacing.button_padding = egui::vec2(16.0, 10.0);
        // Rows of text stay compact; buttons get their 44 px from `widgets::button`.
        style.spacing.interact_size.y = 30.0;
        let v = &mut style.visuals;
        v.override_text_color = None;
        v.weak_text_color = Some(MUTED);
        v.panel_fill = BACKGROUND;
        v.window_fill = BACKGROUND;
        v.faint_bg_color = SURFACE;
        v.extreme_bg_color = Color32::WHITE;
        v.text_edit_bg_color = Some(Color32::WHITE);
        v.selection.bg_fill = Color32::from_rgb(0xe3, 0xe3, 0xfd);
        v.selection.stroke.color = PRIMARY;
        v.hyperlink_color = PRIMARY;
        v.error_fg_color = ERROR;
        v.warn_fg_color = WARNING;
        for w in [
            &mut v.widgets.noninteractive,
            &mut v.widgets.inactive,
            &mut v.widgets.hovered,
            &mut v.widgets.active,
            &mut v.widgets.open,
        ] {
            w.fg_stroke.color = TEXT;
            w.corner_radius = egui::CornerRadius::same(4);
        }
        v.widgets.inactive.weak_bg_fill = SURFACE;
        v.widgets.inactive.bg_fill = SURFACE;
        v.widgets.inactive.bg_stroke = egui::Stroke::new(1.0, MUTED);
        v.widgets.hovered.bg_stroke = egui::Stroke::new(2.0, PRIMARY);
        v.widgets.active.bg_stroke = egui::Stroke::new(2.0, PRIMARY);
        v.widgets.noninteractive.bg_stroke.color = Color32::from_rgb(0xdd, 0xdd, 0xdd);
    });
}

/// Atkinson Hyperlegible first, then egui's own fonts for what it lacks (symbols, emoji).
fn fonts() -> FontDefinitions {
    let mut fonts = FontDefinitions::default();
    fonts.font_data.insert(
        "atkinson".into(),
        Arc::new(FontData::from_static(include_bytes!(
            "../../assets/fonts/AtkinsonHyperlegible-Regular.ttf"
        ))),
    );
    fonts.font_data.insert(
        "atkinson-bold".into(),
        Arc::new(FontData::from_static(include_bytes!(
            "../../assets/fonts/AtkinsonHyperlegible-Bold.ttf"
        ))),
    );
    let fallbacks = fonts
        .families
        .get(&FontFamily::Proportional)
        .cloned()
        .unwrap_or_default();
    fonts
        .families
        .entry(FontFamily::Proportional)
        .or_default()
        .insert(0, "atkinson".into());
    let mut bold_faces = vec!["atkinson-bold".to_owned()];
    bold_faces.extend(fallbacks);
    fonts.families.insert(bold(), bold_faces);
    fonts
}

/// WCAG 2 contrast ratio of two colours (1 to 21).
#[cfg(test)]
fn contrast(a: Color32, b: Color32) -> f32 {
    fn luminance(c: Color32) -> f32 {
        let channel = |v: u8| {
            let v = f32::from(v) / 255.0;
            if v <= 0.039_28 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(c.r()) + 0.7152 * channel(c.g()) + 0.0722 * channel(c.b())
    }
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_colour_reads_at_4_5_to_1_on_every_background() {
        for (name, text) in [
            ("text", TEXT),
            ("muted", MUTED),
            ("primary", PRIMARY),
            ("success", SUCCESS),
            ("error", ERROR),
            ("warning", WARNING),
        ] {
            for background in [BACKGROUND, SURFACE] {
                let ratio = contrast(text, background);
                assert!(ratio >= 4.5, "{name} on {background:?}: {ratio:.2}");
            }
        }
        // The primary button: white on blue.
        assert!(contrast(Color32::WHITE, PRIMARY) >= 4.5);
        assert!(contrast(Color32::WHITE, ERROR) >= 4.5);
    }

    #[test]
    fn the_contrast_formula_gives_the_known_extremes() {
        assert!((contrast(Color32::BLACK, Color32::WHITE) - 21.0).abs() < 0.01);
        assert!((contrast(TEXT, TEXT) - 1.0).abs() < 0.001);
    }
}
