//! The values of a configuration checked at load, each refusal naming its key: a value that parses
//! but cannot work (an upload timeout of 0, an all-zero key, a station id the central refuses)
//! would otherwise show up later as failed uploads, or as records sealed for good with a bad id.

use super::StationConfig;

/// A refused setting: its key (`section.key`) and the reason.
pub type Refusal = (&'static str, String);

/// Checks every value of `config` that its type alone does not constrain.
pub fn check(config: &StationConfig) -> Result<(), Refusal> {
    station_id(&config.station_id)?;
    central_url(&config.central.url)?;
    if config.central.token.chars().any(char::is_control) {
        return Err(("central.token", "holds control characters".into()));
    }
    let keys = config
        .central_keys()
        .map_err(|e| ("central", e.to_string()))?;
    if keys.record_public_key == [0; 32] {
        return Err(("central.record_public_key", "all zeros: not a key".into()));
    }
    if keys.receipt_public_key == [0; 32] {
        return Err((
            "central.receipt_public_key",
            "all zeros: not a key (no receipt would ever verify)".into(),
        ));
    }
    let http = &config.http;
    for (key, value) in [
        ("http.connect_timeout_ms", http.connect_timeout_ms),
        ("http.lookup_timeout_ms", http.lookup_timeout_ms),
        ("http.upload_timeout_ms", http.upload_timeout_ms),
    ] {
        if value == 0 {
            return Err((key, "must be at least 1 ms".into()));
        }
    }
    let uploader = &config.uploader;
    if !(1..=16).contains(&uploader.concurrency) {
        return Err(("uploader.concurrency", "must be between 1 and 16".into()));
    }
    if uploader.initial_backoff_ms == 0 {
        return Err((
            "uploader.initial_backoff_ms",
            "must be at least 1 ms".into(),
        ));
    }
    if uploader.max_backoff_ms < uploader.initial_backoff_ms {
        return Err((
            "uploader.max_backoff_ms",
            "must not be below uploader.initial_backoff_ms".into(),
        ));
    }
    if uploader.idle_poll_ms == 0 {
        return Err(("uploader.idle_poll_ms", "must be at least 1 ms".into()));
    }
    if config.counter.quality_threshold > 100 {
        return Err((
            "counter.quality_threshold",
            "is a score from 0 to 100".into(),
        ));
    }
    if config.counter.max_attempts == 0 {
        return Err(("counter.max_attempts", "must be at least 1".into()));
    }
    let qr_reading = crate::config::CounterSettings::QR_READING_S;
    if !qr_reading.contains(&config.counter.qr_reading_s) {
        return Err((
            "counter.qr_reading_s",
            format!(
                "{} s: must be between {} and {} seconds",
                config.counter.qr_reading_s,
                qr_reading.start(),
                qr_reading.end()
            ),
        ));
    }
    let retention = crate::retention::RetentionSettings::MIN_DAYS
        ..=crate::retention::RetentionSettings::MAX_DAYS;
    if !retention.contains(&config.retention.days) {
        return Err((
            "retention.days",
            format!(
                "must be between {} and {} days",
                retention.start(),
                retention.end()
            ),
        ));
    }
    config.mode.check()?;
    Ok(())
}

/// The station id as the central registers it ([`wire::station_id`]).
pub fn station_id(id: &str) -> Result<(), Refusal> {
    if wire::station_id::is_valid(id) {
        Ok(())
    } else {
        Err((
            "station_id",
            format!(
                "{id:?} is not a station id the central accepts ({})",
                wire::station_id::RULE
            ),
        ))
    }
}

/// An `https://` URL with a host, and nothing a URL cannot hold.
fn central_url(url: &str) -> Result<(), Refusal> {
    let key = "central.url";
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err((key, format!("{url:?} holds spaces or control characters")));
    }
    let Some(rest) = url.strip_prefix("https://") else {
        return Err((key, format!("{url:?} is not an https:// URL")));
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    // `[v6]:port`, `host:port` or `host`.
    let (host, port) = match authority.strip_prefix('[') {
        Some(v6) => match v6.split_once(']') {
            Some((host, "")) => (host, None),
            Some((host, tail)) => (host, Some(tail.strip_prefix(':').unwrap_or(tail))),
            None => ("", None),
        },
        None => match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        },
    };
    if let Some(port) = port
        && port.parse::<u16>().map_or(true, |p| p == 0)
    {
        return Err((key, format!("{url:?}: {port:?} is not a port number")));
    }
    let host_ok = !host.is_empty()
        && !host.contains('@')
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'));
    if host_ok {
        Ok(())
    } else {
        Err((key, format!("{url:?} has no valid host")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert!(central_url("https://127.0.0.1:8443").is_ok());
        assert!(central_url("https://central.example/").is_ok());
        assert!(central_url("https://[::1]:8443").is_ok());
        for bad in [
            "",
            "not a url",
            "file:///etc/passwd",
            "http://central.example",
            "https://",
            "https://:8443",
            "https://host:0",
            "https://host:99999",
            "https://user@host",
        ] {
            assert!(central_url(bad).is_err(), "{bad}");
        }
    }
}
