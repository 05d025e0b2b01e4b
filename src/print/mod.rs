//! Print: 明白卡 for every policy and FAQ entry, the imposed card sheets and the whole
//! handbook as one PDF, from the same content as the site.

pub mod fonts;
pub mod linebreak;
