//! Pictures for print: a PNG or JPEG file read once into what a PDF image XObject
//! needs. JPEG goes in as it is (DCTDecode, the press's RIP decodes it); PNG is decoded
//! (any bit depth, palette, interlacing) and written as deflated 8-bit samples, with
//! its alpha channel as a soft mask so transparent parts stay paper-white.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use lopdf::{Dictionary, Object, Stream};

use super::layout::{Block, Chunk, Item, Layout, Runs};
use super::style::{Resolved, StyleSheet};

/// A picture block: where it comes from, the picture once read, and its caption.
#[derive(Debug, Clone)]
pub(crate) struct Figure {
    /// The address as written (`liucheng.png`, `/img/x.png`).
    pub(crate) src: String,
    /// Byte offset of the image in the Markdown it came from (errors point there).
    pub(crate) at: usize,
    /// `None` until the product that knows where files live reads it.
    pub(crate) picture: Option<Arc<Picture>>,
    pub(crate) caption: Runs,
    /// The caption's style; its space before and after surround the whole figure.
    pub(crate) style: Resolved,
    /// Width asked for in pt (`<img width="30">`); 0: as wide as the column allows.
    pub(crate) width: f32,
}

/// Where `<img src>` of the print markup finds its files (the handbook's folder), and
/// the pictures read so far: a card template is rendered for every card, in parallel,
/// and each picture is read once.
static ROOT: Mutex<Option<Read>> = Mutex::new(None);

/// The handbook folder and the pictures read from it, by path.
type Read = (PathBuf, HashMap<PathBuf, Arc<Picture>>);

/// The handbook folder the print markup's `<img src>` is relative to (set per build).
pub(crate) fn set_root(root: &Path) {
    if let Ok(mut r) = ROOT.lock() {
        *r = Some((root.to_path_buf(), HashMap::new()));
    }
}

/// `<img src="/img/x.png" width="30" caption="…" class="…"/>` of the print markup:
/// the picture read now, so a missing file is an error at the template's line.
pub(crate) fn from_markup(n: roxmltree::Node, styles: &StyleSheet) -> Result<Figure, String> {
    let src = match n.attribute("src").map(str::trim) {
        Some(s) if !s.is_empty() => s,
        _ => {
            return Err(tr!("image-img-src"));
        }
    };
    let picture =
        Picture::from_root(src).map_err(|why| tr!("image-img-why", src = src, why = why))?;
    let classes: Vec<&str> = n
        .attribute("class")
        .map(|c| c.split_whitespace().collect())
        .unwrap_or_default();
    let style = super::mdblocks::figcaption(styles, &classes);
    let caption = n.attribute("caption").unwrap_or_default().trim();
    Ok(Figure {
        src: src.to_string(),
        at: n.range().start,
        picture: Some(picture),
        caption: if caption.is_empty() {
            Vec::new()
        } else {
            vec![(
                super::markup::strip_markers(caption).to_string(),
                run_style(&style),
            )]
        },
        style,
        width: super::markup::length(n, "width")?.map_or(0.0, |w| w * super::style::MM),
    })
}

/// Calls `f` on every figure in `blocks`, however deep (lists, tables, boxes).
pub(crate) fn for_each_figure(blocks: &mut [Block], f: &mut dyn FnMut(&mut Figure)) {
    for b in blocks {
        match b {
            Block::Image(fig) => f(fig),
            Block::List { items, .. } => items.iter_mut().for_each(|i| for_each_figure(i, f)),
            Block::Table { rows, .. } => rows
                .iter_mut()
                .flat_map(|r| r.cells.iter_mut())
                .for_each(|c| for_each_figure(c, f)),
            Block::Fields { rows, .. } => rows.iter_mut().for_each(|(_, v)| for_each_figure(v, f)),
            Block::Boxed { children, .. } | Block::Footer(children) => for_each_figure(children, f),
            Block::Columns { cols, .. } => cols.iter_mut().for_each(|(_, c)| for_each_figure(c, f)),
            _ => {}
        }
    }
}

