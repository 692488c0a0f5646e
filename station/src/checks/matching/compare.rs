//! 1:1 comparison: NIST BOZORTH3 through `fprint-bozorth3` (a pair-table matcher: it compares the
//! tables of minutia pairs of both prints, each pair by length and relative angles, then grows
//! consistent clusters). The score is 0 for unrelated prints and rises with the size of the largest
//! consistent set of pairs: NIST's own tools give ≈ 500 for a print against itself and 4–14 for
//! different fingers (shared/reference/fingerprint-science.md, "Matching").

use super::template::Template;

/// BOZORTH3's input form: origin bottom-left, theta in degrees, the inverse of what extraction
/// does (extract.rs).
fn as_xyt(template: &Template) -> Vec<fprint_bozorth3::Minutia> {
    template
        .minutiae
        .iter()
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

/// The comparison score of a live or new print (`probe`) against a reference. BOZORTH3's score is
/// not symmetric: always put the print just taken first. 0 when either holds fewer than 10 minutiae
/// (too few to say anything).
pub fn compare(probe: &Template, reference: &Template) -> u32 {
    let probe = as_xyt(probe);
    let reference = as_xyt(reference);
    fprint_bozorth3::match_score(&probe, &reference)
}
