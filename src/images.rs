//! Images on the web pages: every image a body shows must exist (a missing one is a
//! located error in `check` and `build`), and photos straight from a phone are
//! published at web size. A 12 MB, 4000-pixel photo would take a villager's phone a
//! minute to load; the original stays in content/ for print.
//!
//! See "Images" in docs/content-model.md.

use std::io::Cursor;
use std::path::Path;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};

use crate::diagnostics::{Diagnostic, SourceFile};
use crate::markdown::ImageRef;

/// Wider than this, an image is published scaled down to it: wider than any phone or
/// laptop shows a page's text column, even at 2× pixel density.
pub(crate) const MAX_WIDTH: u32 = 1600;

/// Larger than this (bytes), an image is published re-encoded at web size.
pub(crate) const MAX_BYTES: u64 = 1024 * 1024;

/// JPEG quality of re-encoded photos: no visible loss on a phone screen.
const JPEG_QUALITY: u8 = 82;

/// Errors for images that are not there, and warnings for images that will be
/// published smaller, for the images `src`'s body shows.
pub(crate) fn check(root: &Path, src: &SourceFile, images: &[ImageRef]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for img in images {
        let path = root.join(&img.file);
        let Ok(meta) = std::fs::metadata(&path) else {
            if in_default_theme(&img.file) {
                continue;
            }
            out.push(missing(src, img));
            continue;
        };
        if !meta.is_file() {
            out.push(missing(src, img));
            continue;
        }
        if let Some(kind) = phone_only_format(&path) {
            out.push(
                Diagnostic::error(tr!("image-phone-format", file = img.file, kind = kind))
                    .at(src, img.span.clone())
                    .with_hint(tr!("image-phone-format-hint")),
            );
            continue;
        }
        if !is_web_image(&img.file) {
            continue;
        }
        let width = ImageReader::open(&path)
            .and_then(|r| r.with_guessed_format())
            .ok()
            .and_then(|r| r.into_dimensions().ok());
        let Some((w, h)) = width else {
            out.push(
                Diagnostic::error(tr!("image-unreadable", file = img.file))
                    .at(src, img.span.clone())
                    .with_hint(tr!("image-unreadable-hint")),
            );
            continue;
        };
        if w > MAX_WIDTH || meta.len() > MAX_BYTES {
            out.push(
                Diagnostic::warning(tr!(
                    "image-large",
                    file = img.file,
                    mb = format!("{:.1}", meta.len() as f64 / 1e6),
                    width = w,
                    height = h
                ))
                .at(src, img.span.clone())
                .with_hint(tr!("image-large-hint", max = MAX_WIDTH)),
            );
        }
    }
    out
}

fn missing(src: &SourceFile, img: &ImageRef) -> Diagnostic {
    let hint = if img.file.starts_with("static/") {
        tr!("image-missing-static-hint", file = img.file)
    } else {
        tr!("image-missing-hint", file = img.file)
    };
    Diagnostic::error(tr!("image-missing", file = img.file))
        .at(src, img.span.clone())
        .with_hint(hint)
}

/// Whether the built-in theme has the file (`static/…`), which needs no copy on disk.
fn in_default_theme(file: &str) -> bool {
    crate::theme::Theme::embedded_default()
        .get_file(file)
        .is_some()
}

/// HEIC (an iPhone's and many Android phones' camera format) or TIFF (a scanner's),
/// told by the file's first bytes: most browsers show neither, and print takes PNG
/// and JPEG only, so such a picture would be a broken image on a villager's phone.
fn phone_only_format(path: &Path) -> Option<&'static str> {
    use std::io::Read;
    let mut head = [0u8; 12];
    let f = std::fs::File::open(path).ok()?;
    let n = f.take(12).read(&mut head).ok()?;
    let head = &head[..n];
    if head.starts_with(b"II*\0") || head.starts_with(b"MM\0*") {
        return Some("TIFF");
    }
    const HEIF: [&[u8; 4]; 8] = [
        b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1",
    ];
    (head.len() == 12 && &head[4..8] == b"ftyp" && HEIF.iter().any(|b| &head[8..12] == *b))
        .then_some("HEIC")
}

/// PNG and JPEG: the formats mingbai resizes.
fn is_web_image(file: &str) -> bool {
    let lower = file.to_ascii_lowercase();
    [".png", ".jpg", ".jpeg"].iter().any(|e| lower.ends_with(e))
}