impl Layout<'_> {
    /// A figure: the picture as wide as the column (smaller pictures at 96 dpi, never
    /// taller than 1.2 column widths), centred, kept with its caption below.
    pub(super) fn figure(&self, fig: &Figure, width: f32) -> Vec<Chunk> {
        let Some(p) = &fig.picture else {
            // Not read (a product without image files): the old placeholder.
            let mut runs = vec![("［图］".to_string(), run_style(&fig.style))];
            runs.extend(fig.caption.iter().cloned());
            return self.para(&runs, &fig.style, width);
        };
        let natural = if fig.width > 0.0 {
            fig.width
        } else {
            p.width as f32 * 0.75
        };
        let mut w = width.min(natural);
        let mut h = w / p.aspect();
        if h > width * 1.2 {
            h = width * 1.2;
            w = h * p.aspect();
        }
        let mut out = vec![Chunk {
            height: h,
            items: vec![Item::Image {
                x: (width - w) / 2.0,
                y: 0.0,
                w,
                h,
                picture: p.clone(),
            }],
            keep_with_next: !fig.caption.is_empty(),
            ..Chunk::default()
        }];
        let mut caption = self.para(&fig.caption, &fig.style, width);
        if let Some(first) = caption.first_mut() {
            first.space_before = fig.style.size * 0.4;
        }
        out.append(&mut caption);
        out
    }
}

fn run_style(s: &Resolved) -> super::linebreak::RunStyle {
    super::linebreak::RunStyle {
        size: s.size,
        weight: s.weight,
        color: s.color,
    }
}

/// A decoded or passed-through picture, ready to embed.
pub(crate) struct Picture {
    pub(crate) width: u32,
    pub(crate) height: u32,
    /// What tells equal pictures apart (a hash of the file), so one file used twice is
    /// embedded once.
    pub(crate) key: u64,
    data: Data,
}

impl std::fmt::Debug for Picture {
    // Short: layout errors print items, and a picture is megabytes of samples.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Picture({}×{})", self.width, self.height)
    }
}

enum Data {
    /// A JPEG file, with its number of colour components (1 grey, 3 YCbCr, 4 CMYK).
    Jpeg { bytes: Vec<u8>, components: u8 },
    /// Deflated 8-bit samples, grey or RGB, and a deflated grey alpha channel.
    Flate {
        samples: Vec<u8>,
        gray: bool,
        alpha: Option<Vec<u8>>,
    },
}

