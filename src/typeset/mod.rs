//! The typesetter: fonts ([`fonts`]), Chinese line breaking ([`linebreak`]), the print
//! style file ([`style`]), the print markup ([`markup`]) and Markdown bodies
//! ([`mdblocks`]) turned into layout blocks, the layout engine ([`layout`]) and PDF
//! writing ([`pdf`], with [`content`] streams and [`embed`]ded font subsets).
//!
//! It knows nothing of entries, households or output folders: the products that use it
//! (policy cards, imposed sheets, the handbook in [`crate::print`], household cards in
//! [`crate::households`]) decide what goes on a page and where the file goes.

pub(crate) mod content;
pub(crate) mod embed;
pub mod fonts;
pub mod layout;
pub mod linebreak;
pub mod markup;
pub mod mdblocks;
pub mod pdf;
pub mod style;
