//! The fingers step: the finger asked for, the live prompt and transfer progress, the captured image
//! and its quality against the threshold, retries, and the exception with its reason when a finger
//! cannot be taken. The sequence so far is listed beside it.

use eframe::egui::{self, Key, RichText};

use super::{cx::Cx, keys, texts::Tr, widgets};
use crate::{
    desk::{CapturePrompt, Command, EnrolmentView, FingerResult},
    enrolment::{ExceptionReason, FingerPosition},
};

/// Size a fingerprint is drawn at most (the module's images are 256×288).
pub(crate) const FINGER_BOX: egui::Vec2 = egui::vec2(256.0, 288.0);

/// Size of a settled finger's image in the sequence list.
const THUMB: egui::Vec2 = egui::vec2(64.0, 72.0);

/// The reasons a finger cannot be taken, in the chooser's order.
const REASONS: [ExceptionReason; 4] = [
    ExceptionReason::Amputated,
    ExceptionReason::Bandaged,
    ExceptionReason::Damaged,
    ExceptionReason::Other,
];

/// The finger the session asks for now.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Current {
    pub position: FingerPosition,
    pub attempt: u32,
    pub max_attempts: u32,
    pub best_quality: Option<u8>,
}

/// The fingers screen's own state: the exception chooser.
#[derive(Debug, Default)]
pub(crate) struct FingersScreen {
    choosing: Option<FingerPosition>,
    reason: Option<ExceptionReason>,
}

impl FingersScreen {
    pub(crate) fn show(
        &mut self,
        ui: &mut egui::Ui,
        enrolment: &EnrolmentView,
        current: Current,
        cx: &mut Cx<'_>,
    ) {
        let tr = cx.tr;
        if self.choosing.is_some_and(|p| p != current.position) {
            self.choosing = None;
            self.reason = None;
        }
        widgets::heading(
            ui,
            &tr.with(
                "ui.fingers.title",
                &[
                    ("finger", &tr.finger(current.position)),
                    ("attempt", &current.attempt.to_string()),
                    ("max", &current.max_attempts.to_string()),
                ],
            ),
        );
        // The finger just captured, until the next capture starts: its result stays on screen.
        if let Some(done) = enrolment
            .live
            .as_ref()
            .filter(|l| l.prompt == CapturePrompt::LiftFinger)
            .and_then(|l| {
                enrolment
                    .fingers
                    .iter()
                    .rev()
                    .find(|f| f.position == l.position)
            })
        {
            result_banner(ui, done, cx.settings.quality_threshold, tr);
        }
        let live = enrolment
            .live
            .as_ref()
            .filter(|l| l.position == current.position);
        let capturing = live.is_some_and(|l| l.prompt != CapturePrompt::LiftFinger);
        let result = enrolment
            .fingers
            .iter()
            .rev()
            .find(|f| f.position == current.position);

        ui.horizontal_top(|ui| {
            ui.vertical(|ui| {
                ui.set_min_width(FINGER_BOX.x);
                // While the image arrives it is drawn as far as it goes; then the best capture.
                let arriving = live.filter(|_| capturing).and_then(|l| l.picture.as_ref());
                match arriving.or_else(|| result.and_then(|r| r.best.as_ref())) {
                    Some(best) => {
                        cx.pictures.show(ui, best, FINGER_BOX);
                    }
                    None => {
                        ui.allocate_ui(FINGER_BOX, |ui| {
                            ui.label(RichText::new(tr.t("ui.fingers.no_image")).weak());
                        });
                    }
                }
            });
            ui.add_space(16.0);
            ui.vertical(|ui| {
                ui.set_max_width(460.0);
                if let Some(live) = live {
                    ui.label(
                        RichText::new(&live.instruction)
                            .size(super::theme::VERDICT)
                            .strong(),
                    );
                    if live.prompt == CapturePrompt::Reading {
                        ui.add(
                            egui::ProgressBar::new(live.progress)
                                .desired_width(260.0)
                                .show_percentage(),
                        );
                    } else if live.prompt == CapturePrompt::PlaceFinger {
                        ui.spinner();
                    }
                } else {
                    ui.label(
                        RichText::new(tr.with(
                            "ui.fingers.ask",
                            &[("finger", &tr.finger(current.position).to_lowercase())],
                        ))
                        .size(super::theme::BODY),
                    );
                }
                if let Some(r) = result {
                    quality_line(ui, r, cx.settings.quality_threshold, tr);
                }
                if let Some(best) = current.best_quality {
                    ui.label(tr.with("ui.fingers.best", &[("q", &best.to_string())]));
                }
                ui.add_space(8.0);
                if self.choosing.is_none() {
                    if capturing {
                        if widgets::button(ui, tr, &tr.t("ui.fingers.stop"), widgets::ESCAPE, true)
                            || keys::pressed(ui, Key::Escape)
                        {
                            cx.asks.push(Command::CancelCapture);
                        }
                    } else {
                        let label = if result.is_some_and(|r| r.attempts > 0) {
                            tr.t("ui.fingers.capture_again")
                        } else {
                            tr.t("ui.fingers.capture")
                        };
                        if widgets::button(ui, tr, &label, widgets::ENTER, true)
                            || keys::enter_for_main_action(ui)
                        {
                            cx.asks.push(Command::CaptureFinger);
                        }
                        let settled_before = enrolment
                            .fingers
                            .iter()
                            .any(|f| f.settled && f.position != current.position);
                        if widgets::button(
                            ui,
                            tr,
                            &tr.t("ui.fingers.retry_previous"),
                            "F6",
                            settled_before,
                        ) || (settled_before && keys::pressed(ui, Key::F6))
                        {
                            cx.asks.push(Command::RetryFinger);
                        }
                        // Shown only after going back to a finger: its earlier capture is good,
                        // and the clerk may keep it rather than have the applicant lay it again.
                        if enrolment.can_keep_finger
                            && (widgets::button(ui, tr, &tr.t("ui.fingers.keep"), "F7", true)
                                || keys::pressed(ui, Key::F7))
                        {
                            cx.asks.push(Command::KeepFinger);
                        }
                        if widgets::button(ui, tr, &tr.t("ui.fingers.exception"), "F8", true)
                            || keys::pressed(ui, Key::F8)
                        {
                            self.choosing = Some(current.position);
                            self.reason = None;
                        }
                    }
                } else {
                    self.chooser(ui, current.position, cx);
                }
            });
            ui.add_space(16.0);
            ui.vertical(|ui| {
                ui.label(RichText::new(tr.t("ui.fingers.sequence")).strong());
                for f in &enrolment.fingers {
                    ui.horizontal(|ui| {
                        if let Some(best) = f.best.as_ref().filter(|_| f.settled) {
                            cx.pictures.show(ui, best, THUMB);
                        }
                        ui.label(outcome(f, cx.settings.quality_threshold, tr));
                    });
                }
            });
        });
    }

