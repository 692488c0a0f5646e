//! Renders the portrait gallery for the README: clean applicants and one of each defect, labelled by
//! position (see the README's "Photo compliance" section for the key).
//!
//! `cargo run --release -p e2e-tests --example photo_gallery -- [OUT.png] [FIRST_SEED]`

use firmware_sim::synth::portrait::{Defect, Defects, Portrait};
use image::{GenericImage, RgbImage};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let out = args
        .next()
        .unwrap_or_else(|| "docs/images/portraits/gallery.png".to_string());
    let first_arg = args.next();
    // `photo_gallery OUT.png 3,8,12 eyes-closed`: those seeds with that defect (for inspection).
    if let (Some(list), Some(defects)) =
        (first_arg.as_ref().filter(|a| a.contains(',')), args.next())
    {
        let defects: Defects = defects.parse()?;
        let seeds: Vec<u64> = list.split(',').map(str::parse).collect::<Result<_, _>>()?;
        let mut sheet = RgbImage::new(4 * 320, seeds.len().div_ceil(4) as u32 * 240);
        for (i, seed) in seeds.iter().enumerate() {
            let frame = Portrait::from_seed(*seed).render(&defects, 640, 480);
            let small =
                image::imageops::resize(&frame, 320, 240, image::imageops::FilterType::Triangle);
            sheet.copy_from(&small, (i as u32 % 4) * 320, (i as u32 / 4) * 240)?;
        }
        sheet.save(&out)?;
        return Ok(());
    }
    let first: u64 = first_arg.map(|s| s.parse()).transpose()?.unwrap_or(7000);
    let (tile_w, tile_h) = (320u32, 240u32);
    let mut tiles: Vec<(u64, Defects)> = (0..5).map(|i| (first + i, Defects::none())).collect();
    for (i, defect) in Defect::ALL.into_iter().enumerate() {
        tiles.push((first + 10 + i as u64, Defects::only(defect)));
    }
    let columns = 4u32;
    let rows = (tiles.len() as u32).div_ceil(columns);
    let mut sheet =
        RgbImage::from_pixel(columns * tile_w, rows * tile_h, image::Rgb([255, 255, 255]));
    for (i, (seed, defects)) in tiles.iter().enumerate() {
        let frame = Portrait::from_seed(*seed).render(defects, 640, 480);
        let small = image::imageops::resize(
            &frame,
            tile_w,
            tile_h,
            image::imageops::FilterType::Triangle,
        );
        let (col, row) = (i as u32 % columns, i as u32 / columns);
        sheet.copy_from(&small, col * tile_w, row * tile_h)?;
        println!("tile {i:2} (row {row}, column {col}): seed {seed}, defects {defects}");
    }
    sheet.save(&out)?;
    println!("wrote {out}");
    Ok(())
}
