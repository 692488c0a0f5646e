//! Whether this session has a screen to open windows on. Checked before anything starts, so that a
//! newcomer on a server reads what to run instead of a windowing library's error after the demo's
//! services were already brought up.

/// The variables a window needs on Linux and the BSDs: an X server (`DISPLAY`) or a Wayland
/// compositor (`WAYLAND_DISPLAY`, or the socket a compositor hands its children).
const DISPLAY_VARIABLES: [&str; 3] = ["DISPLAY", "WAYLAND_DISPLAY", "WAYLAND_SOCKET"];

/// `Ok` when a window can be opened; otherwise the sentence that says what to do: `windowed` is the
/// command as typed (to run under a virtual screen), `headless` the one that works without a screen
/// (if there is one).
pub fn check(windowed: &str, headless: Option<&str>) -> anyhow::Result<()> {
    if has_display(|name| std::env::var_os(name)) {
        return Ok(());
    }
    let instead = headless
        .map(|command| {
            format!(
                "\n  - sans fenêtre (service national et appareils simulés seulement) : {command}"
            )
        })
        .unwrap_or_default();
    anyhow::bail!(
        "aucun écran : ni DISPLAY ni WAYLAND_DISPLAY n'est défini, la fenêtre ne peut pas s'ouvrir.\n\
         À la place :{instead}\n  \
         - sous un écran virtuel : xvfb-run -s \"-screen 0 1600x1000x24\" {windowed}"
    )
}

/// True when one of the display variables is set to something.
fn has_display(var: impl Fn(&str) -> Option<std::ffi::OsString>) -> bool {
    // macOS and Windows open windows without these variables.
    if !cfg!(unix) || cfg!(target_os = "macos") {
        return true;
    }
    DISPLAY_VARIABLES
        .iter()
        .any(|name| var(name).is_some_and(|v| !v.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_variable_is_no_display() {
        let none = |_: &str| None;
        let empty = |_: &str| Some(std::ffi::OsString::new());
        let x = |name: &str| (name == "DISPLAY").then(|| ":99".into());
        let wayland = |name: &str| (name == "WAYLAND_DISPLAY").then(|| "wayland-0".into());
        assert!(!has_display(none));
        assert!(!has_display(empty));
        assert!(has_display(x));
        assert!(has_display(wayland));
    }
}
