//! A camera whose frame buffer holds only the first 90 % of its JPEG: the app's photo step refuses
//! the picture and tells the clerk the photo is incomplete, rather than judging a grey band.

use std::sync::Arc;

use firmware_sim::synth::sensor_defects::CameraDefects;
use station::desk::{Command, Counter};

use crate::{
    counter_steps::{step, wait},
    local_station_env::Env,
};
use station::enrolment::Step;

#[test]
fn a_cut_camera_frame_is_an_incomplete_photo_for_the_clerk() {
    let env = Env::start(false);
    let counter = Counter::start(env.config.clone(), Arc::new(|| {})).expect("counter");
    wait(&counter, "setup screen", |v| v.generation > 0);
    counter.send(Command::CreateFirstSupervisor {
        name: "chef".into(),
        secret: "1234-abcd".into(),
    });
    wait(&counter, "signed in", |v| v.operator.is_some());
    wait(&counter, "camera", |v| {
        v.devices.camera.as_ref().is_some_and(|c| c.ready)
    });
    counter.send(Command::LoadPreRequest {
        number: "demo000001".into(),
    });
    wait(&counter, "pre-request", |v| {
        v.enrolment
            .as_ref()
            .is_some_and(|e| e.pre_request.is_some())
    });
    counter.send(Command::ConfirmApplicant);
    wait(&counter, "photo step", |v| {
        matches!(step(v), Some(Step::Photo { .. }))
    });
    let cut: CameraDefects = "cut=90".parse().expect("defect");
    env.camera().set_lens(cut);
    counter.send(Command::CapturePhoto);
    let v = wait(&counter, "the photo refused", |v| {
        v.busy.is_none()
            && v.notice
                .as_ref()
                .is_some_and(|n| n.text.contains("Photo incomplète"))
    });
    let notice = v.notice.clone().expect("notice");
    assert!(notice.error, "{notice:?}");
    assert!(
        v.enrolment.as_ref().is_some_and(|e| e.photo.is_none()),
        "no photo kept"
    );
    assert!(matches!(step(&v), Some(Step::Photo { .. })));
}
