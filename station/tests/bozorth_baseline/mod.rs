//! NIST BOZORTH3 (`fprint-bozorth3`) on the station's templates: the matcher the station used
//! before MCC, kept as the baseline the accuracy test and the matching bench measure against.

use station::checks::matching::{MIN_MINUTIA_QUALITY, Template};

/// BOZORTH3's input form for a template: origin bottom-left, theta in degrees (the inverse of what
/// extraction does), reliable minutiae only.
pub fn as_xyt(template: &Template) -> Vec<fprint_bozorth3::Minutia> {
    template
        .minutiae
        .iter()
        .filter(|m| m.quality >= MIN_MINUTIA_QUALITY)
        .map(|m| {
            let theta = (i32::from(m.angle_degrees()) + 180).rem_euclid(360);
            fprint_bozorth3::Minutia::from_xyt(
                i32::from(m.x),
                i32::from(template.height) - i32::from(m.y),
                theta,
            )
        })
        .collect()
}
