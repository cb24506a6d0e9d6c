//! The bundled catalogue: `rules/catalog.json` read here, once, into the catalogue's data
//! types (`src/catalog/data.rs`, included as it is) and written in postcard's binary form,
//! which the program embeds and decodes on first use. Decoding it costs a fraction of
//! parsing the JSON (which every run that meets an ExpressRoute resource did).

use std::error::Error;
use std::path::PathBuf;

#[allow(
    dead_code,
    reason = "the types are shared with the program, which reads them"
)]
#[path = "src/catalog/data.rs"]
mod data;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=rules/catalog.json");
    println!("cargo::rerun-if-changed=src/catalog/data.rs");
    let json = std::fs::read_to_string("rules/catalog.json")?;
    let data: data::Data = serde_json::from_str(&json)
        .map_err(|e| format!("rules/catalog.json is not a valid catalogue: {e}"))?;
    let out = PathBuf::from(std::env::var("OUT_DIR")?).join("catalog.postcard");
    std::fs::write(out, postcard::to_allocvec(&data)?)?;
    Ok(())
}
