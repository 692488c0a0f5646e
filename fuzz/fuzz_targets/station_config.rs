//! The station's configuration file (`station.toml`), parsed and validated as at start-up.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use station::config::{Mode, StationConfig};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for mode in [Mode::Development, Mode::Production] {
        if let Ok(config) = StationConfig::from_toml(text, Path::new("station.toml"), mode) {
            // The technician's screen writes a loaded configuration back.
            let _ = config.to_toml();
        }
    }
});
