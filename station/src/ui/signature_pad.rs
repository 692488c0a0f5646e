//! The signing pad: on the applicant's window it reads the pen (a pen tablet or a touch screen
//! through egui's touch events, with the force when the device gives it; a mouse or a pen seen as
//! a mouse through the pointer, without force) and sends the ink to the core; on the clerk's
//! window it draws the same ink as it forms.

use eframe::egui::{self, Color32, Event, PointerButton, Pos2, Rect, Sense, Stroke, TouchPhase};
use wire::signature::{PAD_HEIGHT, PAD_WIDTH, PenSample};

use crate::desk::{Command, SignatureView};

/// The pad's shape on screen: the pad's own 5:2.
const ASPECT: f32 = PAD_HEIGHT as f32 / PAD_WIDTH as f32;

/// The applicant's pad at its widest (its height follows): nearly the window's 800.
const APPLICANT_PAD_WIDTH: f32 = 720.0;

/// What the applicant's pad remembers between frames (kept in egui's memory of its window).
#[derive(Debug, Clone, Copy, Default)]
struct PenState {
    /// The pen is on the pad.
    down: bool,
    /// This pen came as touch events: the pointer events egui derives from them are ignored, so
    /// no sample is read twice.
    touch: bool,
}

/// A pad of `width` points wide (its height follows), laid out in `ui`.
fn allocate(ui: &mut egui::Ui, width: f32, sense: Sense) -> (egui::Response, egui::Painter) {
    let width = width.min(ui.available_width()).max(200.0);
    ui.allocate_painter(egui::vec2(width, width * ASPECT), sense)
}

/// Draws the box, the line to sign on and the ink.
fn paint(painter: &egui::Painter, rect: Rect, view: &SignatureView) {
    painter.rect_filled(rect, 6.0, Color32::WHITE);
    painter.rect_stroke(
        rect,
        6.0,
        Stroke::new(2.0, super::theme::PRIMARY),
        egui::StrokeKind::Inside,
    );
    let baseline = rect.top() + rect.height() * 0.78;
    painter.line_segment(
        [
            Pos2::new(rect.left() + rect.width() * 0.08, baseline),
            Pos2::new(rect.right() - rect.width() * 0.08, baseline),
        ],
        Stroke::new(1.0, Color32::from_gray(190)),
    );
    let to_screen = |(x, y): (u16, u16)| {
        Pos2::new(
            rect.left() + f32::from(x) / f32::from(PAD_WIDTH) * rect.width(),
            rect.top() + f32::from(y) / f32::from(PAD_HEIGHT) * rect.height(),
        )
    };
    let ink = Stroke::new((rect.width() / 300.0).clamp(1.5, 4.0), Color32::BLACK);
    for stroke in view.strokes.iter() {
        let points: Vec<Pos2> = stroke.iter().copied().map(to_screen).collect();
        if let [only] = points.as_slice() {
            painter.circle_filled(*only, ink.width, Color32::BLACK);
        } else {
            painter.add(egui::Shape::line(points, ink));
        }
    }
}

/// The clerk's view of the pad: the ink as the applicant lays it, nothing to draw with.
pub(crate) fn preview(ui: &mut egui::Ui, view: &SignatureView, width: f32) {
    let (response, painter) = allocate(ui, width, Sense::hover());
    paint(&painter, response.rect, view);
}

/// The applicant's pad: draws it and pushes the pen's samples of this frame as one
/// [`Command::SignatureInk`]. `enabled` is false once the signature is kept.
pub(crate) fn applicant(
    ui: &mut egui::Ui,
    view: &SignatureView,
    label: &str,
    enabled: bool,
    max_height: f32,
    asks: &mut Vec<Command>,
) {
    // As wide as the window allows, as long as the pad's height fits what is left of it.
    let width = APPLICANT_PAD_WIDTH.min(max_height / ASPECT);
    let (response, painter) = allocate(ui, width, Sense::click_and_drag());
    // Named for screen readers and for the tests that sign on it.
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Canvas, enabled, label));
    let rect = response.rect;
    paint(&painter, rect, view);
    let id = response.id.with("pen");
    let mut pen: PenState = ui.data(|d| d.get_temp(id)).unwrap_or_default();
    if !enabled {
        if pen.down {
            ui.data_mut(|d| d.insert_temp(id, PenState::default()));
        }
        return;
    }
    let now_ms = ui.input(|i| (i.time * 1000.0).max(0.0)) as u32;
    let to_pad = |pos: Pos2, pressure: Option<u16>| PenSample {
        x: (((pos.x - rect.left()) / rect.width()).clamp(0.0, 1.0) * f32::from(PAD_WIDTH)).round()
            as u16,
        y: (((pos.y - rect.top()) / rect.height()).clamp(0.0, 1.0) * f32::from(PAD_HEIGHT)).round()
            as u16,
        t_ms: now_ms,
        pressure,
    };
    let force = |f: Option<f32>| f.map(|f| (f.clamp(0.0, 1.0) * f32::from(u16::MAX)) as u16);
    let events = ui.input(|i| i.events.clone());
    let mut samples = Vec::new();
    let mut pen_up = false;
    for event in events {
        match event {
            Event::Touch {
                phase,
                pos,
                force: f,
                ..
            } => match phase {
                TouchPhase::Start if rect.contains(pos) => {
                    pen = PenState {
                        down: true,
                        touch: true,
                    };
                    samples.push(to_pad(pos, force(f)));
                }
                TouchPhase::Move if pen.down && pen.touch => samples.push(to_pad(pos, force(f))),
                TouchPhase::End | TouchPhase::Cancel if pen.down && pen.touch => {
                    samples.push(to_pad(pos, force(f)));
                    pen.down = false;
                    pen_up = true;
                }
                _ => {}
            },
            Event::PointerButton {
                pos,
                button: PointerButton::Primary,
                pressed,
                ..
            } if !pen.touch || !pen.down => {
                if pressed && rect.contains(pos) {
                    pen = PenState {
                        down: true,
                        touch: false,
                    };
                    samples.push(to_pad(pos, None));
                } else if !pressed && pen.down {
                    samples.push(to_pad(pos, None));
                    pen.down = false;
                    pen_up = true;
                }
            }
            Event::PointerMoved(pos) if pen.down && !pen.touch => {
                samples.push(to_pad(pos, None));
            }
            Event::PointerGone if pen.down && !pen.touch => {
                pen.down = false;
                pen_up = true;
            }
            _ => {}
        }
    }
    if !pen.down {
        pen.touch = false;
    }
    ui.data_mut(|d| d.insert_temp(id, pen));
    if !samples.is_empty() || pen_up {
        asks.push(Command::SignatureInk { samples, pen_up });
    }
}