/// The bytes to publish for the file at `rel` (as written to the site): PNG and JPEG
/// images wider than [`MAX_WIDTH`] or larger than [`MAX_BYTES`] are scaled to at most
/// that width and re-encoded in their own format; everything else as it is, and
/// so is an image that does not decode (check reports those) or would not shrink.
pub(crate) fn for_web<'a>(rel: &str, bytes: &'a [u8]) -> std::borrow::Cow<'a, [u8]> {
    use std::borrow::Cow;
    if !is_web_image(rel) {
        return Cow::Borrowed(bytes);
    }
    match shrink(bytes) {
        Some(smaller) if smaller.len() < bytes.len() => Cow::Owned(smaller),
        _ => Cow::Borrowed(bytes),
    }
}

fn shrink(bytes: &[u8]) -> Option<Vec<u8>> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .ok()?;
    let format = reader.format()?;
    let (w, _) = reader.into_dimensions().ok()?;
    if w <= MAX_WIDTH && bytes.len() as u64 <= MAX_BYTES {
        return None;
    }
    let mut decoder = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .ok()?
        .into_decoder()
        .ok()?;
    // Phone photos are stored sideways with an EXIF note to turn them; the re-encoded
    // file has no EXIF, so the turn is applied to the pixels.
    let orientation = decoder.orientation().ok();
    let mut img = DynamicImage::from_decoder(decoder).ok()?;
    if let Some(o) = orientation {
        img.apply_orientation(o);
    }
    if img.width() > MAX_WIDTH {
        let h = (u64::from(img.height()) * u64::from(MAX_WIDTH) / u64::from(img.width())).max(1);
        img = img.resize_exact(MAX_WIDTH, h as u32, image::imageops::FilterType::Triangle);
    }
    let mut out = Vec::new();
    match format {
        ImageFormat::Jpeg => {
            let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY);
            img.to_rgb8().write_with_encoder(enc).ok()?;
        }
        ImageFormat::Png => {
            let enc = image::codecs::png::PngEncoder::new_with_quality(
                &mut out,
                image::codecs::png::CompressionType::Best,
                image::codecs::png::FilterType::Adaptive,
            );
            img.write_with_encoder(enc).ok()?;
        }
        _ => return None,
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg(w: u32, h: u32) -> Vec<u8> {
        // Noise does not compress: a photo-sized file.
        let mut seed = 1u32;
        let img = image::RgbImage::from_fn(w, h, |_, _| {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            let b = seed.to_le_bytes();
            image::Rgb([b[1], b[2], b[3]])
        });
        let mut out = Vec::new();
        let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 95);
        img.write_with_encoder(enc).unwrap();
        out
    }

    #[test]
    fn large_photos_are_scaled_to_web_width() {
        let big = jpeg(2400, 1800);
        assert!(big.len() as u64 > MAX_BYTES, "{}", big.len());
        let web = for_web("zhufang/a.jpg", &big);
        assert!(web.len() < big.len());
        let img = image::load_from_memory(&web).unwrap();
        assert_eq!((img.width(), img.height()), (1600, 1200));
    }

    #[test]
    fn phone_and_scanner_formats_are_told_by_their_bytes() {
        let dir = std::env::temp_dir().join(format!("mingbai-img-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let cases: [(&str, &[u8], Option<&str>); 5] = [
            ("a.jpg", b"\0\0\0\x18ftypheic\0\0\0\0mif1", Some("HEIC")),
            ("b.heif", b"\0\0\0\x18ftypmif1\0\0\0\0", Some("HEIC")),
            ("c.tif", b"II*\0\x08\0\0\0", Some("TIFF")),
            ("d.png", &jpeg(8, 8), None),
            ("e.mp4", b"\0\0\0\x18ftypisom\0\0\0\0", None),
        ];
        for (name, bytes, want) in cases {
            let path = dir.join(name);
            std::fs::write(&path, bytes).unwrap();
            assert_eq!(phone_only_format(&path), want, "{name}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn small_images_and_other_files_are_untouched() {
        let small = jpeg(200, 100);
        assert!(matches!(
            for_web("a.jpg", &small),
            std::borrow::Cow::Borrowed(_)
        ));
        assert!(matches!(
            for_web("a.pdf", &[1, 2, 3]),
            std::borrow::Cow::Borrowed(_)
        ));
        // Not an image at all, despite the name: published as it is.
        assert_eq!(&*for_web("a.png", b"not a png"), b"not a png");
    }
}