impl Picture {
    /// Reads `path`. The error is a reason in plain words (from the catalogue).
    pub(crate) fn load(path: &Path) -> Result<Arc<Picture>, String> {
        let bytes = std::fs::read(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => tr!("image-not-found"),
            _ => tr!("image-file-unreadable", error = e),
        })?;
        Picture::from_bytes(bytes).map(Arc::new)
    }

    /// The picture `<img src>` names: `/img/x.png` under static/, other paths from the
    /// handbook's folder.
    pub(crate) fn from_root(src: &str) -> Result<Arc<Picture>, String> {
        let mut guard = ROOT.lock().map_err(|_| tr!("image-read-failed"))?;
        let Some((root, read)) = guard.as_mut() else {
            return Err(tr!("image-not-here"));
        };
        let path = match src.strip_prefix('/') {
            Some(rest) => root.join("static").join(rest),
            None => root.join(src),
        };
        if let Some(p) = read.get(&path) {
            return Ok(p.clone());
        }
        let shown = path
            .strip_prefix(&*root)
            .unwrap_or(&path)
            .display()
            .to_string();
        let p =
            Picture::load(&path).map_err(|why| tr!("image-why-file", why = why, file = shown))?;
        read.insert(path, p.clone());
        Ok(p)
    }

    /// A picture from the bytes of a PNG or JPEG file.
    pub(crate) fn from_bytes(bytes: Vec<u8>) -> Result<Picture, String> {
        let key = fnv(&bytes);
        let format = image::guess_format(&bytes).ok();
        match format {
            Some(image::ImageFormat::Jpeg) => {
                let (width, height, components) =
                    jpeg_header(&bytes).ok_or_else(|| tr!("image-jpeg-broken"))?;
                // Decoding the whole picture checks it is sound: a broken JPEG would
                // stop the press's RIP, not this build.
                image::load_from_memory_with_format(&bytes, image::ImageFormat::Jpeg)
                    .map_err(|e| tr!("image-jpeg-undecodable", error = e))?;
                Ok(Picture {
                    width,
                    height,
                    key,
                    data: Data::Jpeg { bytes, components },
                })
            }
            Some(image::ImageFormat::Png) => {
                let img = image::load_from_memory_with_format(&bytes, image::ImageFormat::Png)
                    .map_err(|e| tr!("image-png-undecodable", error = e))?;
                Ok(from_decoded(img, key))
            }
            _ => Err(tr!("image-format")),
        }
    }

    /// Width over height.
    pub(crate) fn aspect(&self) -> f32 {
        self.width as f32 / self.height.max(1) as f32
    }

    /// Adds the picture (and its soft mask) to `doc`; returns the XObject's id.
    pub(crate) fn embed(&self, doc: &mut lopdf::Document) -> lopdf::ObjectId {
        let mut d = Dictionary::new();
        d.set("Type", Object::Name(b"XObject".to_vec()));
        d.set("Subtype", Object::Name(b"Image".to_vec()));
        d.set("Width", Object::Integer(self.width as i64));
        d.set("Height", Object::Integer(self.height as i64));
        d.set("BitsPerComponent", Object::Integer(8));
        let content = match &self.data {
            Data::Jpeg { bytes, components } => {
                let cs: &[u8] = match components {
                    1 => b"DeviceGray",
                    4 => b"DeviceCMYK",
                    _ => b"DeviceRGB",
                };
                d.set("ColorSpace", Object::Name(cs.to_vec()));
                if *components == 4 {
                    // CMYK JPEGs from Photoshop store inverted values (Adobe APP14).
                    d.set(
                        "Decode",
                        Object::Array([1, 0, 1, 0, 1, 0, 1, 0].map(Object::Integer).to_vec()),
                    );
                }
                d.set("Filter", Object::Name(b"DCTDecode".to_vec()));
                bytes.clone()
            }
            Data::Flate {
                samples,
                gray,
                alpha,
            } => {
                let cs: &[u8] = if *gray { b"DeviceGray" } else { b"DeviceRGB" };
                d.set("ColorSpace", Object::Name(cs.to_vec()));
                d.set("Filter", Object::Name(b"FlateDecode".to_vec()));
                if let Some(a) = alpha {
                    let mut m = Dictionary::new();
                    m.set("Type", Object::Name(b"XObject".to_vec()));
                    m.set("Subtype", Object::Name(b"Image".to_vec()));
                    m.set("Width", Object::Integer(self.width as i64));
                    m.set("Height", Object::Integer(self.height as i64));
                    m.set("BitsPerComponent", Object::Integer(8));
                    m.set("ColorSpace", Object::Name(b"DeviceGray".to_vec()));
                    m.set("Filter", Object::Name(b"FlateDecode".to_vec()));
                    let id = doc.add_object(Stream::new(m, a.clone()));
                    d.set("SMask", Object::Reference(id));
                }
                samples.clone()
            }
        };
        doc.add_object(Stream::new(d, content))
    }
}

fn from_decoded(img: image::DynamicImage, key: u64) -> Picture {
    let (width, height) = (img.width(), img.height());
    let color = img.color();
    let gray = !color.has_color();
    let alpha = color.has_alpha().then(|| {
        img.to_luma_alpha8()
            .pixels()
            .map(|p| p.0[1])
            .collect::<Vec<u8>>()
    });
    // A fully opaque alpha channel is left out: no soft mask to composite.
    let alpha = alpha.filter(|a| a.iter().any(|&v| v != 255));
    let samples = if gray {
        img.to_luma8().into_raw()
    } else {
        img.to_rgb8().into_raw()
    };
    Picture {
        width,
        height,
        key,
        data: Data::Flate {
            samples: deflate(&samples),
            gray,
            alpha: alpha.map(|a| deflate(&a)),
        },
    }
}

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::ZlibEncoder::new(
        Vec::with_capacity(data.len() / 4),
        flate2::Compression::default(),
    );
    // Writing to a Vec does not fail.
    let _ = enc.write_all(data);
    enc.finish().unwrap_or_default()
}

