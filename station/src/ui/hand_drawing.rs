//! The applicant's picture of what to do with their fingers: the hand seen from above as it will
//! lie on the glass, the finger to lay filled in the primary colour, the others only outlined, and
//! the sensor beside it with an arrow from the fingertip to the glass. Drawn with egui's shapes so
//! that it scales to any window and needs no image file; someone who does not read French (or
//! reads it without their glasses) still sees which finger and where.

use eframe::egui::{self, Color32, CornerRadius, Pos2, Rect, Sense, Shape, Stroke, pos2, vec2};

use super::theme;
use crate::enrolment::{FingerPosition, Hand};

/// The drawing's size on the applicant's window.
pub(crate) const SIZE: egui::Vec2 = egui::vec2(520.0, 300.0);

/// The five fingers from the thumb to the little finger, as (offset along the palm's top edge in
/// palm widths, length in palm heights). The thumb sits lower, on the side.
const FINGERS: [(f32, f32); 5] = [
    (-0.05, 0.55),
    (0.12, 0.95),
    (0.37, 1.05),
    (0.62, 0.98),
    (0.86, 0.75),
];

/// Which of [`FINGERS`] a position is (thumb 0 … little finger 4).
fn finger_rank(position: FingerPosition) -> usize {
    match position {
        FingerPosition::LeftIndex | FingerPosition::RightIndex => 1,
        FingerPosition::LeftMiddle | FingerPosition::RightMiddle => 2,
        FingerPosition::LeftRing | FingerPosition::RightRing => 3,
    }
}

/// Draws the hand with `position` highlighted and the sensor beside it. `said` is what the drawing
/// says to a screen reader (and to the tests).
pub(crate) fn show(ui: &mut egui::Ui, position: FingerPosition, said: &str) -> egui::Response {
    let (response, painter) = ui.allocate_painter(SIZE, Sense::hover());
    let said = said.to_owned();
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, &said));
    let area = response.rect;
    let hand_area = Rect::from_min_size(area.min, vec2(area.width() * 0.55, area.height()));
    let sensor_area =
        Rect::from_min_max(pos2(area.min.x + area.width() * 0.65, area.min.y), area.max);
    let (tip, hand_right) = draw_hand(&painter, hand_area, position);
    let glass = draw_sensor(&painter, sensor_area);
    // From beside the hand at the fingertip's height, so that the arrow never crosses the other
    // fingers (on a right hand the index is the leftmost).
    let from = pos2(hand_right + 12.0, tip.y);
    painter.arrow(
        from,
        glass.left_center() - from - vec2(12.0, 0.0),
        Stroke::new(4.0, theme::PRIMARY),
    );
    response
}

/// The hand, back up, fingers pointing up; returns the tip of the finger to lay and the drawing's
/// right edge.
fn draw_hand(painter: &egui::Painter, area: Rect, position: FingerPosition) -> (Pos2, f32) {
    let outline = Stroke::new(3.0, theme::TEXT);
    let skin = theme::SURFACE;
    let palm_w = area.width() * 0.62;
    let palm_h = area.height() * 0.42;
    let palm = Rect::from_min_size(
        pos2(
            area.center().x - palm_w / 2.0,
            area.max.y - palm_h - area.height() * 0.04,
        ),
        vec2(palm_w, palm_h),
    );
    let finger_w = palm_w * 0.2;
    let highlighted = finger_rank(position);
    let mut tip = palm.center_top();
    let mut right = palm.max.x;
    for (rank, (along, length)) in FINGERS.iter().enumerate() {
        // A left hand seen from above has its thumb on the right, a right hand on the left.
        let along = match position.hand() {
            Hand::Right => *along,
            Hand::Left => 1.0 - along,
        };
        let x = palm.min.x + along * palm_w;
        let length = length * palm_h;
        let bottom = if rank == 0 {
            palm.max.y - palm_h * 0.15
        } else {
            palm.min.y + finger_w * 0.5
        };
        let finger = Rect::from_min_max(
            pos2(x - finger_w / 2.0, bottom - length),
            pos2(x + finger_w / 2.0, bottom),
        );
        right = right.max(finger.max.x);
        let fill = if rank == highlighted {
            tip = finger.center_top() + vec2(0.0, finger_w * 0.6);
            theme::PRIMARY
        } else {
            skin
        };
        painter.rect(
            finger,
            CornerRadius::same(rounding(finger_w / 2.0)),
            fill,
            outline,
            egui::StrokeKind::Middle,
        );
    }
    painter.rect(
        palm,
        CornerRadius::same(rounding(palm_w * 0.18)),
        skin,
        outline,
        egui::StrokeKind::Middle,
    );
    (tip, right)
}

/// The sensor: a dark body with its glass; returns the glass.
fn draw_sensor(painter: &egui::Painter, area: Rect) -> Rect {
    let body = Rect::from_center_size(
        area.center(),
        vec2(area.width() * 0.9, area.height() * 0.55),
    );
    painter.rect(
        body,
        CornerRadius::same(16),
        Color32::from_rgb(0x3a, 0x3a, 0x3a),
        Stroke::new(2.0, theme::TEXT),
        egui::StrokeKind::Middle,
    );
    let glass = Rect::from_center_size(
        body.center(),
        vec2(body.width() * 0.55, body.height() * 0.6),
    );
    painter.rect_filled(
        glass,
        CornerRadius::same(6),
        Color32::from_rgb(0x9a, 0xc8, 0xe8),
    );
    // A small light as on the module: the sensor is on.
    painter.add(Shape::circle_filled(
        pos2(body.max.x - 14.0, body.min.y + 14.0),
        5.0,
        theme::SUCCESS,
    ));
    glass
}

fn rounding(radius: f32) -> u8 {
    radius.clamp(0.0, 255.0) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_finger_asked_is_drawn_as_itself() {
        assert_eq!(finger_rank(FingerPosition::LeftIndex), 1);
        assert_eq!(finger_rank(FingerPosition::RightMiddle), 2);
        assert_eq!(finger_rank(FingerPosition::LeftRing), 3);
    }
}
