//! Not a test: writes the degraded reference images as PNG into `$QUALITY_DEGRADED_DIR` for
//! scoring by hand with NIST's NFIQ 2 (v2.3 through nbis-python, outside this repository); the
//! scores are
//! committed in tests/data/quality/degraded_nfiq2.csv.

use crate::quality_support;

#[test]
#[ignore = "a tool for rebuilding the evaluation set, run by hand"]
fn write_degraded_images() {
    let dir = std::path::PathBuf::from(
        std::env::var("QUALITY_DEGRADED_DIR").expect("QUALITY_DEGRADED_DIR"),
    );
    std::fs::create_dir_all(&dir).expect("create dir");
    for stem in quality_support::REFERENCES {
        for (name, img) in quality_support::degraded_set(stem) {
            img.save(dir.join(format!("{name}.png"))).expect("save");
        }
    }
}
