//! The limits each measure is judged against, and where they come from.
//!
//! The FBI's scanner image-quality specification (EBTS Appendix F, "IAFIS Image Quality
//! Specifications", with its test procedures by MITRE) and its single-finger variant for PIV
//! cards (PIV-071006) are the public references for fingerprint scanners. Their figures are not
//! in `docs/reference/` (docs/reference/fingerprint-science.md covers NFIQ 2 only); they are quoted
//! here from the published specifications. They are written for 8-bit scanners: a ZFM module
//! uploads 4 bits a pixel (docs/reference/zfm-fingerprint-protocol.md, "Image upload"), so one grey
//! step on the wire is 17 levels, and the uniformity limits below can only be met by a sensor that
//! is uniform to within one such step. Limits without an FBI source are our own, and say why.

/// Fewest frames of each target a calibration takes: the temporal noise of one frame is unknown,
/// and two frames give a poor estimate. Our own choice.
pub const MIN_FRAMES: usize = 3;

/// Lowest acceptable mean level of the blank (white) target, grey levels. Our own: the
/// synthesiser and real optical modules show 238–250 around a finger; below 160 the light
/// source has lost a third of its brightness and ridges lose contrast with it.
pub const MIN_BACKGROUND_LEVEL: f64 = 160.0;

/// Lowest signal-to-noise ratio (white level − dark level) ÷ temporal noise. PIV-071006 (the
/// FBI's specification for single-finger capture devices): SNR ≥ 70.6 — not confirmed from a
/// public copy here (the stored copy of fbi.gov/hq/cjisd/iafis/piv/pivspec.htm gives only its
/// opening sections). EBTS Appendix F asks more: white SNR and black SNR each ≥ 125.0 in at
/// least 97 % of cases within each measurement area — confirmed as restated "in analogy to
/// EBTS/F" by BSI TR-03121-3 vol. 4 v5.3 (2022), § 4.1.3.1.4, read at github.com/xoryouyou/
/// bsi-technical-guidelines-markdown, markdown/tr/TR-03121-3_4_Biometrics_ARE_OR/.
pub const MIN_SNR: f64 = 70.6;

/// Largest difference between the mean levels of two areas of the blank (light) target, grey
/// levels. EBTS Appendix F, gray-level uniformity, "small area": for every two independent
/// 0.25 × 0.25 inch areas, ≤ 12.0 on a uniform high-reflectance (light) target — confirmed as
/// restated by BSI TR-03121-3 vol. 4 v5.3, § 4.1.3.1.4 (address at [`MIN_SNR`]), which also gives
/// Appendix F's other two cases: adjacent quarter-inch rows/columns ≤ 1.0 dark, ≤ 2.0 light;
/// 99.9 % of pixels within 8.0 (dark) / 22.0 (light) of their area's mean. PIV-071006 may set
/// looser figures for single-finger devices like ours; not confirmed from a public copy here,
/// so Appendix F's are kept. Appendix F's areas are a quarter inch square; on a 256 × 288
/// sensor that leaves four, so we take NFIQ 2's 32 × 32-pixel blocks (reference
/// docs/reference/fingerprint-science.md) as the areas.
pub const MAX_AREA_SPREAD_LIGHT: f64 = 12.0;

/// As [`MAX_AREA_SPREAD_LIGHT`], on the flat (dark) target: EBTS Appendix F, ≤ 3.0 on a uniform
/// low-reflectance target — confirmed in the same BSI restatement (§ 4.1.3.1.4).
pub const MAX_AREA_SPREAD_DARK: f64 = 3.0;

/// Side of the areas compared for uniformity, pixels (NFIQ 2's local block, reference
/// docs/reference/fingerprint-science.md).
pub const UNIFORMITY_BLOCK: u32 = 32;

/// Lowest dynamic range (blank level − flat level), grey levels. "At least 80 % of the captured
/// individual fingerprint images shall have a gray-scale dynamic range of at least 150
/// gray-levels" is EFTS (not EBTS) Appendix G, the interim IAFIS scanner specification that the
/// FBI decommissioned for certification in July 1999 — confirmed at
/// fbi.gov/hq/cjisd/iafis/efts71/appendix_g.htm (stored copy; IQS 2.4 in efts70/appendixg.htm).
/// Appendix F, which replaced it, asks 200 grey levels of 80 % of images and 128 of 99 % (BSI
/// TR-03121-3 vol. 4 v5.3, § 4.1.3.1.5, address at [`MIN_SNR`]). That PIV-071006 also asks 150
/// is not confirmed from a public copy here. A sensor whose white and dark targets are closer
/// than 150 cannot give such images.
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
/// 128-byte chunks (docs/reference/vc0706-camera-protocol.md, "Cost on the wire").
pub const PORTRAIT_TARGET_BYTES: u32 = 48 * 1024;