    /// The exception's reason: one choice among four (keys 1–4), then confirm.
    fn chooser(&mut self, ui: &mut egui::Ui, position: FingerPosition, cx: &mut Cx<'_>) {
        let tr = cx.tr;
        ui.label(
            RichText::new(tr.with(
                "ui.fingers.exception_question",
                &[("finger", &tr.finger(position).to_lowercase())],
            ))
            .strong()
            .size(super::theme::BODY),
        );
        let digit_keys = [Key::Num1, Key::Num2, Key::Num3, Key::Num4];
        for (i, reason) in REASONS.into_iter().enumerate() {
            let label = format!("{}. {}", i + 1, tr.reason(reason));
            if ui.radio(self.reason == Some(reason), label).clicked()
                || keys::pressed(ui, digit_keys[i])
            {
                self.reason = Some(reason);
            }
        }
        ui.horizontal(|ui| {
            let chosen = self.reason;
            if widgets::button(
                ui,
                tr,
                &tr.t("ui.fingers.exception_confirm"),
                widgets::ENTER,
                chosen.is_some(),
            ) || (chosen.is_some() && keys::enter_for_main_action(ui))
            {
                if let Some(reason) = chosen {
                    cx.asks.push(Command::FingerException(reason));
                }
                self.choosing = None;
                self.reason = None;
            }
            if widgets::button(
                ui,
                tr,
                &tr.t("ui.fingers.exception_back"),
                widgets::ESCAPE,
                true,
            ) || keys::pressed(ui, Key::Escape)
            {
                self.choosing = None;
                self.reason = None;
            }
        });
    }
}

/// What the capture just taken gave, in one line the clerk reads at a glance: a good print, a
/// print to take again, or one kept below the threshold after the last try.
fn result_banner(ui: &mut egui::Ui, f: &FingerResult, threshold: u8, tr: Tr) {
    let Some(q) = f.last_quality else {
        return;
    };
    let args = [
        ("finger", tr.finger(f.position)),
        ("q", q.to_string()),
        ("threshold", threshold.to_string()),
    ];
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (key, colour) = if q >= threshold {
        ("ui.fingers.result_good", widgets::GREEN)
    } else if f.below_threshold {
        ("ui.fingers.result_kept_below", widgets::AMBER)
    } else {
        ("ui.fingers.result_again", widgets::AMBER)
    };
    ui.label(
        RichText::new(tr.with(key, &args))
            .color(colour)
            .size(super::theme::VERDICT),
    );
}

/// "Qualité 35 / seuil 40", coloured, with the quality check's advice.
fn quality_line(ui: &mut egui::Ui, r: &FingerResult, threshold: u8, tr: Tr) {
    if let Some(q) = r.last_quality {
        let color = if q >= threshold {
            widgets::GREEN
        } else {
            widgets::AMBER
        };
        ui.label(
            RichText::new(tr.with(
                "ui.fingers.quality",
                &[("q", &q.to_string()), ("threshold", &threshold.to_string())],
            ))
            .color(color)
            .size(super::theme::BODY),
        );
    }
    if let Some(advice) = &r.advice {
        ui.label(RichText::new(advice).italics());
    }
}

/// One finger's outcome in words and colour.
pub(crate) fn outcome(f: &FingerResult, threshold: u8, tr: Tr) -> RichText {
    let name = tr.finger(f.position);
    if let Some(reason) = f.exception {
        return RichText::new(tr.with(
            "ui.fingers.outcome_exception",
            &[("finger", &name), ("reason", &tr.reason(reason))],
        ))
        .color(widgets::AMBER);
    }
    let q = f
        .best_quality
        .map(|q| q.to_string())
        .unwrap_or_else(|| "—".to_owned());
    let args = [
        ("finger", name.as_str()),
        ("q", q.as_str()),
        ("threshold", &threshold.to_string()),
        ("n", &f.attempts.to_string()),
    ];
    if f.below_threshold {
        RichText::new(tr.with("ui.fingers.outcome_below", &args)).color(widgets::AMBER)
    } else if f.settled {
        RichText::new(tr.with("ui.fingers.outcome_ok", &args)).color(widgets::GREEN)
    } else {
        RichText::new(tr.with("ui.fingers.outcome_open", &args))
    }
}
