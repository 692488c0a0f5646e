//! `station app`: the clerk's window (and the applicant's) on the station configured in
//! `station.toml`. The counter core runs on its own threads; the window only renders its view and
//! sends it commands. The demo (its own binary) opens the same app on its simulated station.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Args;
use eframe::egui;

use crate::config::StationConfig;
use crate::desk::{Command, Counter};
use crate::ui::{APP_TITLE, AppSettings, SignInHints, StationApp};

/// `station app`.
#[derive(Debug, Args)]
pub struct AppArgs {
    /// The station's configuration file.
    #[arg(long, default_value = "station.toml")]
    pub config: PathBuf,
}

static LAUNCHED: OnceLock<Instant> = OnceLock::new();

/// Notes the moment the process started (called first thing in `main`), for the launch-time log.
pub fn mark_launch() {
    let _ = LAUNCHED.set(Instant::now());
}

fn launched() -> Instant {
    *LAUNCHED.get_or_init(Instant::now)
}

/// Runs `station app` until its window is closed.
pub fn run(args: &AppArgs) -> anyhow::Result<()> {
    super::display::check(
        &format!("station app --config {}", args.config.display()),
        None,
    )?;
    let config = StationConfig::load(&args.config)
        .with_context(|| format!("lecture de {}", args.config.display()))?;
    run_app(config, AppStart::default(), |_| Ok(()))
}

/// What the demo adds to the app it opens; a real station opens it with nothing added.
#[derive(Debug, Clone, Default)]
pub struct AppStart {
    /// Raised to close the window (Ctrl-C in the demo).
    pub stop: Option<Arc<AtomicBool>>,
    /// Shown under the sign-in form (the demo's accounts and numbers).
    pub sign_in_hints: Option<SignInHints>,
}

/// Opens the app on `config` and returns when its window is closed, or when `start.stop` is
/// raised. `with_counter` is handed the started counter core before the window opens (the demo's
/// simulated applicant follows it); what it returns lives as long as the window. The counter core
/// is stopped cleanly before returning.
pub fn run_app<T>(
    config: StationConfig,
    start: AppStart,
    with_counter: impl FnOnce(Arc<Counter>) -> anyhow::Result<T>,
) -> anyhow::Result<()> {
    let AppStart {
        stop,
        sign_in_hints,
    } = start;
    let context: Arc<OnceLock<egui::Context>> = Arc::new(OnceLock::new());
    let repaint = {
        let context = Arc::clone(&context);
        Arc::new(move || {
            if let Some(ctx) = context.get() {
                ctx.request_repaint();
            }
        })
    };
    let settings = AppSettings {
        sign_in_hints,
        ..AppSettings::from_config(&config)
    };
    let counter = Arc::new(Counter::start(config, repaint).context("démarrage du poste")?);
    let companion = with_counter(Arc::clone(&counter))?;

    if let Some(stop) = stop {
        let context = Arc::clone(&context);
        std::thread::Builder::new()
            .name("app-stop".into())
            .spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    std::thread::sleep(Duration::from_millis(100));
                }
                if let Some(ctx) = context.get() {
                    ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                }
            })
            .context("surveillance de Ctrl-C")?;
    }

    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(APP_TITLE)
            // The counter's screen is the app's alone: it opens maximized, and at the smallest
            // counter screen's size where no window manager maximizes it.
            .with_maximized(true)
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([1024.0, 700.0]),
        ..eframe::NativeOptions::default()
    };
    let app_counter = Arc::clone(&counter);
    let shown = eframe::run_native(
        APP_TITLE,
        options,
        Box::new(move |cc| {
            let _ = context.set(cc.egui_ctx.clone());
            Ok(Box::new(StationApp::new(app_counter, settings, launched())))
        }),
    );
    drop(companion);
    match Arc::try_unwrap(counter) {
        Ok(counter) => counter.stop(),
        Err(counter) => {
            counter.send(Command::Shutdown);
        }
    }
    shown.map_err(|e| anyhow::anyhow!("fenêtre de l'application : {e}"))
}