/// Width, height and colour components from a JPEG's frame header (SOFn).
fn jpeg_header(b: &[u8]) -> Option<(u32, u32, u8)> {
    let mut i = 2;
    while i + 4 <= b.len() {
        if b[i] != 0xFF {
            return None;
        }
        let marker = b[i + 1];
        if marker == 0xFF {
            i += 1;
            continue;
        }
        let len = u16::from_be_bytes([b[i + 2], b[i + 3]]) as usize;
        let is_sof = matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if is_sof {
            let s = b.get(i + 4..i + 2 + len)?;
            let h = u16::from_be_bytes([*s.get(1)?, *s.get(2)?]) as u32;
            let w = u16::from_be_bytes([*s.get(3)?, *s.get(4)?]) as u32;
            return (w > 0 && h > 0).then_some((w, h, *s.get(5)?));
        }
        i += 2 + len;
    }
    None
}

fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    h ^ bytes.len() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(color: image::ColorType, w: u32, h: u32, px: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        image::ImageEncoder::write_image(
            image::codecs::png::PngEncoder::new(&mut out),
            px,
            w,
            h,
            color.into(),
        )
        .unwrap();
        out
    }

    #[test]
    fn png_with_alpha_gets_a_soft_mask() {
        let px = [255, 0, 0, 0, 0, 0, 255, 255];
        let p = Picture::from_bytes(png(image::ColorType::Rgba8, 2, 1, &px)).unwrap();
        assert_eq!((p.width, p.height), (2, 1));
        let mut doc = lopdf::Document::with_version("1.7");
        let id = p.embed(&mut doc);
        let d = &doc.get_object(id).unwrap().as_stream().unwrap().dict;
        assert!(d.get(b"SMask").is_ok());
        assert_eq!(
            d.get(b"ColorSpace").unwrap().as_name().unwrap(),
            b"DeviceRGB"
        );
    }

    #[test]
    fn opaque_grey_png_has_no_mask() {
        let p = Picture::from_bytes(png(image::ColorType::La8, 1, 1, &[128, 255])).unwrap();
        let mut doc = lopdf::Document::with_version("1.7");
        let id = p.embed(&mut doc);
        let d = &doc.get_object(id).unwrap().as_stream().unwrap().dict;
        assert!(d.get(b"SMask").is_err());
        assert_eq!(
            d.get(b"ColorSpace").unwrap().as_name().unwrap(),
            b"DeviceGray"
        );
    }

    #[test]
    fn jpeg_passes_through() {
        let img = image::RgbImage::from_pixel(3, 2, image::Rgb([10, 200, 30]));
        let mut jpg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new(&mut jpg)
            .encode_image(&img)
            .unwrap();
        let p = Picture::from_bytes(jpg.clone()).unwrap();
        assert_eq!((p.width, p.height), (3, 2));
        let mut doc = lopdf::Document::with_version("1.7");
        let id = p.embed(&mut doc);
        let s = doc.get_object(id).unwrap().as_stream().unwrap();
        assert_eq!(
            s.dict.get(b"Filter").unwrap().as_name().unwrap(),
            b"DCTDecode"
        );
        assert_eq!(s.content, jpg);
    }

    #[test]
    fn other_formats_are_refused_in_chinese() {
        let e = Picture::from_bytes(b"GIF89a....".to_vec()).unwrap_err();
        assert!(e.contains("PNG 或 JPEG"), "{e}");
        let e = Picture::from_bytes(vec![0x89, b'P', b'N', b'G', 1, 2]).unwrap_err();
        assert!(e.contains("PNG"), "{e}");
    }
}
