//! The limits each measure is judged against, and where they come from.
//!
//! The FBI's scanner image-quality specification (EBTS Appendix F, "IAFIS Image Quality
//! Specifications", with its test procedures by MITRE) and its single-finger variant for PIV
//! cards (PIV-071006) are the public references for fingerprint scanners. Their figures are not
//! in `shared/reference/` (fingerprint-science.md covers NFIQ 2 only); they are quoted here from
//! the published specifications. They are written for 8-bit scanners: a ZFM module uploads 4 bits
//! a pixel (reference zfm-fingerprint-protocol.md, "Image upload"), so one grey step on the wire
//! is 17 levels, and the uniformity limits below can only be met by a sensor that is uniform to
//! within one such step. Limits without an FBI source are our own, and say why.

/// Fewest frames of each target a calibration takes: the temporal noise of one frame is unknown,
/// and two frames give a poor estimate. Our own choice.
pub const MIN_FRAMES: usize = 3;

/// Lowest acceptable mean level of the blank (white) target, grey levels. Our own: the
/// synthesiser and real optical modules show 238–250 around a finger; below 160 the light
/// source has lost a third of its brightness and ridges lose contrast with it.
pub const MIN_BACKGROUND_LEVEL: f64 = 160.0;

/// Lowest signal-to-noise ratio (white level − dark level) ÷ temporal noise. PIV-071006 (the
/// FBI's specification for single-finger capture devices): SNR ≥ 70.6. (EBTS Appendix F asks
/// 125 of ten-print scanners.)
pub const MIN_SNR: f64 = 70.6;

/// Largest difference between the mean levels of two areas of the blank (light) target, grey
/// levels. EBTS Appendix F, gray-level uniformity, "small area": ≤ 12.0 on a light target.
/// Appendix F's areas are a quarter inch square; on a 256 × 288 sensor that leaves four, so we
/// take NFIQ 2's 32 × 32-pixel blocks (reference fingerprint-science.md) as the areas.
pub const MAX_AREA_SPREAD_LIGHT: f64 = 12.0;

/// As [`MAX_AREA_SPREAD_LIGHT`], on the flat (dark) target: EBTS Appendix F, ≤ 3.0.
pub const MAX_AREA_SPREAD_DARK: f64 = 3.0;

/// Side of the areas compared for uniformity, pixels (NFIQ 2's local block, reference
/// fingerprint-science.md).
pub const UNIFORMITY_BLOCK: u32 = 32;

/// Lowest dynamic range (blank level − flat level), grey levels. PIV-071006 and EBTS Appendix G:
/// at least 80 % of fingerprint images must span 150 grey levels; a sensor whose white and dark
/// targets are closer than that cannot give such images.
pub const MIN_DYNAMIC_RANGE: f64 = 150.0;

/// Most dead and stuck pixels together. Our own: the flat field fills each from its neighbours,
/// which is harmless for a few isolated pixels (a ridge is 4–5 pixels wide at 500 ppi); ten is
/// about one pixel in 7,000 on a 256 × 288 sensor.
pub const MAX_BAD_PIXELS: usize = 10;

/// A pixel whose response (blank − flat) is below this fraction of its neighbourhood's is dead
/// or stuck. Our own: vignetting and residue change the response by tens of per cent, never by
/// half within a 16-pixel block.
pub const BAD_PIXEL_RESPONSE: f64 = 0.5;

/// Side of the cells the blank frame is cut into to look for residue, pixels. Our own: a
/// quarter of NFIQ 2's block, so that a latent print a few millimetres across covers many.
pub const RESIDUE_CELL: u32 = 8;

/// A cell is darker than the smooth light field by at least this many grey levels … (our own:
/// above one 4-bit step, 17, seen through averaging of the staircase, which stays within ±9)
pub const RESIDUE_MIN_DROP: f64 = 14.0;

/// … and by at least this fraction of the local level (our own: latent residue takes 10–30 % of
/// the light in our simulator, whose patch takes 20 %).
pub const RESIDUE_MIN_FRACTION: f64 = 0.08;

/// Fewest touching cells that make a residue (our own): three 8 × 8 cells, about 1.5 mm² at
/// 500 ppi, smaller than any latent print but larger than a cluster of bad pixels.
pub const RESIDUE_MIN_CELLS: usize = 3;

/// Middle grey of an 18 % grey card in sRGB, and the exposure window around it: half a stop
/// either side (12.7 %–25 % reflectance → 100–137). Our own, from the photographer's grey card.
pub const GREY_CARD_LEVEL: f64 = 118.0;
/// Lowest acceptable mean luma of the grey card (half a stop under).
pub const MIN_EXPOSURE: f64 = 100.0;
/// Highest acceptable mean luma of the grey card (half a stop over).
pub const MAX_EXPOSURE: f64 = 137.0;

/// Largest colour cast on the grey card: |R/G − 1| and |B/G − 1|. Our own: 5 % is about the
/// smallest cast a viewer notices on skin; ISO/IEC 19794-5 asks for natural colour without
/// setting a number.
pub const MAX_COLOUR_CAST: f64 = 0.05;

/// Lowest sharpness (variance of the Laplacian of the luma over the card's checkerboard, at
/// 640 × 480). Our own, measured on the simulator's card through its JPEG at the default
/// compression (station test `calibration_sharpness_falls_with_defocus`): 12,636 in focus, 819
/// with 1 px of blur, 127 with 2 px, 49 with 3 px. The limit passes 1 px and fails 2 px.
pub const MIN_SHARPNESS: f64 = 300.0;

/// Size a 640 × 480 portrait JPEG should stay within, bytes. Our own: the reference's "48 KB JPEG
/// (640×480 at moderate compression)", which crosses a 115,200-baud line in about 5 s with
/// 128-byte chunks (vc0706-camera-protocol.md, "Cost on the wire").
pub const PORTRAIT_TARGET_BYTES: u32 = 48 * 1024;
