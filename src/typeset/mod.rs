//! The typesetter: fonts ([`fonts`]), Chinese line breaking ([`linebreak`]), the print
//! style file ([`style`]), the print markup ([`markup`]) and Markdown bodies
//! ([`mdblocks`]) turned into layout blocks, the layout engine ([`layout`]) and PDF
//! writing ([`pdf`], or [`pdf_stream`] page by page for big documents, with [`content`]
//! streams, [`embed`]ded font subsets with their [`font_maps`] and
//! [`image`]s).
//!
//! It knows nothing of entries, households or output folders: the products that use it
//! (policy cards, imposed sheets, the handbook in [`crate::print`], household cards in
//! [`crate::households`]) decide what goes on a page and where the file goes.

pub(crate) mod cff;
pub(crate) mod content;
pub(crate) mod embed;
pub(crate) mod font_maps;
pub(crate) mod fonts;
pub(crate) mod image;
pub(crate) mod layout;
pub(crate) mod linebreak;
pub(crate) mod markup;
pub(crate) mod mdblocks;
pub(crate) mod pdf;
pub(crate) mod pdf_stream;
pub(crate) mod qr;
pub(crate) mod style;

/// What the typesetter takes from the build's settings: the colour mode of the PDFs and
/// the folder `<img src>` of the print markup reads pictures from. Set once per build.
pub(crate) fn configure(root: &std::path::Path, color: crate::config::PrintColor) {
    content::set_color_mode(color);
    image::set_root(root);
}
